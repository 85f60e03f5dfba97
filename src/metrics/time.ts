import { DateTime } from 'luxon';
import { isDateOnly } from '../model/interview.js';

/**
 * Calendar arithmetic in the team's zone. Dates are ISO `YYYY-MM-DD` strings, weeks are ISO
 * week ids `2026-W07` (Monday–Sunday), so results sort and compare as strings.
 */

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/**
 * The ISO date of a DateTime that must be valid: every date reaching the core was validated at
 * its entry (config, `--as-of`, the sources), so an invalid one here is a bug, and says so
 * rather than turning into `NaN-WNaN` weeks.
 */
function isoDateOf(date: DateTime, what: string): string {
  const iso = date.toISODate();
  if (iso === null) throw new RangeError(`not a date: ${what} (${date.invalidExplanation ?? date.invalidReason ?? 'invalid'})`);
  return iso;
}
const MEMO_LIMIT = 200_000;
const localDates = new Map<string, Map<number, string>>();
const weeks = new Map<string, string>();

/**
 * The local calendar date of an interview start: a date-only value is its own local date.
 * Every zone's UTC offset is a whole number of quarter hours, so all instants in one UTC
 * quarter hour share a local date: memoised per zone and quarter hour (metrics over 100 000
 * interviews would otherwise spend seconds building zoned DateTimes).
 */
export function localDate(value: string, zone: string): string {
  if (isDateOnly(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return isoDateOf(DateTime.fromISO(value, { zone }), value);
  let memo = localDates.get(zone);
  if (!memo) localDates.set(zone, (memo = new Map()));
  const bucket = Math.floor(ms / QUARTER_HOUR_MS);
  let date = memo.get(bucket);
  if (date === undefined) {
    if (memo.size > MEMO_LIMIT) memo.clear();
    date = isoDateOf(DateTime.fromMillis(bucket * QUARTER_HOUR_MS, { zone }), value);
    memo.set(bucket, date);
  }
  return date;
}

/** Today in the team's zone, the default as-of date. */
export function todayIn(now: Date, zone: string): string {
  return isoDateOf(DateTime.fromJSDate(now, { zone }), String(now));
}

/** ISO week id of a local date. */
export function isoWeek(date: string): string {
  let week = weeks.get(date);
  if (week === undefined) {
    if (weeks.size > MEMO_LIMIT) weeks.clear();
    const d = DateTime.fromISO(date, { zone: 'utc' });
    week = `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
    weeks.set(date, week);
  }
  return week;
}

/** Monday of an ISO week id. */
export function weekStart(week: string): string {
  return isoDateOf(DateTime.fromISO(week, { zone: 'utc' }), week);
}

/** The `count` week ids ending with the week that holds `date`, oldest first. */
export function weeksEndingWith(date: string, count: number): string[] {
  const monday = DateTime.fromISO(date, { zone: 'utc' }).startOf('week');
  return Array.from({ length: count }, (_, i) => isoWeek(isoDateOf(monday.minus({ weeks: count - 1 - i }), date)));
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: string, days: number): string {
  return isoDateOf(DateTime.fromISO(date, { zone: 'utc' }).plus({ days }), date);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}
