import { isPm } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import type { Targets } from '../config/schema.js';
import { ASSUMED, positionsOf, type Placement, type Rows } from './conversations.js';
import { addDays, dateOfDay, dayOfDate, daysBetween, isoWeek, NO_DAY, weekIndex, weekStart, weeksEndingWith } from './time.js';

/** Weeks shown in a cadence grid and counted in "weeks met". */
export const CADENCE_WEEKS = 12;

/** One person's week. `active` is false for weeks before they joined (`since`). */
export interface PersonWeek {
  week: string;
  conversations: number;
  hours: number;
  /** Conversations whose duration was assumed. */
  assumed: number;
  met: boolean;
  active: boolean;
}

export type CadenceStatus = 'on_track' | 'at_risk' | 'off_track';

export interface PersonCadence {
  email: string;
  name: string;
  role: string;
  team: string | null;
  /** Their role's target (`roleTarget`): a week is met when the last `everyWeeks` weeks together hold `value`. */
  target: { value: number; everyWeeks: number };
  /** The grid's weeks, oldest first; the last one is the week holding the as-of date. */
  weeks: PersonWeek[];
  /** From complete weeks only (`cadenceStatus`): the week in progress never changes it. */
  status: CadenceStatus;
  /** Whether the week in progress already meets the target (shown beside the status, never in it). */
  metThisWeek: boolean;
  /** Consecutive met weeks up to now (the current week counts once it is met). */
  streak: number;
  /** Met weeks among the last 12 complete weeks the person was on the team. */
  weeksMet: number;
  /** Weeks the person was on the team among those 12. */
  weeksActive: number;
  lastConversation: string | null;
  daysSinceLast: number | null;
}

export interface TeamWeek {
  week: string;
  met: number;
  of: number;
  share: number | null;
}

export interface CadenceResult {
  asOf: string;
  measure: Targets['measure'];
  target: number;
  /** Week ids of the grid, oldest first, ending with the current (partial) week. */
  weeks: string[];
  currentWeek: string;
  lastCompleteWeek: string;
  people: PersonCadence[];
  team: {
    /** Roster PMs who met the target in the last complete week. */
    onTargetLastWeek: { met: number; of: number; share: number | null };
    /** Roster people with a conversation in the last 30 days (as-of inclusive). */
    talkedLast30Days: { count: number; of: number; share: number | null };
    /** The same over the page's window (`days` of them, as-of inclusive): the overview's card follows the filter. */
    talkedInWindow: { count: number; of: number; share: number | null; days: number };
    /** PMs on target per grid week. */
    trend: TeamWeek[];
  };
}

/**
 * A role's cadence target in the configured measure: a PM's is `hoursPerWeek` (or
 * `conversationsPerWeek`) every week; any other role's is `targets.roles[role]`, else
 * `targets.roles.other`, over a rolling period of `everyWeeks` (docs/metrics.md, "Targets per role").
 */
export function roleTarget(targets: Targets, role: string): { value: number; everyWeeks: number } {
  if (role === 'pm') return { value: targets.measure === 'hours' ? targets.hoursPerWeek : targets.conversationsPerWeek, everyWeeks: 1 };
  const t = targets.roles[role] ?? targets.roles['other'] ?? { hours: 2, conversations: 2, everyWeeks: 6 };
  return { value: targets.measure === 'hours' ? t.hours : t.conversations, everyWeeks: t.everyWeeks };
}

/**
 * The status rule (docs/metrics.md, "Status"), from the last 4 complete weeks the person was on
 * the team, the last one weighing most: on track when the last complete week met the target and
 * at least 3 of the 4 did (of fewer weeks for someone new: three quarters of them); at risk when
 * at least half did; off track otherwise. Someone with no complete week yet is on track: nothing
 * is held against them. The week in progress never counts.
 */
export function cadenceStatus(lastFour: ReadonlyArray<Pick<PersonWeek, 'met'>>, lastWeekMet: boolean): CadenceStatus {
  const weeks = lastFour.length;
  if (weeks === 0) return 'on_track';
  const met = lastFour.filter((w) => w.met).length;
  if (lastWeekMet && met * 4 >= weeks * 3) return 'on_track';
  return met * 2 >= weeks ? 'at_risk' : 'off_track';
}

