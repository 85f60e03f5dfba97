import type { AirtableSourceConfig } from '../../config/schema.js';
import type { Person } from '../../model/person.js';
import type { Finding } from '../../model/finding.js';
import { TouchpointError } from '../../errors.js';
import type { ReadOutcome, ReadRequest, Source, SourceMemo, SourceRecord, SourceStats } from '../source.js';
import { assembleInterview } from '../shared/assemble.js';
import { RosterIndex } from '../shared/people.js';
import { resolveColumns, usableMemo, type SchemaColumn } from '../shared/columns.js';
import { realClock, type Clock } from '../shared/http.js';
import { AirtableApiError, AirtableClient, type RawMetaTables, type RawRecord } from './client.js';
import { toTouchpointError } from './errors.js';
import { AirtableCells } from './map.js';

/** Restarts of a listing whose iterator expired before the run gives up. */
const LISTING_RESTARTS = 2;
const BATCH_SIZE = 500;

/** The field types that can give each kind of value a model field reads. */
const ACCEPTED_TYPES = {
  date: ['date', 'dateTime', 'createdTime', 'lastModifiedTime', 'formula', 'rollup', 'multipleLookupValues', 'singleLineText'],
  people: ['singleCollaborator', 'multipleCollaborators', 'createdBy', 'lastModifiedBy', 'singleLineText', 'multipleLookupValues', 'singleSelect', 'multipleSelects', 'email'],
  minutes: ['duration', 'number', 'formula', 'rollup', 'multipleLookupValues', 'singleLineText'],
  boolean: ['checkbox', 'formula', 'rollup', 'singleSelect', 'multipleLookupValues', 'singleLineText'],
} as const;

/** What the source keeps between runs, so an unchanged incremental run is one request. */
interface AirtableMemo {
  input: string;
  tableId: string;
  columns: Record<string, SchemaColumn>;
  /** The "Last modified time" field incremental runs filter on; null: every run lists all. */
  lastModifiedFieldId: string | null;
}

export interface AirtableDeps {
  token: string | null;
  clock?: Clock;
}

/** An Airtable table read through airtable.js (wrapped in client.ts); rows keyed by field id. */
export class AirtableSource implements Source {
  readonly kind = 'airtable' as const;
  readonly incremental = true;
  readonly name: string;
  readonly fullListingEveryMs: number;
  private readonly client: AirtableClient;
  private readonly roster: RosterIndex;

  constructor(
    private readonly config: AirtableSourceConfig,
    roster: readonly Person[],
    private readonly timezone: string,
    deps: AirtableDeps,
  ) {
    this.name = config.name;
    this.fullListingEveryMs = config.fullListingHours * 3600_000;
    this.roster = new RosterIndex(roster);
    if (!deps.token) {
      throw new TouchpointError('source_auth', `Source "${config.name}" (Airtable): AIRTABLE_TOKEN is not set. Put a personal access token (pat…) in the environment or in .env (see .env.example).`);
    }
    this.client = new AirtableClient({
      token: deps.token,
      endpointUrl: config.endpointUrl,
      baseId: config.baseId,
      requestsPerSecond: config.requestsPerSecond,
      timeoutMs: config.timeoutSeconds * 1000,
      maxRetries: config.maxRetries,
      clock: deps.clock ?? realClock,
    });
  }

  stats(): SourceStats {
    return { ...this.client.stats };
  }

  async probe(): Promise<string> {
    const memo = await this.resolve(null, []);
    const tracking = memo.lastModifiedFieldId ? `incremental by field ${memo.lastModifiedFieldId}` : 'no "Last modified time" field: every sync lists every row';
    return `table ${memo.tableId}: ${Object.keys(memo.columns).length} mapped fields found; ${tracking}`;
  }

