import { DateTime } from 'luxon';
import { weekStart } from '../metrics/time.js';
import type { Rate } from '../metrics/index.js';

/** Number and date formats for every surface (pages, CLI, digests); plain text, escaped where it is shown. */
export const format = {
  /** `58 % (7/12)`, `—` without a denominator, `not tracked` where no source maps the field. */
  rate(r: Rate): string {
    return !r.tracked ? 'not tracked' : r.rate === null ? '—' : `${format.percent(r.rate)} (${r.numerator}/${r.denominator})`;
  },
  /** A share against its target: `+12 pt`, `-7 pt`; empty without a target. */
  gap(gap: number | undefined): string {
    return gap === undefined ? '' : `${gap >= 0 ? '+' : ''}${Math.round(gap * 100)} pt`;
  },
  /** `58 %`, or an em dash when there is no denominator. */
  percent(share: number | null): string {
    return share === null ? '—' : `${Math.round(share * 100)} %`;
  },
  /** `1.5 h`, `0 h`. */
  hours(hours: number): string {
    return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
  },
  /** `W07` for a week id. */
  weekShort(week: string): string {
    return week.slice(5);
  },
  /** `9 Feb` — the Monday of a week id. */
  weekDay(week: string): string {
    return remembered(weekDays, week, () => DateTime.fromISO(weekStart(week)).toFormat('d LLL'));
  },
  /** `20 Nov 2026`. */
  date(date: string): string {
    // A table of 16 000 promises has a few hundred distinct dates: luxon once per date, not per cell.
    return remembered(dates, date, () => DateTime.fromISO(date).toFormat('d LLL yyyy'));
  },
  /** `just now`, `12 min ago`, `3 h ago`, `2 days ago`. */
  minutesAgo(minutes: number): string {
    if (minutes < 1) return 'just now';
    if (minutes < 90) return `${minutes} min ago`;
    if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
    return `${Math.round(minutes / 1440)} days ago`;
  },
  /** `today`, `yesterday`, `12 days ago`, `never`. */
  daysAgo(days: number | null): string {
    if (days === null) return 'never';
    if (days === 0) return 'today';
    return days === 1 ? 'yesterday' : `${days} days ago`;
  },
  /** A cadence target in words: `2 h a week`, `1 conversation a week`, `2 h every 6 weeks`. */
  target(measure: 'hours' | 'conversations', target: { value: number; everyWeeks: number }): string {
    const amount = measure === 'hours' ? format.hours(target.value) : `${target.value} conversation${target.value === 1 ? '' : 's'}`;
    return `${amount} ${target.everyWeeks === 1 ? 'a week' : `every ${target.everyWeeks} weeks`}`;
  },
  status(status: 'on_track' | 'at_risk' | 'off_track'): string {
    return { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' }[status];
  },
  /** A status with the week in progress beside it, never in it: `Off track · met this week`. */
  statusNow(person: { status: 'on_track' | 'at_risk' | 'off_track'; metThisWeek: boolean }): string {
    return `${format.status(person.status)}${person.metThisWeek ? ' · met this week' : ''}`;
  },
};
export type Format = typeof format;

const dates = new Map<string, string>();
const weekDays = new Map<string, string>();

/** `make()` once per key (bounded: a long-running server sees new dates every day). */
function remembered(memo: Map<string, string>, key: string, make: () => string): string {
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size > 10_000) memo.clear();
    value = make();
    memo.set(key, value);
  }
  return value;
}
