import { DateTime } from 'luxon';
import { steadyOffset } from '../../model/zone-offset.js';
import type { DateRange, Unreadable } from './cells.js';

/** How to read a date that the file writes without a zone or with an ambiguous order. */
export interface DateOptions {
  /** IANA zone for date-times written without an offset. */
  zone: string;
  /** `3/4/2026` is March 4 (mdy, Airtable's US default) or 3 April (dmy). */
  order: 'mdy' | 'dmy';
}

/**
 * Read a date or date-time as Notion and Airtable export them; see README "CSV formats".
 * Accepted: ISO 8601 (`2026-03-04`, `2026-03-04T14:30`, `…Z`, `…+01:00`, space for `T`);
 * `March 4, 2026` / `Mar 4, 2026` / `4 March 2026`; `3/4/2026` (order from options);
 * `4.3.2026`; `2026/03/04`; each optionally followed by `2:30 PM`, `2:30pm` or `14:30`,
 * and a Notion zone suffix `(GMT+1)`, `(UTC)`. A Notion range `start → end` gives both
 * ends (the end may be a time only). Date-only values stay dates; date-times become UTC.
 */
export function parseDateCell(text: string, options: DateOptions): DateRange | Unreadable {
  // A table repeats its dates (every row of a day, every follow-up): each text is parsed once per zone and order.
  const key = `${options.zone}\u0000${options.order}\u0000${text}`;
  const known = parsedCells.get(key);
  if (known) return known;
  const parsed = parseCellUncached(text, options);
  if (parsedCells.size >= PARSED_CELLS_LIMIT) parsedCells.clear();
  parsedCells.set(key, parsed);
  return parsed;
}

/** Parsed date cells by zone, order and text; results are never mutated by callers (they copy). */
const parsedCells = new Map<string, Readonly<DateRange> | Readonly<Unreadable>>();
const PARSED_CELLS_LIMIT = 200_000;

function parseCellUncached(text: string, options: DateOptions): DateRange | Unreadable {
  const [startText, endText, ...rest] = text.split(/\s+→\s+/);
  if (rest.length > 0 || startText === undefined) return { unreadable: text };
  const zoneMatch = /\s*\((?:GMT|UTC)([+-]\d{1,2}(?::?\d{2})?)?\)\s*$/i;
  const suffix = zoneMatch.exec(text);
  const zone = suffix ? (suffix[1] ? `UTC${suffix[1]}` : 'UTC') : options.zone;
  const opts = { ...options, zone };
  const start = parseOne(startText.replace(zoneMatch, ''), opts, null);
  if (start === null) return { unreadable: text };
  if (endText === undefined) return { start: start.value, end: null };
  const end = parseOne(endText.replace(zoneMatch, ''), opts, start.day);
  if (end === null) return { unreadable: text };
  return { start: start.value, end: end.value };
}

interface Parsed {
  value: string;
  /** The local calendar day, for an end written as a time only. */
  day: { year: number; month: number; day: number };
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$/i;

function parseOne(raw: string, options: DateOptions, sameDay: Parsed['day'] | null): Parsed | null {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (!text) return null;

  const iso = parseIso(text, options.zone);
  if (iso) return iso;

  // A time alone (the end of a Notion range) belongs to the start's day.
  if (sameDay) {
    const time = parseTime(text);
    if (time) return instant(sameDay, time, options.zone);
  }

  const split = /^(.*?)(?:,?\s+(?:at\s+)?(\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?\s*m\.?)?))?$/i.exec(text);
  const datePart = split?.[1]?.trim() ?? text;
  const timePart = split?.[2];
  const day = parseDay(datePart, options.order);
  if (!day) return null;
  if (timePart === undefined) return { value: isoDay(day), day };
  const time = parseTime(timePart);
  return time ? instant(day, time, options.zone) : null;
}

/** Real UTC offsets run from −12:00 to +14:00; luxon accepts `+25:00`, which no clock shows. */
const OFFSET = /([+-])(\d{2}):?(\d{2})$/;
export function plausibleOffset(text: string): boolean {
  const m = OFFSET.exec(text);
  if (!m || !/T\d{2}:\d{2}/.test(text)) return true;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '+' ? minutes <= 14 * 60 : minutes <= 12 * 60;
}

