import { CALL_TYPES, CUSTOMER_STATUSES } from '../model/kinds.js';
import type { Interview } from '../model/interview.js';
import type { Targets } from '../config/schema.js';
import { dateOfDay, dayOfDate, localDay, weekIndex, weekOfIndex } from './time.js';
import { accountKey } from './window.js';

/** The key of conversations whose segment or tier the source leaves empty. */
export const NOT_SET = '(not set)';

/** One dated interview placed in the team's calendar, with the people it credits: what a list shows. */
export interface Placed {
  interview: Interview;
  /** Local date in the team's zone. */
  date: string;
  week: string;
  hours: number;
  /** True when the duration was missing and `defaultDurationMinutes` was used. */
  assumed: boolean;
  /** Person keys credited, each once (interviewers, plus attendees when configured). */
  credited: readonly string[];
  /** Whether its call type is one of `countedCallTypes`: a conversation as docs/metrics.md defines it. */
  counted: boolean;
}

/** Bits of `Placement.flags`. */
export const COUNTED = 1;
export const ASSUMED = 2;
/** `debriefed` is not null; `DEBRIEFED` is its value. */
export const DEBRIEF_KNOWN = 4;
export const DEBRIEFED = 8;
/** A tl;dr that is not blank. */
export const TLDR = 16;
/** `location` is not null; `ONSITE` says whether it is on site. */
export const LOCATION_KNOWN = 32;
export const ONSITE = 64;
/** A follow-up is due and not done. */
export const FOLLOW_UP_OPEN = 128;

/** The number of a null (or, for accounts and studies, empty) value in every column of strings. */
export const NONE = 0;
/** The number of `(not set)` among segments and tiers: a null one is counted under it (`keyOfValue`). */
const NOT_SET_ID = 1;

/**
 * Strings numbered in the order first seen: a column holds the number, the table the string.
 * Number 0 is `NONE` (no string finds it); `first` are numbered next.
 */
export class Interned {
  readonly values: string[] = [''];
  private readonly ids = new Map<string, number>();
  constructor(first: readonly string[] = []) {
    for (const value of first) this.id(value);
  }
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
  /** The number of a string already seen, else -1 (a lookup adds nothing; `NONE` is never found). */
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }
}

/** Whole numbers in a typed array that starts 1 or 2 bytes wide and widens to 4 the first time a value needs it. */
export type Narrow = Uint8Array | Uint16Array | Uint32Array;

/**
 * Every dated interview on or before the as-of date, placed in the team's calendar, as columns: row
 * `r` of each column is `rows[r]`. One pass reads each interview once; every metric then sums over
 * numbers in a row, not over a million objects spread across the heap. The columns are narrow
 * (46 bytes a row, in one buffer that the next placement may reuse: `releasePlacement`). Strings
 * are numbered per placement (`Interned`).
 */
export interface Placement {
  /** What the columns are carved from (`releasePlacement`). */
  readonly buffer: ArrayBuffer;
  readonly rows: readonly Interview[];
  /** 0, 1, 2, …: the row numbers of the whole placement, as the metrics take them (`Rows`). */
  readonly everyRow: Int32Array;
  /** The rows that are conversations (`COUNTED`). */
  readonly conversations: Int32Array;
  /** Local start date as a day number (time.ts `localDay`). */
  readonly day: Int32Array;
  /** Duration, or `defaultDurationMinutes` where `ASSUMED`; hours are minutes / 60. */
  readonly minutes: Uint16Array | Float64Array;
  /** `COUNTED`, `ASSUMED`, … */
  readonly flags: Uint8Array;
  readonly callType: Uint8Array;
  readonly status: Uint8Array;
  /**
   * People present, each once: interviewers, then attendees, as numbers into `people`. Row r's are
   * `present[presentFrom[r]]` up to `presentFrom[r + 1]`; the first `credited[r]` of them are credited.
   */
  readonly presentFrom: Int32Array;
  readonly present: Narrow;
  readonly credited: Narrow;
  readonly people: Interned;
  /** Segment and tier as written, `NONE` for null; a null one is counted under `(not set)` (`keyOfValue`). */
  readonly segment: Narrow;
  readonly segments: Interned;
  readonly tier: Narrow;
  readonly tiers: Interned;
  /** Account and study as written, `NONE` for null or empty. */
  readonly account: Narrow;
  readonly accounts: Interned;
  readonly study: Narrow;
  readonly studies: Interned;
  readonly source: Narrow;
  readonly sources: Interned;
  /** Tags as written: row r's are `tags[tagFrom[r]]` up to `tagFrom[r + 1]`. */
  readonly tagFrom: Int32Array;
  readonly tags: Narrow;
  readonly tagNames: Interned;
}

