import { isPm } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import type { TrackedField, Tracking } from './tracking.js';
import type { Placed } from './conversations.js';
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
  placed: readonly Placed[],
  roster: readonly Person[],
  window: Window,
  tracking: Tracking,
  practice: Pick<Targets['practice'], 'learningShare'> = { learningShare: 0.5 },
): QualityResult {
  const inWindow = placed.filter((p) => p.date >= window.from && p.date <= window.to);
  const roles = new Map(roster.map((p) => [p.email, p.role]));
  const pms = roster.filter(isPm);
  const pmKeys = new Set(pms.map((p) => p.email));
  // One pass groups the window's interviews by the roster PMs present (each once per interview),
  // and decides each interview's trio once (not once per PM).
  const byPerson = new Map<string, Placed[]>();
  const trios = new Set<Placed>();
  for (const p of inWindow) {
    const { interviewers, attendees } = p.interview;
    const n = interviewers.length + attendees.length;
    const at = (j: number) => (j < interviewers.length ? interviewers[j]! : attendees[j - interviewers.length]!);
    let pm = false;
    let design = false;
    let engineering = false;
    people: for (let j = 0; j < n; j++) {
      const key = at(j).key;
      // Each person once (a handful a row: a scan, not a Set).
      for (let k = 0; k < j; k++) if (at(k).key === key) continue people;
      const role = roles.get(key);
      if (role === 'pm') pm = true;
      else if (role === 'design') design = true;
      else if (role === 'engineering') engineering = true;
      if (pmKeys.has(key)) {
        let list = byPerson.get(key);
        if (!list) byPerson.set(key, (list = []));
        list.push(p);
      }
    }
    if (pm && design && engineering) trios.add(p);
  }
  const flags = sourceFlags(tracking);
  const anySource = (field: QualityField) => {
    const lists = Object.values(tracking);
    return lists.length === 0 || lists.some((fields) => fields.includes(field));
  };
  const rates = (items: readonly Placed[]): QualityRates => {
    const count = () => ({ numerator: 0, denominator: 0, tracked: false });
    const c = { attendees: count(), debriefed: count(), tldr: count(), location: count() };
    let conversations = 0;
    let calls = 0;
    let learning = 0;
    let sales = 0;
    let typed = false;
    for (const p of items) {
      calls += 1;
      const t = flags(p.interview.source.name);
      const i = p.interview;
      if (t.callType) {
        typed = true;
        if (p.counted) learning += 1;
        if (i.callType === 'sales') sales += 1;
      }
      if (!p.counted) continue;
      conversations += 1;
      if (t.attendees) add(c.attendees, trios.has(p));
      if (t.debriefed) add(c.debriefed, i.debriefed);
      if (t.tldr) add(c.tldr, Boolean(i.tldr?.trim()));
      if (t.location) add(c.location, i.location === null ? null : i.location === 'onsite');
    }
    // With no conversation, "tracked" says whether any configured source maps the field.
    const rate = (field: keyof typeof c): Rate => {
      const { numerator, denominator, tracked } = c[field];
      return { rate: ratio(numerator, denominator), numerator, denominator, tracked: conversations > 0 ? tracked : anySource(field) };
    };
    return {
      conversations,
      calls,
      trio: rate('attendees'),
      debrief: rate('debriefed'),
      tldr: rate('tldr'),
      onsite: rate('location'),
      learningVsSales: {
        rate: ratio(learning, learning + sales),
        numerator: learning,
        denominator: learning + sales,
        tracked: items.length > 0 ? typed : anySource('callType'),
        learning,
        sales,
      },
    };
  };
  const people = pms.map((p) => ({ email: p.email, name: p.name, team: p.team, ...rates(byPerson.get(p.email) ?? []) }));
  const minimum = practice.learningShare;
  return {
    team: rates(inWindow),
    people,
    // Only where the call type is recorded: without it every call is the source's default type.
    flags: people
      .filter((p) => p.calls > 0 && p.learningVsSales.tracked && p.conversations < p.calls * minimum)
      .map((p) => ({ code: 'mostly_other_calls' as const, email: p.email, name: p.name, conversations: p.conversations, calls: p.calls, minimum })),
  };
}

/** Count one interview into a rate: a field the source maps is tracked; a null value is left out of the denominator. */
function add(counter: { numerator: number; denominator: number; tracked: boolean }, value: boolean | null): void {
  counter.tracked = true;
  if (value === null) return;
  counter.denominator += 1;
  if (value) counter.numerator += 1;
}

/** Which quality fields each source maps, decided once per source name. */
function sourceFlags(tracking: Tracking): (source: string) => Record<QualityField, boolean> {
  const known = new Map<string, Record<QualityField, boolean>>();
  return (source) => {
    let flags = known.get(source);
    if (!flags) {
      const fields = tracking[source];
      const has = (field: QualityField) => fields === undefined || fields.includes(field);
      flags = { attendees: has('attendees'), debriefed: has('debriefed'), tldr: has('tldr'), location: has('location'), callType: has('callType') };
      known.set(source, flags);
    }
    return flags;
  };
}