function parseIso(text: string, zone: string): Parsed | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = DateTime.fromISO(text);
    return date.isValid ? { value: text, day: { year: date.year, month: date.month, day: date.day } } : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) return null;
  if (!plausibleOffset(text.replace(' ', 'T'))) return null;
  const date = DateTime.fromISO(text.replace(' ', 'T'), { zone, setZone: true });
  if (!date.isValid) return null;
  const iso = date.toUTC().toISO();
  return iso === null ? null : { value: iso, day: { year: date.year, month: date.month, day: date.day } };
}

function parseTime(text: string): { hour: number; minute: number; second: number } | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = Number(m[3] ?? 0);
  const meridiem = m[4]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second };
}

/** English month names and their abbreviations (`Sept` too), as Notion and Airtable export them. */
const MONTHS = new Map<string, number>(
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].flatMap((name, i) => [
    [name, i + 1],
    [name.slice(0, 3), i + 1],
    ...(name === 'september' ? [['sept', 9] as [string, number]] : []),
  ]),
);
/** `March 4, 2026`, `Mar 4 2026`, `Mar. 4, 2026`; and `4 March 2026`, `4 Mar 2026`. */
const MONTH_FIRST = /^([a-z]+)\.? (\d{1,2}),? (\d{4})$/i;
const DAY_FIRST = /^(\d{1,2}) ([a-z]+)\.? (\d{4})$/i;

function parseDay(text: string, order: DateOptions['order']): Parsed['day'] | null {
  let m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(text);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    return order === 'mdy' ? valid(Number(m[3]), a, b) : valid(Number(m[3]), b, a);
  }
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (m) return valid(Number(m[3]), Number(m[2]), Number(m[1]));
  m = MONTH_FIRST.exec(text);
  if (m) {
    const month = MONTHS.get(m[1]!.toLowerCase());
    return month ? valid(Number(m[3]), month, Number(m[2])) : null;
  }
  m = DAY_FIRST.exec(text);
  if (m) {
    const month = MONTHS.get(m[2]!.toLowerCase());
    return month ? valid(Number(m[3]), month, Number(m[1])) : null;
  }
  return null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
function isoDay(day: Parsed['day']): string {
  return `${pad(day.year, 4)}-${pad(day.month)}-${pad(day.day)}`;
}

function valid(year: number, month: number, day: number): Parsed['day'] | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { year, month, day } : null;
}

/**
 * A zone's offset (minutes) through a whole local day, or null (model/zone-offset.ts). The UTC
 * instants of local day D run from 14 hours before D's UTC midnight (UTC+14) to 12 hours after its
 * end (UTC−12). Each cell's text is parsed once (`parseDateCell`), and a new day reads the zone
 * four times.
 */
function dayOffset(zone: string, day: Parsed['day']): number | null {
  const midnight = Date.UTC(day.year, day.month - 1, day.day);
  return steadyOffset(zone, midnight - 14 * HOUR_MS, midnight + 36 * HOUR_MS);
}

const HOUR_MS = 3_600_000;

function instant(day: Parsed['day'], time: { hour: number; minute: number; second: number }, zone: string): Parsed | null {
  let offset = dayOffset(zone, day);
  if (offset === null) {
    // The day the offset changes: luxon places the wall time. One skipped by the change moves
    // forward, as luxon does: keep its instant, not the written hour.
    const date = DateTime.fromObject({ ...day, hour: time.hour, minute: time.minute }, { zone });
    if (!date.isValid) return null;
    offset = (date.toMillis() - Date.UTC(day.year, day.month - 1, day.day, time.hour, time.minute)) / -60_000;
  }
  const ms = Date.UTC(day.year, day.month - 1, day.day, time.hour, time.minute, time.second) - offset * 60_000;
  return { value: new Date(ms).toISOString(), day };
}

/** An ISO date (`2026-11-16`) or date-time with an offset, as the APIs write them, as touchpoint keeps it: a date, or UTC. */
export function normaliseIsoDate(value: string): string | null {
  if (!value.includes('T')) return DateTime.fromISO(value).isValid ? value.slice(0, 10) : null;
  if (!plausibleOffset(value)) return null;
  const date = DateTime.fromISO(value, { setZone: true });
  return date.isValid ? date.toUTC().toISO() : null;
}
