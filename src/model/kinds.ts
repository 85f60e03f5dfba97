/**
 * The shared model's closed sets of values and its rules for dates and values, without its zod
 * schemas: the metrics worker and the CSV reading threads start without loading zod
 * (interview.ts, person.ts and finding.ts re-export them).
 */
/** The kinds of source touchpoint reads from. */
export const SOURCE_KINDS = ['notion', 'airtable', 'csv'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Where a customer stands with the company; docs/metrics.md "coverage". */
export const CUSTOMER_STATUSES = ['current', 'former', 'prospect', 'lost', 'unknown'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** Learning and usability calls are discovery; sales and support calls are kept apart. */
export const CALL_TYPES = ['learning', 'usability', 'sales', 'support', 'other'] as const;
export type CallType = (typeof CALL_TYPES)[number];

/** Where the conversation happened; on-site is what the seeds ask for where possible. */
export const LOCATIONS = ['onsite', 'video', 'phone', 'other'] as const;
export type Location = (typeof LOCATIONS)[number];

/** Cut a source value to a length that is safe to keep and show (a finding's value). */
export function clip(value: string, max = 200): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** True when the value is a calendar date without a time of day. */
export function isDateOnly(value: string): boolean {
  return value.length === 10;
}

/** Roles the metrics know; anything else is kept as written. */
export const KNOWN_ROLES = ['pm', 'design', 'engineering', 'research'] as const;

/** The key a roster person is known by everywhere: the lower-cased e-mail. */
export function personKey(person: { email: string }): string {
  return person.email.toLowerCase();
}

/** Whether someone is measured as a product manager (the role cadence targets are about). */
export function isPm(person: { role: string }): boolean {
  return person.role === 'pm';
}
