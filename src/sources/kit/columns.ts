import type { Mapping } from '../../config/schema.js';
import type { Finding } from '../../model/finding.js';
import type { ColumnKind } from '../source.js';

/** A column of the source's schema: its stable id, current name and type. */
export interface SchemaColumn {
  id: string;
  name: string;
  type: string;
}

/** The kinds of value model fields read, for type checks against a schema. */
export type ValueKind = 'date' | 'people' | 'minutes' | 'boolean';

/** The kind of value each typed field reads (every other field reads text). */
export const FIELD_KIND: Partial<Record<keyof Mapping, ValueKind>> = {
  startsAt: 'date',
  endsAt: 'date',
  followUpDue: 'date',
  createdAt: 'date',
  updatedAt: 'date',
  interviewers: 'people',
  attendees: 'people',
  durationMinutes: 'minutes',
  debriefed: 'boolean',
  followUpDone: 'boolean',
};

export interface ResolveOptions {
  source: string;
  mapping: Mapping;
  schema: readonly SchemaColumn[];
  /** Columns resolved by the last run, by the name in the config: how a rename is followed. */
  previous: Readonly<Record<string, SchemaColumn>> | undefined;
  /** The schema types that can give each kind of value. */
  accepts: Readonly<Record<ValueKind, readonly string[]>>;
  /** Whether a schema id matches what the config wrote (ids may be URL-encoded). */
  sameId?: (schemaId: string, written: string) => boolean;
}

/**
 * Mapped column → schema column: by name (exact, then ignoring case), then by id, then by the id
 * the last run resolved it to — a column renamed in the source keeps working, with a finding.
 * Returns what could not be resolved as problems (one line each) for a `source_layout` error.
 */
export function resolveColumns(options: ResolveOptions): { columns: Record<string, SchemaColumn>; findings: Finding[]; problems: string[] } {
  const sameId = options.sameId ?? ((a, b) => a === b);
  const byId = (id: string) => options.schema.find((c) => sameId(c.id, id));
  const columns: Record<string, SchemaColumn> = {};
  const findings: Finding[] = [];
  const problems: string[] = [];
  for (const [field, spec] of Object.entries(options.mapping)) {
    if (!spec) continue;
    const written = spec.column;
    let column =
      options.schema.find((c) => c.name === written) ??
      options.schema.find((c) => c.name.trim().toLowerCase() === written.trim().toLowerCase()) ??
      byId(written);
    const remembered = options.previous?.[written];
    if (!column && remembered) {
      column = byId(remembered.id);
      if (column && !findings.some((f) => f.field === written)) {
        findings.push({
          code: 'column_renamed',
          severity: 'warning',
          source: options.source,
          recordId: '',
          field: written,
          value: column.name,
          url: null,
          row: null,
        });
      }
    }
    if (!column) {
      problems.push(`mapping.${field}: no column "${written}" in the source`);
      continue;
    }
    const kind = FIELD_KIND[field as keyof Mapping];
    if (kind && !options.accepts[kind].includes(column.type)) {
      problems.push(`mapping.${field}: "${column.name}" is a ${column.type} column; use one of type ${options.accepts[kind].join(', ')}`);
      continue;
    }
    columns[written] = { id: column.id, name: column.name, type: column.type };
  }
  return { columns, findings, problems };
}

/**
 * The kinds of value a column of this type can feed: those the driver's table accepts, and
 * `text` unless the type holds nothing readable as text (`textless`: attachments, record links).
 */
export function columnKinds(type: string, accepts: Readonly<Record<ValueKind, readonly string[]>>, textless: readonly string[]): ColumnKind[] {
  const kinds = (Object.keys(accepts) as ValueKind[]).filter((kind) => accepts[kind].includes(type));
  return textless.includes(type) ? kinds : ['text', ...kinds];
}

/** The columns a mapping reads, each once. */
export function mappedColumns(mapping: Mapping): string[] {
  return [...new Set(Object.values(mapping).flatMap((spec) => (spec ? [spec.column] : [])))];
}

/**
 * A source's memo, if it was made for the same input (`input`) and resolved every column the
 * mapping reads now; otherwise null, and the source resolves its schema again.
 */
export function usableMemo<M extends { input: string; columns: Record<string, SchemaColumn> }>(
  raw: unknown,
  input: string,
  mapping: Mapping,
  valid: (memo: M) => boolean,
): M | null {
  const memo = raw as M | null;
  if (!memo || memo.input !== input || typeof memo.columns !== 'object' || memo.columns === null || !valid(memo)) return null;
  return mappedColumns(mapping).every((c) => memo.columns[c]) ? memo : null;
}
