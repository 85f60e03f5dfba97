import { CALL_TYPES, isPm } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import type { TrackedField, Tracking } from './tracking.js';
import { COUNTED, DEBRIEF_KNOWN, DEBRIEFED, LOCATION_KNOWN, ONSITE, positionsOf, TLDR, type Placement, type Rows } from './conversations.js';
import { dayOfDate } from './time.js';
import { ratio, type Window } from './window.js';
import type { Targets } from '../config/schema.js';

/** The fields a practice rate reads. */
export type QualityField = Extract<TrackedField, 'attendees' | 'debriefed' | 'tldr' | 'location' | 'callType'>;

/** A rate and what it was computed over; `tracked: false` means no source maps the field. */
export interface Rate {
  rate: number | null;
  numerator: number;
  denominator: number;
  tracked: boolean;
}

export interface QualityRates {
  conversations: number;
  /** Every customer call in the window, any call type: what `conversations` is a share of. */
  calls: number;
  /** A PM, a designer and an engineer from the roster were all present. */
  trio: Rate;
  debrief: Rate;
  tldr: Rate;
  /** Of conversations whose location is known. */
  onsite: Rate;
  /** Learning conversations / (learning + sales calls): the one rate that sees other call types. */
  learningVsSales: Rate & { learning: number; sales: number };
}

/** A PM whose counted conversations are less than `practice.learningShare` of their customer calls: mostly sales or support. */
export interface QualityFlag {
  code: 'mostly_other_calls';
  email: string;
  name: string;
  conversations: number;
  calls: number;
  /** The share they fall under. */
  minimum: number;
}

export interface QualityResult {
  team: QualityRates;
  people: Array<{ email: string; name: string; team: string | null } & QualityRates>;
  flags: QualityFlag[];
}

/** Practice quality in the window, for the team and per roster PM; docs/metrics.md "quality". */
export function computeQuality(
  placement: Placement,
  all: Rows,
  roster: readonly Person[],
  window: Window,
  tracking: Tracking,
  practice: Pick<Targets['practice'], 'learningShare'> = { learningShare: 0.5 },
): QualityResult {
  // Each person's role as the roster gives it (a key listed twice: the last entry), and a tally per roster PM.
  const role = new Uint8Array(placement.people.values.length);
  for (const p of roster) {
    const id = placement.people.find(p.email);
    if (id >= 0) role[id] = p.role === 'pm' ? PM : p.role === 'design' ? DESIGN : p.role === 'engineering' ? ENGINEERING : 0;
  }
  const pms = roster.filter(isPm);
  const keys = [...new Set(pms.map((p) => p.email))];
  const tallies = keys.map(() => new Tally());
  const tallyOf = positionsOf(placement, keys);
  const team = new Tally();
  const fields = placement.sources.values.map((name) => sourceFlags(tracking, name));
  const from = dayOfDate(window.from);
  const to = dayOfDate(window.to);
  const { day, present, presentFrom } = placement;
  for (const r of all) {
    const d = day[r]!;
    if (d < from || d > to) continue;
    // The roster PMs present each count the interview (once each), and its trio is decided once.
    let roles = 0;
    for (let k = presentFrom[r]!; k < presentFrom[r + 1]!; k++) roles |= role[present[k]!]!;
    const trio = roles === (PM | DESIGN | ENGINEERING);
    const t = fields[placement.source[r]!]!;
    team.count(placement, r, trio, t);
    for (let k = presentFrom[r]!; k < presentFrom[r + 1]!; k++) tallies[tallyOf[present[k]!]!]?.count(placement, r, trio, t);
  }
  const anySource = (field: QualityField) => {
    const lists = Object.values(tracking);
    return lists.length === 0 || lists.some((fields) => fields.includes(field));
  };
  const people = pms.map((p) => ({ email: p.email, name: p.name, team: p.team, ...tallies[keys.indexOf(p.email)]!.rates(anySource) }));
  const minimum = practice.learningShare;
  return {
    team: team.rates(anySource),
    people,
    // Only where the call type is recorded: without it every call is the source's default type.
    flags: people
      .filter((p) => p.calls > 0 && p.learningVsSales.tracked && p.conversations < p.calls * minimum)
      .map((p) => ({ code: 'mostly_other_calls' as const, email: p.email, name: p.name, conversations: p.conversations, calls: p.calls, minimum })),
  };
}

/** Role bits: a trio has all three. */
const PM = 1;
const DESIGN = 2;
const ENGINEERING = 4;
const SALES = CALL_TYPES.indexOf('sales');

/** A rate's count: a field the source maps is tracked; a null value is left out of the denominator. */
class Count {
  numerator = 0;
  denominator = 0;
  tracked = false;
  add(value: boolean | null): void {
    this.tracked = true;
    if (value === null) return;
    this.denominator += 1;
    if (value) this.numerator += 1;
  }
}

/** The rates of a set of interviews, counted one at a time. */
class Tally {
  calls = 0;
  conversations = 0;
  learning = 0;
  sales = 0;
  typed = false;
  readonly trio = new Count();
  readonly debriefed = new Count();
  readonly tldr = new Count();
  readonly location = new Count();

  count(placement: Placement, r: number, trio: boolean, t: Record<QualityField, boolean>): void {
    const flags = placement.flags[r]!;
    this.calls += 1;
    if (t.callType) {
      this.typed = true;
      if (flags & COUNTED) this.learning += 1;
      if (placement.callType[r] === SALES) this.sales += 1;
    }
    if (!(flags & COUNTED)) return;
    this.conversations += 1;
    if (t.attendees) this.trio.add(trio);
    if (t.debriefed) this.debriefed.add(flags & DEBRIEF_KNOWN ? (flags & DEBRIEFED) !== 0 : null);
    if (t.tldr) this.tldr.add((flags & TLDR) !== 0);
    if (t.location) this.location.add(flags & LOCATION_KNOWN ? (flags & ONSITE) !== 0 : null);
  }

  /** With no conversation, "tracked" says whether any configured source maps the field. */
  rates(anySource: (field: QualityField) => boolean): QualityRates {
    const rate = (count: Count, field: QualityField): Rate => ({
      rate: ratio(count.numerator, count.denominator),
      numerator: count.numerator,
      denominator: count.denominator,
      tracked: this.conversations > 0 ? count.tracked : anySource(field),
    });
    const { learning, sales } = this;
    return {
      conversations: this.conversations,
      calls: this.calls,
      trio: rate(this.trio, 'attendees'),
      debrief: rate(this.debriefed, 'debriefed'),
      tldr: rate(this.tldr, 'tldr'),
      onsite: rate(this.location, 'location'),
      learningVsSales: {
        rate: ratio(learning, learning + sales),
        numerator: learning,
        denominator: learning + sales,
        tracked: this.calls > 0 ? this.typed : anySource('callType'),
        learning,
        sales,
      },
    };
  }
}

/** Which quality fields a source maps. */
function sourceFlags(tracking: Tracking, source: string): Record<QualityField, boolean> {
  const fields = tracking[source];
  const has = (field: QualityField) => fields === undefined || fields.includes(field);
  return { attendees: has('attendees'), debriefed: has('debriefed'), tldr: has('tldr'), location: has('location'), callType: has('callType') };
}
