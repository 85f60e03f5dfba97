import { DateTime } from 'luxon';
import { isDateOnly } from '../model/interview.js';

/**
 * Calendar arithmetic in the team's zone. Dates are ISO `YYYY-MM-DD` strings, weeks are ISO
 * week ids `2026-W07` (Monday–Sunday), so results sort and compare as strings.
 */

/** The local calendar date of an interview start: a date-only value is its own local date. */
export function localDate(value: string, zone: string): string {
  if (isDateOnly(value)) return value;
  return DateTime.fromISO(value, { zone }).toISODate()!;
}

/** Today in the team's zone, the default as-of date. */
export function todayIn(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

/** ISO week id of a local date. */
export function isoWeek(date: string): string {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

/** Monday of an ISO week id. */
export function weekStart(week: string): string {
  return DateTime.fromISO(week, { zone: 'utc' }).toISODate()!;
}

/** The `count` week ids ending with the week that holds `date`, oldest first. */
export function weeksEndingWith(date: string, count: number): string[] {
  const monday = DateTime.fromISO(date, { zone: 'utc' }).startOf('week');
  return Array.from({ length: count }, (_, i) => isoWeek(monday.minus({ weeks: count - 1 - i }).toISODate()!));
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}
