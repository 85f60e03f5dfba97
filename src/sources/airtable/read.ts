import type { AirtableSourceConfig } from '../../config/schema.js';
import type { Person } from '../../model/person.js';
import type { Finding } from '../../model/finding.js';
import { TouchpointError } from '../../errors.js';
import type { ReadOutcome, ReadRequest, SampleRequest, SchemaDescription, Source, SourceMemo, SourceRecord, ValueSample } from '../source.js';
import { ValueCounter } from '../kit/sample.js';
import { setupFingerprint } from '../kit/fingerprint.js';
import { assembleInterview } from '../kit/assemble.js';
import { ApiSource, type ApiSourceDeps } from '../kit/api-source.js';
import { columnKinds, resolveColumns, usableMemo, type SchemaColumn } from '../kit/columns.js';
import { TransportError, type Transport } from '../kit/transport.js';
import { AirtableClient, type RawField, type RawMetaTables, type RawRecord, type RawTable } from './client.js';
import { toTouchpointError } from './errors.js';
import { AirtableCells } from './map.js';

/** Restarts of a listing whose iterator expired before the run gives up. */
const LISTING_RESTARTS = 2;
const BATCH_SIZE = 500;

/** The field types that can give each kind of value a model field reads. */
const ACCEPTED_TYPES = {
  date: ['date', 'dateTime', 'createdTime', 'lastModifiedTime', 'formula', 'rollup', 'multipleLookupValues', 'singleLineText'],
  people: [
    'singleCollaborator',
    'multipleCollaborators',
    'createdBy',
    'lastModifiedBy',
    'singleLineText',
    'multipleLookupValues',
    'singleSelect',
    'multipleSelects',
    'email',
  ],
  minutes: ['duration', 'number', 'formula', 'rollup', 'multipleLookupValues', 'singleLineText'],
  boolean: ['checkbox', 'formula', 'rollup', 'singleSelect', 'multipleLookupValues', 'singleLineText'],
} as const;

/** What the source keeps between runs: the field ids the mapping resolved to, to follow renames. */
type AirtableMemo = {
  input: string;
  tableId: string;
  columns: Record<string, SchemaColumn>;
  /** The "Last modified time" field incremental runs filter on; null: every run lists all. */
  lastModifiedFieldId: string | null;
};

/** Field types with nothing to read as text: a record link holds record ids (map its lookup field instead). */
const TEXTLESS_TYPES = ['multipleRecordLinks', 'multipleAttachments', 'button', 'singleCollaborator', 'multipleCollaborators', 'createdBy', 'lastModifiedBy'];

export type AirtableDeps = ApiSourceDeps;

/** An Airtable table read through the shared transport (client.ts); rows keyed by field id. */
export class AirtableSource extends ApiSource implements Source {
  readonly kind = 'airtable' as const;
  private readonly client: AirtableClient;
  protected readonly transport: Transport;
  readonly fingerprint: string;
  private described: Promise<RawMetaTables> | null = null;

  constructor(
    private readonly config: AirtableSourceConfig,
    roster: readonly Person[],
    private readonly timezone: string,
    deps: AirtableDeps,
  ) {
    super(
      config,
      roster,
      deps,
      `Source "${config.name}" (Airtable): AIRTABLE_TOKEN is not set. Put a personal access token (pat…) in the environment or in .env (see .env.example).`,
    );
    this.fingerprint = setupFingerprint(config, roster, timezone);
    this.client = new AirtableClient({ token: this.token, endpointUrl: config.endpointUrl, baseId: config.baseId, transport: this.transportSettings() });
    this.transport = this.client.transport;
  }

  async describeSchema(): Promise<SchemaDescription> {
    this.described = this.meta();
    const table = this.findTable(await this.described, null);
    return {
      source: this.name,
      kind: 'airtable',
      title: table.name,
      rows: null,
      columns: table.fields.map((f) => ({
        id: f.id,
        name: f.name,
        type: f.type,
        options: choices(f),
        samples: [],
        gives: columnKinds(f.type, ACCEPTED_TYPES, TEXTLESS_TYPES),
      })),
    };
  }

