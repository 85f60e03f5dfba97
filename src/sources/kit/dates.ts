import { DateTime } from 'luxon';
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
  if (timePart === undefined) {
    const date = DateTime.fromObject(day);
    const iso = date.toISODate();
    return iso === null ? null : { value: iso, day };
  }
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

const MONTH_FORMATS = ['MMMM d, yyyy', 'MMM d, yyyy', 'MMMM d yyyy', 'MMM d yyyy', 'd MMMM yyyy', 'd MMM yyyy', 'MMM. d, yyyy'];

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
  for (const format of MONTH_FORMATS) {
    const date = DateTime.fromFormat(text, format, { locale: 'en-US' });
    if (date.isValid) return { year: date.year, month: date.month, day: date.day };
  }
  return null;
}

function valid(year: number, month: number, day: number): Parsed['day'] | null {
  return DateTime.fromObject({ year, month, day }).isValid ? { year, month, day } : null;
}

function instant(day: Parsed['day'], time: { hour: number; minute: number; second: number }, zone: string): Parsed | null {
  const date = DateTime.fromObject({ ...day, ...time }, { zone });
  const iso = date.toUTC().toISO();
  return iso === null ? null : { value: iso, day };
}

/** An ISO date (`2026-11-16`) or date-time with an offset, as the APIs write them, as touchpoint keeps it: a date, or UTC. */
export function normaliseIsoDate(value: string): string | null {
  if (!value.includes('T')) return DateTime.fromISO(value).isValid ? value.slice(0, 10) : null;
  if (!plausibleOffset(value)) return null;
  const date = DateTime.fromISO(value, { setZone: true });
  return date.isValid ? date.toUTC().toISO() : null;
}
