import { addDays } from './time.js';

/** N local calendar days ending with the as-of date, inclusive; docs/metrics.md "Window of N days". */
export interface Window {
  days: number;
  from: string;
  to: string;
  /** The window of equal length just before, for comparisons (themes). */
  previous: { from: string; to: string };
}

export function windowEndingOn(asOf: string, days: number): Window {
  const from = addDays(asOf, -(days - 1));
  return { days, from, to: asOf, previous: { from: addDays(from, -days), to: addDays(from, -1) } };
}

/** `part / whole`, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** The key an account is counted under: trimmed and case-folded, so "ACME" and "Acme " are one. */
export function accountKey(account: string): string {
  let key = accountKeys.get(account);
  if (key === undefined) {
    // A few hundred accounts over 100 000 rows: remembered, not folded again per row.
    if (accountKeys.size > 100_000) accountKeys.clear();
    key = account.trim().replace(/\s+/g, ' ').toLowerCase();
    accountKeys.set(account, key);
  }
  return key;
}
const accountKeys = new Map<string, string>();