  async sampleValues(request: SampleRequest): Promise<ValueSample> {
    // The schema describeSchema just read (init asks for both in a row), else afresh.
    const table = this.findTable(await (this.described ?? this.meta()), null);
    const wanted = new Set([...request.values, ...request.people]);
    const columns = new Map(table.fields.filter((f) => wanted.has(f.name)).map((f) => [f.name, { id: f.id, name: f.name, type: f.type }]));
    const counter = new ValueCounter(request);
    const zone = this.config.timezone ?? this.timezone;
    try {
      for await (const page of this.client.pages(table.id, { pageSize: Math.min(this.config.pageSize, request.limit), view: this.config.view })) {
        for (const record of page) {
          counter.add(new AirtableCells(record.fields, columns, zone));
          if (counter.full) return counter.result(false);
        }
      }
    } catch (error) {
      throw this.fail(error, 'rows');
    }
    return counter.result(true);
  }

  async probe(): Promise<string> {
    const memo = await this.resolve(null, []);
    const tracking = memo.lastModifiedFieldId
      ? `incremental by field ${memo.lastModifiedFieldId}`
      : 'no "Last modified time" field: every sync lists every row';
    return `table ${memo.tableId}: ${Object.keys(memo.columns).length} mapped fields found; ${tracking}`;
  }

  async *read(request: ReadRequest): AsyncGenerator<SourceRecord[], ReadOutcome> {
    let listing: ReadOutcome['listing'] = request.since === null ? 'full' : 'incremental';
    this.beginRead();
    const findings: Finding[] = [];
    // Every run reads the schema (one request): Airtable omits empty fields from records, so a
    // removed column looks like empty cells. A mapped column that is gone refuses the run here,
    // before any row is read or the store touched.
    const memo = await this.resolve(this.usableMemo(request.memo), findings);
    if (memo.lastModifiedFieldId === null) {
      listing = 'full';
      findings.push({ code: 'no_change_tracking', severity: 'warning', source: this.name, recordId: '', field: null, value: null, url: null, row: null });
    }
    if (findings.length > 0) yield findings.map((f) => ({ recordId: '', interview: null, findings: [f], editedAt: null }));

    // IS_AFTER is strict and its precision undocumented: ask from a little before the bookmark.
    const filter =
      listing === 'incremental'
        ? `IS_AFTER({${memo.lastModifiedFieldId}}, '${new Date(Date.parse(request.since!) - this.config.incrementalOverlapMinutes * 60_000).toISOString()}')`
        : undefined;
    const records = await this.listAll(memo.tableId, filter, request.onProgress);
    const columns = new Map(Object.entries(memo.columns));
    for (let i = 0; i < records.length; i += BATCH_SIZE) {
      yield records.slice(i, i + BATCH_SIZE).map((record) => this.toRecord(record, memo, columns));
    }
    return { listing, memo };
  }

  private usableMemo(raw: SourceMemo | null): AirtableMemo | null {
    return usableMemo<AirtableMemo>(raw, this.inputKey(), this.config.mapping, (m) => typeof m.tableId === 'string');
  }

  private inputKey(): string {
    return `${this.config.baseId}/${this.config.table}/${this.config.view ?? ''}/${this.config.lastModifiedField ?? ''}`;
  }

  private fail(error: unknown, what: 'schema' | 'rows'): TouchpointError {
    return toTouchpointError(error, { source: this.name, baseId: this.config.baseId, table: this.config.table, what });
  }

  private async meta(): Promise<RawMetaTables> {
    try {
      return await this.client.tables();
    } catch (error) {
      throw this.fail(error, 'schema');
    }
  }

  /** The configured table, by id or name (then ignoring case, then the id the last run found). */
  private findTable(meta: RawMetaTables, previousId: string | null): RawTable {
    const wanted = this.config.table;
    const table =
      meta.tables.find((t) => t.id === wanted || t.name === wanted) ??
      meta.tables.find((t) => t.name.trim().toLowerCase() === wanted.trim().toLowerCase()) ??
      meta.tables.find((t) => t.id === previousId);
    if (!table) {
      throw new TouchpointError(
        'source_not_found',
        `Source "${this.name}" (Airtable): base ${this.config.baseId} has no table "${wanted}". Its tables: ${meta.tables.map((t) => `"${t.name}" (${t.id})`).join(', ')}. Set sources[].table to one of them.`,
      );
    }
    return table;
  }