  async *read(request: ReadRequest): AsyncGenerator<SourceRecord[], ReadOutcome> {
    let listing: ReadOutcome['listing'] = request.since === null ? 'full' : 'incremental';
    const known = this.usableMemo(request.memo);
    const findings: Finding[] = [];
    // A full listing re-reads the schema: renamed fields, a new "Last modified" field.
    const memo = listing === 'full' || !known ? await this.resolve(known, findings) : known;
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
    return { listing, memo: memo as unknown as SourceMemo };
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

  /** Read the base's schema: the table, each mapped field, and the field incremental runs filter on. */
  private async resolve(previous: AirtableMemo | null, findings: Finding[]): Promise<AirtableMemo> {
    let meta: RawMetaTables;
    try {
      meta = await this.client.tables();
    } catch (error) {
      throw this.fail(error, 'schema');
    }
    const wanted = this.config.table;
    const table =
      meta.tables.find((t) => t.id === wanted || t.name === wanted) ??
      meta.tables.find((t) => t.name.trim().toLowerCase() === wanted.trim().toLowerCase()) ??
      meta.tables.find((t) => t.id === previous?.tableId);
    if (!table) {
      throw new TouchpointError('source_not_found', `Source "${this.name}" (Airtable): base ${this.config.baseId} has no table "${wanted}". Its tables: ${meta.tables.map((t) => `"${t.name}" (${t.id})`).join(', ')}. Set sources[].table to one of them.`);
    }
    const schema = table.fields.map((f) => ({ id: f.id, name: f.name, type: f.type }));
    const resolved = resolveColumns({ source: this.name, mapping: this.config.mapping, schema, previous: previous?.columns, accepts: ACCEPTED_TYPES });
    findings.push(...resolved.findings);
    if (resolved.problems.length > 0) {
      throw new TouchpointError('source_layout', `Source "${this.name}" (Airtable): the mapping does not match table "${table.name}". Its fields: ${schema.map((f) => `"${f.name}" (${f.type})`).join(', ')}.`, resolved.problems);
    }
    return { input: this.inputKey(), tableId: table.id, columns: resolved.columns, lastModifiedFieldId: this.lastModifiedField(table.fields) };
  }

  /** The configured field, or the first "Last modified time" field that tracks every field. */
  private lastModifiedField(fields: RawMetaTables['tables'][number]['fields']): string | null {
    const wanted = this.config.lastModifiedField;
    if (wanted) {
      const field = fields.find((f) => f.id === wanted || f.name === wanted);
      if (!field || field.type !== 'lastModifiedTime') {
        throw new TouchpointError('source_layout', `Source "${this.name}" (Airtable): sources[].lastModifiedField "${wanted}" ${field ? `is a ${field.type} field` : 'is not a field of the table'}; it must be a "Last modified time" field.`);
      }
      return field.id;
    }
    const tracking = fields.find((f) => {
      if (f.type !== 'lastModifiedTime') return false;
      const options = f.options as { referencedFieldIds?: unknown[]; result?: { type?: string } } | undefined;
      // Only a field that watches every field, and keeps the time of day, is a bookmark (§6).
      return (options?.referencedFieldIds ?? []).length === 0 && (options?.result?.type ?? 'dateTime') === 'dateTime';
    });
    return tracking?.id ?? null;
  }

  /** Every record (of the filter), restarting from the top if Airtable expires the iterator. */
  private async listAll(tableId: string, filterByFormula: string | undefined, onProgress?: (read: number, total: number | null) => void): Promise<RawRecord[]> {
    for (let attempt = 0; ; attempt++) {
      const records: RawRecord[] = [];
      try {
        await this.client.list(tableId, { pageSize: this.config.pageSize, view: this.config.view, filterByFormula }, (page) => {
          // Pages are only collected here (the mapping comes after), so the next page is asked for at once.
          records.push(...page);
          onProgress?.(records.length, null);
        });
        return records;
      } catch (error) {
        const expired = error instanceof AirtableApiError && error.type === 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE';
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
      timestamps: { createdAt: record.createdTime, updatedAt: editedAt },
    });
    return { recordId: record.id, interview, findings, editedAt };
  }
}
