import { z } from 'zod';

/**
 * Why a row (or a value in it) could not be used as it is. A closed list so every code
 * has a sentence in `formatFinding`.
 */
export const FINDING_CODES = [
  'missing_id',
  'duplicate_id',
  'missing_date',
  'invalid_date',
  'invalid_number',
  'invalid_boolean',
  'missing_interviewer',
  'unknown_person',
  'unmapped_value',
  'relation_not_shared',
  'column_renamed',
  'formula_error',
  'no_change_tracking',
  'empty_source',
  'malformed_row',
  'implausible_value',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/**
 * `excluded`: the row is kept but not counted (or not stored, without an id);
 * `warning`: the row counts, with one value dropped or defaulted.
 */
export const FINDING_SEVERITIES = ['excluded', 'warning'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** A row that could not be used as it is: data, turned into a sentence at the edge. */
export const Finding = z.object({
  code: z.enum(FINDING_CODES),
  severity: z.enum(FINDING_SEVERITIES),
  source: z.string(),
  /** The source's record id; for a CSV without ids, `row <n>`; empty for the whole source. */
  recordId: z.string(),
  /** The source column (or property) at fault, or null for the whole row. */
  field: z.string().nullable(),
  /** The offending value as written, cut to 200 characters. */
  value: z.string().nullable(),
  /** Where to fix it in the source, when the source has addresses. */
  url: z.string().nullable(),
  /** 1-based line or position in the source, where it has one. */
  row: z.number().int().nullable(),
});
export type Finding = z.infer<typeof Finding>;

const SENTENCES: Record<FindingCode, (f: Finding) => string> = {
  missing_id: (f) => `no record id in ${q(f.field)}; the row cannot be tracked and was skipped`,
  duplicate_id: (f) => `record id ${q(f.value)} appears more than once; only the first row was kept`,
  missing_date: (f) => `no date in ${q(f.field)}; kept but not counted in any metric`,
  invalid_date: (f) => `${q(f.value)} in ${q(f.field)} is not a date touchpoint can read; kept but not counted`,
  invalid_number: (f) => `${q(f.value)} in ${q(f.field)} is not a number; treated as empty`,
  invalid_boolean: (f) => `${q(f.value)} in ${q(f.field)} is not yes/no; treated as unknown`,
  missing_interviewer: (f) => `no interviewer in ${q(f.field)}; kept, credited to nobody`,
  unknown_person: (f) => `${q(f.value)} in ${q(f.field)} is not on the roster; kept, not credited to a roster person`,
  unmapped_value: (f) => `${q(f.value)} in ${q(f.field)} has no mapping; add it under the field's "values" in the config`,
  relation_not_shared: (f) => `${q(f.field)} links to a page the integration cannot see (${f.value ?? 'unknown'}); share its database with the integration`,
  column_renamed: (f) => `the column ${q(f.field)} is now called ${q(f.value)} in the source; touchpoint follows it by id — update the mapping in the config`,
  formula_error: (f) => `the formula, rollup or lookup in ${q(f.field)} returned an error (${f.value ?? 'error'}); fix it in the source, the value was left empty`,
  no_change_tracking: () => 'the table has no "Last modified time" field that tracks all fields, so every sync lists every row; add one (or set sources[].lastModifiedField) to make syncs incremental',
  empty_source: () => 'the source has no rows',
  malformed_row: (f) => `the row could not be read: ${f.value ?? 'unknown reason'}`,
  implausible_value: (f) =>
    f.severity === 'excluded'
      ? `${q(f.value)} in ${q(f.field)} is not a plausible date (before 2000, more than a year ahead, or an impossible offset); kept but not counted`
      : `${q(f.value)} in ${q(f.field)} is not plausible (a duration over the limit, or an end before the start); the value does not count`,
};

/** One sentence a person can act on, e.g. for the sync report and the data-quality page. */
export function formatFinding(finding: Finding): string {
  return SENTENCES[finding.code](finding);
}

function q(text: string | null): string {
  return text === null ? '(none)' : `"${text}"`;
}

/** Cut a source value to a length that is safe to keep and show. */
export function clip(value: string, max = 200): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
