import { DateTime } from 'luxon';
import { isDateOnly } from '../model/kinds.js';
import { steadyOffset } from '../model/zone-offset.js';

/**
 * Calendar arithmetic in the team's zone. Dates are ISO `YYYY-MM-DD` strings, weeks are ISO
 * week ids `2026-W07` (Monday–Sunday), so results sort and compare as strings.
 */

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
const DAY_MS = 86_400_000;
const weeks = new Map<string, string>();
/** Per zone and UTC day number: the zone's UTC offset in minutes when it is the same all day, else null. */
const dayOffsets = new Map<string, Map<number, number | null>>();
/** Day numbers (days since 1970-01-01) as ISO dates, and back. */
const dayDates = new Map<number, string>();
const dateDays = new Map<string, number>();
/** The UTC days placed by offset: 1970 (offsets of whole minutes since) to 9999 (four-digit years). */
const FIRST_DAY = 0;
const LAST_DAY = Date.UTC(9999, 11, 30) / DAY_MS;

/**
 * The local calendar date of an interview start: a date-only value is its own local date.
 * Memoised per zone and UTC day: on a day the zone's offset holds throughout (model/zone-offset.ts:
 * a new day reads the zone four times), every instant of it is shifted by that offset. On the few
 * days a zone changes its offset, each instant is placed on its own: a change need not fall on a
 * quarter hour (St. John's changed at 00:01 local time until 2011, and a quarter-hour memo misdated
 * interviews just after it).
 */
export function localDate(value: string, zone: string): string {
  return isDateOnly(value) ? value : dateOfDay(localDay(value, zone));
}

/** `localDate` as a day number (days since 1970-01-01): what placing keeps per row, and compares as the dates do. */
export function localDay(value: string, zone: string): number {
  if (isDateOnly(value)) return dayOfDate(value);
  const ms = instantMs(value);
  if (Number.isNaN(ms)) return dayOfDate(isoDateOf(DateTime.fromISO(value, { zone }), value));
  const day = Math.floor(ms / DAY_MS);
  const offset = day >= FIRST_DAY && day <= LAST_DAY ? dayOffset(zone, day) : null;
  if (offset !== null) return Math.floor((ms + offset * 60_000) / DAY_MS);
  return dayOfDate(isoDateOf(DateTime.fromMillis(ms, { zone }), value));
}

/** The zone's offset (minutes) on UTC day `day` when it holds all day; null on a day it changes, or for a zone luxon does not know. */
function dayOffset(zone: string, day: number): number | null {
  let memo = dayOffsets.get(zone);
  if (!memo) dayOffsets.set(zone, (memo = new Map()));
  let offset = memo.get(day);
  if (offset === undefined) {
    if (memo.size > MEMO_LIMIT) memo.clear();
    offset = steadyOffset(zone, day * DAY_MS, (day + 1) * DAY_MS - 1);
    memo.set(day, offset);
  }
  return offset;
}

/** The ISO date of a day number. */
export function dateOfDay(day: number): string {
  let date = dayDates.get(day);
  if (date === undefined) {
    if (dayDates.size > MEMO_LIMIT) dayDates.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayDates.set(day, date);
  }
  return date;
}

/** The day number of an ISO date (`YYYY-MM-DD`, as every date reaching the core is). */
export function dayOfDate(date: string): number {
  let day = dateDays.get(date);
  if (day === undefined) {
    if (dateDays.size > MEMO_LIMIT) dateDays.clear();
    // Date.UTC would read years below 100 as 19xx; the parser reads four digits as written.
    day = Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
    dateDays.set(date, day);
  }
  return day;
}

/** Below every day number: a last date not seen yet. */
export const NO_DAY = -2_147_483_648;

/** The ISO week of a day number, as a count of weeks: Monday 1969-12-29 starts week 0. */
export function weekIndex(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** The ISO week id (`2026-W07`) of a week index. */
export function weekOfIndex(index: number): string {
  return isoWeek(dateOfDay(index * 7 - 3));
}

/**
 * Milliseconds of an ISO instant. The store holds instants as `toISOString` writes them
 * (`2026-11-20T09:15:00.000Z`), read here by position four times faster than `Date.parse`; any
 * other spelling (an offset, no milliseconds) goes to `Date.parse`.
 */
export function instantMs(value: string): number {
  if (
    value.length !== 24 ||
    value[23] !== 'Z' ||
    value[10] !== 'T' ||
    value[4] !== '-' ||
    value[7] !== '-' ||
    value[13] !== ':' ||
    value[16] !== ':' ||
    value[19] !== '.'
  )
    return Date.parse(value);
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  const milli = digitsAt(value, 20, 3);
  // Not digits (-1), out of range (month 13, 25 o'clock), or a year Date.UTC would read as 19xx:
  // Date.parse decides, as it would have.
  if (
    year < 100 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    milli < 0
  )
    return Date.parse(value);
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}

/** The number written by `count` digits at `at`, or -1 when one is not a digit. */
function digitsAt(value: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
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