  /** Read the base's schema: the table, each mapped field, and the field incremental runs filter on. */
  private async resolve(previous: AirtableMemo | null, findings: Finding[]): Promise<AirtableMemo> {
    const table = this.findTable(await this.meta(), previous?.tableId ?? null);
    const schema = table.fields.map((f) => ({ id: f.id, name: f.name, type: f.type }));
    const resolved = resolveColumns({ source: this.name, mapping: this.config.mapping, schema, previous: previous?.columns, accepts: ACCEPTED_TYPES });
    findings.push(...resolved.findings);
    if (resolved.problems.length > 0) {
      throw new TouchpointError(
        'source_layout',
        `Source "${this.name}" (Airtable): the mapping does not match table "${table.name}". Its fields: ${schema.map((f) => `"${f.name}" (${f.type})`).join(', ')}.`,
        resolved.problems,
      );
    }
    return { input: this.inputKey(), tableId: table.id, columns: resolved.columns, lastModifiedFieldId: this.lastModifiedField(table.fields) };
  }

  /** The configured field, or the first "Last modified time" field that tracks every field. */
  private lastModifiedField(fields: RawField[]): string | null {
    const wanted = this.config.lastModifiedField;
    if (wanted) {
      const field = fields.find((f) => f.id === wanted || f.name === wanted);
      if (!field || field.type !== 'lastModifiedTime') {
        throw new TouchpointError(
          'source_layout',
          `Source "${this.name}" (Airtable): sources[].lastModifiedField "${wanted}" ${field ? `is a ${field.type} field` : 'is not a field of the table'}; it must be a "Last modified time" field.`,
        );
      }
      return field.id;
    }
    const tracking = fields.find((f) => {
      if (f.type !== 'lastModifiedTime') return false;
      const options = f.options as { referencedFieldIds?: unknown[]; result?: { type?: string } } | undefined;
      // Only a field that watches every field, and keeps the time of day, is a bookmark (docs/sources.md, "Airtable incremental runs").
      return (options?.referencedFieldIds ?? []).length === 0 && (options?.result?.type ?? 'dateTime') === 'dateTime';
    });
    return tracking?.id ?? null;
  }

  /** Every record (of the filter), restarting from the top if Airtable expires the iterator. */
  private async listAll(tableId: string, filterByFormula: string | undefined, onProgress?: (read: number, total: number | null) => void): Promise<RawRecord[]> {
    for (let attempt = 0; ; attempt++) {
      const records: RawRecord[] = [];
      try {
        // Pages are only collected here (the mapping comes after), so the next page is asked for at once.
        for await (const page of this.client.pages(tableId, { pageSize: this.config.pageSize, view: this.config.view, filterByFormula })) {
          records.push(...page);
          onProgress?.(records.length, null);
        }
        return records;
      } catch (error) {
        const expired = TransportError.isTransportError(error) && error.codes.includes('LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
        if (!expired || attempt >= LISTING_RESTARTS) throw this.fail(error, 'rows');
      }
    }
  }

  private toRecord(record: RawRecord, memo: AirtableMemo, columns: ReadonlyMap<string, SchemaColumn>): SourceRecord {
    const cells = new AirtableCells(record.fields, columns, this.config.timezone ?? this.timezone);
    const edited = memo.lastModifiedFieldId ? record.fields[memo.lastModifiedFieldId] : undefined;
    const editedAt = typeof edited === 'string' && edited.includes('T') ? new Date(edited).toISOString() : null;
    const url = `https://airtable.com/${this.config.baseId}/${memo.tableId}/${record.id}`;
    const { interview, findings } = assembleInterview(cells, {
      source: { name: this.name, kind: 'airtable' },
      recordId: record.id,
      url,
      row: null,
      mapping: this.config.mapping,
      roster: this.roster,
      defaultCallType: this.config.defaultCallType,
      limits: this.limits,
      timestamps: { createdAt: record.createdTime, updatedAt: editedAt },
    });
    return { recordId: record.id, interview, findings, editedAt };
  }
}

/** A select's choices, as the metadata API lists them (without counts). */
function choices(field: RawField): SchemaDescription['columns'][number]['options'] {
  const list = (field.options as { choices?: unknown } | undefined)?.choices;
  if (!Array.isArray(list)) return null;
  return list.flatMap((c) => (typeof (c as { name?: unknown }).name === 'string' ? [{ name: (c as { name: string }).name, count: null }] : []));
}