/** The key number a segment or tier is counted under: a null one under `(not set)`. */
export const keyOfValue = (id: number): number => (id === NONE ? NOT_SET_ID : id);

/** A column being filled: set by row, or pushed onto (a row's people and tags are not known in advance). */
class Column {
  data: Narrow;
  length = 0;
  private max: number;
  constructor(data: Uint8Array | Uint16Array) {
    this.data = data;
    this.max = data instanceof Uint8Array ? 0xff : 0xffff;
  }
  set(at: number, value: number): void {
    if (value > this.max) this.widen();
    this.data[at] = value;
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new (this.data.constructor as new (length: number) => Narrow)(Math.max(16, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    this.set(this.length++, value);
  }
  private widen(): void {
    this.data = Uint32Array.from(this.data);
    this.max = 0xffffffff;
  }
}

/** Bytes a placement of `n` rows carves from its buffer (`Slab`): five Int32 columns, eleven of Uint16, four of Uint8. */
const slabBytes = (n: number) => 46 * n + 8;

/** Typed arrays carved from one buffer, the widest first, so that each is aligned to its width. */
class Slab {
  private at = 0;
  constructor(readonly buffer: ArrayBuffer) {}
  int32(length: number): Int32Array {
    return this.carve(Int32Array, length);
  }
  uint16(length: number): Uint16Array {
    return this.carve(Uint16Array, length);
  }
  uint8(length: number): Uint8Array {
    return this.carve(Uint8Array, length);
  }
  private carve<T>(Type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, length: number): T {
    const array = new Type(this.buffer, this.at, length);
    this.at += length * Type.BYTES_PER_ELEMENT;
    return array;
  }
}

/**
 * The buffer of the last placement let go of (`releasePlacement`), one per thread: the next
 * placement of no more rows is carved from it, not from new memory. V8 counts typed arrays as
 * memory outside its heap, and every 64 MB of it allocated starts a collection of the whole heap;
 * with a million interviews held that takes most of a second (BENCHMARKS.md, "Metrics").
 */
let spare: ArrayBuffer | null = null;

/** Hand back a placement no one will read again (its columns are then reused). */
export function releasePlacement(placement: Placement): void {
  if (spare === null || spare.byteLength < placement.buffer.byteLength) spare = placement.buffer;
}

const CALL_TYPE = new Map<string, number>(CALL_TYPES.map((t, i) => [t, i]));
const STATUS = new Map<string, number>(CUSTOMER_STATUSES.map((s, i) => [s, i]));

/**
 * Every dated interview on or before the as-of date, placed in the team's calendar.
 * Interviews dated after it have not happened yet and count nowhere.
 */
export function placeInterviews(interviews: readonly Interview[], targets: Targets, zone: string, asOf: string): Placement {
  const counted = new Set<string>(targets.countedCallTypes);
  const last = dayOfDate(asOf);
  const n = interviews.length;
  const bytes = slabBytes(n);
  let buffer: ArrayBuffer;
  if (spare !== null && spare.byteLength >= bytes) [buffer, spare] = [spare, null];
  else buffer = new ArrayBuffer(bytes);
  // Every column is written for every placed row, so a reused buffer needs no clearing.
  const slab = new Slab(buffer);
  const day = slab.int32(n);
  const presentFrom = slab.int32(n + 1);
  const tagFrom = slab.int32(n + 1);
  const everyRow = slab.int32(n);
  const countedRows = slab.int32(n);
  let minutes: Uint16Array | Float64Array = slab.uint16(n);
  const segment = new Column(slab.uint16(n));
  const tier = new Column(slab.uint16(n));
  const account = new Column(slab.uint16(n));
  const study = new Column(slab.uint16(n));
  const source = new Column(slab.uint16(n));
  // Room for two people and three tags a row before growing.
  const present = new Column(slab.uint16(n * 2));
  const tags = new Column(slab.uint16(n * 3));
  const flags = slab.uint8(n);
  const callType = slab.uint8(n);
  const status = slab.uint8(n);
  const credited = new Column(slab.uint8(n));
  // The interviews themselves while every one is placed (usual: each has a date, none is ahead);
  // a list of its own from the first one left out.
  let rows: Interview[] | null = null;
  const people = new Interned();
  const segments = new Interned([NOT_SET]);
  const tiers = new Interned([NOT_SET]);
  const accounts = new Interned();
  const studies = new Interned();
  const sources = new Interned();
  const tagNames = new Interned();
  const creditAttendees = targets.creditAttendees;
  let r = 0;
  let conversations = 0;
  for (let i = 0; i < n; i++) {
    const interview = interviews[i]!;
    const d = interview.startsAt ? localDay(interview.startsAt, zone) : null;
    if (d === null || d > last) {
      rows ??= interviews.slice(0, i);
      continue;
    }
    rows?.push(interview);
    day[r] = d;
    const m = interview.durationMinutes ?? targets.defaultDurationMinutes;
    // Whole minutes fit two bytes; the first that does not turns the column into doubles.
    if (minutes instanceof Uint16Array && !(Number.isInteger(m) && m <= 0xffff)) minutes = Float64Array.from(minutes);
    minutes[r] = m;
    const type = interview.callType;
    let f = counted.has(type) ? COUNTED : 0;
    if (interview.durationMinutes === null) f |= ASSUMED;
    if (interview.debriefed !== null) f |= interview.debriefed ? DEBRIEF_KNOWN | DEBRIEFED : DEBRIEF_KNOWN;
    if (interview.tldr?.trim()) f |= TLDR;
    if (interview.location !== null) f |= interview.location === 'onsite' ? LOCATION_KNOWN | ONSITE : LOCATION_KNOWN;
    if (interview.followUps.due && interview.followUps.done !== true) f |= FOLLOW_UP_OPEN;
    flags[r] = f;
    everyRow[r] = r;
    if (f & COUNTED) countedRows[conversations++] = r;
    callType[r] = CALL_TYPE.get(type)!;
    status[r] = STATUS.get(interview.customerStatus)!;
    segment.set(r, interview.segment === null ? NONE : segments.id(interview.segment));
    tier.set(r, interview.tier === null ? NONE : tiers.id(interview.tier));
    account.set(r, interview.account ? accounts.id(interview.account) : NONE);
    study.set(r, interview.study ? studies.id(interview.study) : NONE);
    source.set(r, sources.id(interview.source.name));
    // Each person once, interviewers first; a handful per row, so a scan of the row's own numbers.
    const from = present.length;
    presentFrom[r] = from;
    for (const p of interview.interviewers) addOnce(present, from, people.id(p.key));
    if (!creditAttendees) credited.set(r, present.length - from);
    for (const p of interview.attendees) addOnce(present, from, people.id(p.key));
    if (creditAttendees) credited.set(r, present.length - from);
    tagFrom[r] = tags.length;
    for (const tag of interview.tags) tags.push(tagNames.id(tag));
    r += 1;
  }
  presentFrom[r] = present.length;
  tagFrom[r] = tags.length;
  return {
    buffer,
    rows: rows ?? interviews,
    everyRow: everyRow.subarray(0, r),
    conversations: countedRows.subarray(0, conversations),
    day: day.subarray(0, r),
    minutes: minutes.subarray(0, r),
    flags: flags.subarray(0, r),
    callType: callType.subarray(0, r),
    status: status.subarray(0, r),
    presentFrom: presentFrom.subarray(0, r + 1),
    present: present.data.subarray(0, present.length),
    credited: credited.data.subarray(0, r),
    people,
    segment: segment.data.subarray(0, r),
    segments,
    tier: tier.data.subarray(0, r),
    tiers,
    account: account.data.subarray(0, r),
    accounts,
    study: study.data.subarray(0, r),
    studies,
    source: source.data.subarray(0, r),
    sources,
    tagFrom: tagFrom.subarray(0, r + 1),
    tags: tags.data.subarray(0, tags.length),
    tagNames,
  };
}

function addOnce(list: Column, from: number, id: number): void {
  for (let k = from; k < list.length; k++) if (list.data[k] === id) return;
  list.push(id);
}

/**
 * Row numbers of a placement, in order: the placement's own lists (`everyRow`, `conversations`),
 * or a plain array for a team's. A filter's list is made per call, and on the heap it is collected
 * as any garbage is, where a typed array would count towards V8's 64 MB of outside memory.
 */
export type Rows = Int32Array | readonly number[];

/** The rows of a placement: all of them, or those `keep` says. */
export function rowsWhere(placement: Placement, keep?: (row: number) => boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < placement.rows.length; r++) if (!keep || keep(r)) out.push(r);
  return out;
}

/** Rows newest first, then by id: day numbers and ids compare by value (no locale rules in a sort that may hold every row). */
export function newestFirst(placement: Placement): (a: number, b: number) => number {
  const { day, rows } = placement;
  return (a, b) => day[b]! - day[a]! || (rows[a]!.id < rows[b]!.id ? -1 : rows[a]!.id > rows[b]!.id ? 1 : 0);
}

/** Whether row `r` credits one of the people numbered in `ids` (a lookup by number). */
export function credits(placement: Placement, r: number, ids: Uint8Array): boolean {
  const { present, presentFrom, credited } = placement;
  for (let k = presentFrom[r]!, to = k + credited[r]!; k < to; k++) if (ids[present[k]!] === 1) return true;
  return false;
}

/** Each person number of the placement as a position in `keys` (the last, for a key listed twice); -1 for a person not listed. */
export function positionsOf(placement: Placement, keys: readonly string[]): Int32Array {
  const positions = new Int32Array(placement.people.values.length).fill(-1);
  keys.forEach((key, position) => {
    const id = placement.people.find(key);
    if (id >= 0) positions[id] = position;
  });
  return positions;
}

/** A mark per person number of the placement: 1 for the given keys. */
export function markPeople(placement: Placement, keys: Iterable<string>): Uint8Array {
  const marks = new Uint8Array(placement.people.values.length);
  for (const key of keys) {
    const id = placement.people.find(key);
    if (id >= 0) marks[id] = 1;
  }
  return marks;
}

/** Row `r` as an object, for a list: only the rows a page shows are built. */
export function placedAt(placement: Placement, r: number): Placed {
  const credited: string[] = [];
  const { present, presentFrom, people } = placement;
  for (let k = presentFrom[r]!, to = k + placement.credited[r]!; k < to; k++) credited.push(people.values[present[k]!]!);
  const flags = placement.flags[r]!;
  const day = placement.day[r]!;
  return {
    interview: placement.rows[r]!,
    date: dateOfDay(day),
    week: weekOfIndex(weekIndex(day)),
    hours: placement.minutes[r]! / 60,
    assumed: (flags & ASSUMED) !== 0,
    credited,
    counted: (flags & COUNTED) !== 0,
  };
}

/** Whether row `r` has the person numbered `id` among those present (`credited` says: among those it credits). */
export function hasPerson(placement: Placement, r: number, id: number, credited = false): boolean {
  const { present, presentFrom } = placement;
  const to = credited ? presentFrom[r]! + placement.credited[r]! : presentFrom[r + 1]!;
  for (let k = presentFrom[r]!; k < to; k++) if (present[k] === id) return true;
  return false;
}

/** Each account number of a placement as the number of its `accountKey` (trimmed, case-folded), kept per placement. */
export function accountKeysOf(placement: Placement): { keyOf: Int32Array; keys: Interned } {
  let found = accountKeyMemo.get(placement);
  if (!found) {
    const keys = new Interned();
    const keyOf = Int32Array.from(placement.accounts.values, (account) => keys.id(accountKey(account)));
    accountKeyMemo.set(placement, (found = { keyOf, keys }));
  }
  return found;
}
const accountKeyMemo = new WeakMap<Placement, { keyOf: Int32Array; keys: Interned }>();
