import type { Unreadable } from './cells.js';

/**
 * A duration cell in minutes. Accepts a number in the column's unit (`45`, `1.5`, `1,5`),
 * Airtable's `h:mm` / `h:mm:ss`, and `1h 30m` / `90 min` / `2 hours`.
 */
export function parseMinutes(text: string, unit: 'minutes' | 'hours' | 'seconds'): number | Unreadable {
  const t = text.trim().toLowerCase();
  const clock = /^(\d+):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]) + Number(clock[3] ?? 0) / 60;
  const plain = /^\d+(?:[.,]\d+)?$/.test(t) ? Number(t.replace(',', '.')) : null;
  if (plain !== null) return unit === 'hours' ? plain * 60 : unit === 'seconds' ? plain / 60 : plain;
  const parts = /^(?:(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*(?:(\d+)\s*(?:m|min|mins|minute|minutes))?$/.exec(t);
  if (parts && (parts[1] || parts[2])) return Number((parts[1] ?? '0').replace(',', '.')) * 60 + Number(parts[2] ?? 0);
  return { unreadable: text };
}

const TRUE = new Set(['yes', 'y', 'true', '1', 'x', '✓', '✔', 'checked', 'done', '__yes__']);
const FALSE = new Set(['no', 'n', 'false', '0', '', 'unchecked', '__no__']);

/** A checkbox cell: Notion exports `Yes`/`No`, Airtable `checked` or nothing (false). */
export function parseBoolean(text: string): boolean | Unreadable {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return { unreadable: text };
}