/** Weekly cadence per roster person; docs/metrics.md "cadence". A roster person with no data shows zeros. */
export function computeCadence(
  placement: Placement,
  conversations: Rows,
  roster: readonly Person[],
  targets: Targets,
  asOf: string,
  windowDays: number = targets.windowDays,
): CadenceResult {
  // 12 complete weeks plus the current one: the grid shows the last 12 of these. A role judged over
  // a rolling period needs the weeks before them too.
  const longest = Math.max(1, ...roster.map((p) => roleTarget(targets, p.role).everyWeeks));
  const extended = weeksEndingWith(asOf, CADENCE_WEEKS + longest);
  const span = extended.slice(longest - 1);
  const grid = span.slice(1);
  const currentWeek = span[span.length - 1]!;
  const lastCompleteWeek = span[span.length - 2]!;
  const thirtyDaysAgo = addDays(asOf, -29);
  const windowFrom = addDays(asOf, -(windowDays - 1));

  // Cells per roster person (a slot each, a key listed twice sharing one) and week of `extended`:
  // only the weeks the grid and its rolling periods read, only the people the grid shows.
  const width = extended.length;
  const keys = [...new Set(roster.map((p) => p.email))];
  const slots = new Map(keys.map((key, slot) => [key, slot]));
  const slotOf = positionsOf(placement, keys);
  const count = new Int32Array(slots.size * width);
  const hours = new Float64Array(slots.size * width);
  const assumed = new Int32Array(slots.size * width);
  const lastDay = new Int32Array(slots.size).fill(NO_DAY);
  const firstWeek = weekIndex(dayOfDate(weekStart(extended[0]!)));
  const { day, present, presentFrom, credited, flags } = placement;
  for (const r of conversations) {
    const d = day[r]!;
    const w = weekIndex(d) - firstWeek;
    for (let k = presentFrom[r]!, end = k + credited[r]!; k < end; k++) {
      const slot = slotOf[present[k]!]!;
      if (slot < 0) continue;
      if (d > lastDay[slot]!) lastDay[slot] = d;
      if (w < 0) continue;
      const cell = slot * width + w;
      count[cell]! += 1;
      hours[cell]! += placement.minutes[r]! / 60;
      if (flags[r]! & ASSUMED) assumed[cell]! += 1;
    }
  }

  const offset = longest - 1;
  const people = roster.map((person): PersonCadence => {
    const key = person.email;
    const joinedWeek = person.since ? isoWeek(person.since) : null;
    const target = roleTarget(targets, person.role);
    const base = slots.get(key)! * width;
    // Week `at` of `extended`; its period is the week alone for a PM, the last `everyWeeks` for others.
    const weekAt = (at: number): PersonWeek => {
      let held = 0;
      for (let i = Math.max(0, at - target.everyWeeks + 1); i <= at; i++) held += targets.measure === 'hours' ? hours[base + i]! : count[base + i]!;
      const week = extended[at]!;
      return {
        week,
        conversations: count[base + at]!,
        hours: round(hours[base + at]!),
        assumed: assumed[base + at]!,
        met: held >= target.value - 1e-9,
        active: joinedWeek === null || week >= joinedWeek,
      };
    };
    const all = span.map((_, i) => weekAt(offset + i));
    const current = all[all.length - 1]!;
    const lastWeek = all[all.length - 2]!;
    const completeWeeks = all.slice(0, -1);
    const lastFour = completeWeeks.slice(-4).filter((w) => w.active);
    const status = cadenceStatus(lastFour, lastWeek.active && lastWeek.met);
    let streak = current.met ? 1 : 0;
    for (let i = completeWeeks.length - 1; i >= 0 && completeWeeks[i]!.met; i--) streak += 1;
    const activeComplete = completeWeeks.filter((w) => w.active);
    const last = lastDay[slots.get(key)!]!;
    const lastConversation = last === NO_DAY ? null : dateOfDay(last);
    return {
      email: person.email,
      name: person.name,
      role: person.role,
      team: person.team,
      target,
      weeks: all.slice(1),
      status,
      metThisWeek: current.met,
      streak,
      weeksMet: activeComplete.filter((w) => w.met).length,
      weeksActive: activeComplete.length,
      lastConversation,
      daysSinceLast: lastConversation ? daysBetween(lastConversation, asOf) : null,
    };
  });

  const pms = people.filter(isPm);
  const trend = grid.map((week): TeamWeek => {
    const active = pms.map((p) => p.weeks.find((w) => w.week === week)!).filter((w) => w.active);
    const met = active.filter((w) => w.met).length;
    return { week, met, of: active.length, share: ratio(met, active.length) };
  });
  const lastTrend = trend.find((t) => t.week === lastCompleteWeek)!;
  const talked = people.filter((p) => p.lastConversation !== null && p.lastConversation >= thirtyDaysAgo).length;
  const talkedInWindow = people.filter((p) => p.lastConversation !== null && p.lastConversation >= windowFrom).length;

  return {
    asOf,
    measure: targets.measure,
    target: targets.measure === 'hours' ? targets.hoursPerWeek : targets.conversationsPerWeek,
    weeks: grid,
    currentWeek,
    lastCompleteWeek,
    people,
    team: {
      onTargetLastWeek: { met: lastTrend.met, of: lastTrend.of, share: lastTrend.share },
      talkedLast30Days: { count: talked, of: people.length, share: ratio(talked, people.length) },
      talkedInWindow: { count: talkedInWindow, of: people.length, share: ratio(talkedInWindow, people.length), days: windowDays },
      trend,
    },
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function round(hours: number): number {
  return Math.round(hours * 100) / 100;
}
