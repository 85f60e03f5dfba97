import { z } from 'zod';

/**
 * Why a row (or a value in it) could not be used as it is. A closed list so every code
 * has a sentence in `present/sentences.ts`.
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
  /** The row as people know it, its title and date (`Acme onboarding · 2026-03-04`); absent for a whole source. */
  label: z.string().nullable().optional(),
});
export type Finding = z.infer<typeof Finding>;

export { clip } from './kinds.js';
