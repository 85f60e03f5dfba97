import type { NotionSourceConfig } from '../../config/schema.js';
import { resolveColumns, usableMemo } from '../shared/columns.js';
import type { Person } from '../../model/person.js';
import { clip, type Finding } from '../../model/finding.js';
import { TouchpointError } from '../../errors.js';
import type { ReadOutcome, ReadRequest, Source, SourceMemo, SourceRecord, SourceStats } from '../source.js';
import { assembleInterview } from '../shared/assemble.js';
import { RosterIndex } from '../shared/people.js';
import { realClock, type Clock } from '../shared/http.js';
import { NotionApi, type QueryBody } from './client.js';
import { toTouchpointError, type NotionErrorContext } from './errors.js';
import { notionIdFrom } from './ids.js';
import { NotionCells, type ResolvedColumn } from './map.js';
import { isRawPage, pageTitle, type RawDataSource, type RawPage, type RawPropertyValue } from './wire.js';

/** Notion rounds edit times down to the minute: ask again from a little before the bookmark (§2). */
export const INCREMENTAL_OVERLAP_MS = 2 * 60 * 1000;
/** Related-page titles kept between runs; enough for every account and study of a large team. */
const TITLE_CACHE_LIMIT = 20_000;

/** What the source keeps between runs, so an unchanged incremental run is one request. */
interface NotionMemo {
  /** The config's database and data source, to notice when they change. */
  input: string;
  databaseId: string | null;
  dataSourceId: string;
  /** Mapped column (as written in the config) → property id, name and type. */
  columns: Record<string, ResolvedColumn>;
  titles: Record<string, string>;
}

/** The property types that can give each kind of value a model field reads. */
const ACCEPTED_TYPES = {
  date: ['date', 'created_time', 'last_edited_time', 'formula', 'rollup', 'rich_text', 'title'],
  people: ['people', 'created_by', 'last_edited_by', 'rich_text', 'title', 'select', 'multi_select', 'relation'],
  minutes: ['number', 'formula', 'rollup', 'rich_text'],
  boolean: ['checkbox', 'formula', 'select', 'status', 'rich_text'],
} as const;

export interface NotionDeps {
  token: string | null;
  clock?: Clock;
}

/** A Notion data source, read through the official SDK; rows are pages, mapped by property id. */
export class NotionSource implements Source {
  readonly kind = 'notion' as const;
  readonly incremental = true;
  readonly name: string;
  readonly fullListingEveryMs: number;
  private readonly api: NotionApi;
  private readonly roster: RosterIndex;

  constructor(
    private readonly config: NotionSourceConfig,
    roster: readonly Person[],
    private readonly timezone: string,
    deps: NotionDeps,
  ) {
    this.name = config.name;
    this.fullListingEveryMs = config.fullListingHours * 3600_000;
    this.roster = new RosterIndex(roster);
    if (!deps.token) {
      throw new TouchpointError('source_auth', `Source "${config.name}" (Notion): NOTION_TOKEN is not set. Put the integration secret in the environment or in .env (see .env.example).`);
    }
    this.api = new NotionApi({
      token: deps.token,
      baseUrl: config.apiBaseUrl,
      requestsPerSecond: config.requestsPerSecond,
      timeoutMs: config.timeoutSeconds * 1000,
      maxRetries: config.maxRetries,
      clock: deps.clock ?? realClock,
    });
  }

  stats(): SourceStats {
    return { ...this.api.stats };
  }

  async probe(): Promise<string> {
    const findings: Finding[] = [];
    const memo = await this.resolve(null, findings);
    const renamed = findings.map((f) => `; "${f.field}" is now "${f.value}"`).join('');
    return `data source ${memo.dataSourceId}${memo.databaseId ? ` of database ${memo.databaseId}` : ''}: ${Object.keys(memo.columns).length} mapped columns found${renamed}`;
  }

  async *read(request: ReadRequest): AsyncGenerator<SourceRecord[], ReadOutcome> {
    let listing: ReadOutcome['listing'] = request.since === null ? 'full' : 'incremental';
    const known = this.usableMemo(request.memo);
    const sourceFindings: Finding[] = [];
    // A full listing re-reads the schema (renames, new options) and the related titles.
    const memo = listing === 'full' || !known ? await this.resolve(known, sourceFindings) : known;
    const titles = new Map(listing === 'full' ? [] : Object.entries(memo.titles));
    const columns = new Map(Object.entries(memo.columns));
    if (sourceFindings.length > 0) yield sourceFindings.map((f) => ({ recordId: '', interview: null, findings: [f], editedAt: null }));

    const pages = listing === 'full' ? this.listAll(memo.dataSourceId) : this.listSince(memo.dataSourceId, request.since!);
    let read = 0;
    let step = await pages.next();
    while (!step.done) {
      const batch = step.value;
      const relations = await this.loadRelations(batch, columns, titles);
      read += batch.length;
      request.onProgress?.(read, null);
      yield batch.map((page) => this.toRecord(page, columns, titles, relations.get(page.id) ?? new Map()));
      step = await pages.next();
    }
    listing = step.value;
    const kept = [...titles].slice(-TITLE_CACHE_LIMIT);
    return { listing, memo: { ...memo, titles: Object.fromEntries(kept) } satisfies NotionMemo as unknown as SourceMemo };
  }

  private usableMemo(raw: SourceMemo | null): NotionMemo | null {
    return usableMemo<NotionMemo>(raw, this.inputKey(), this.config.mapping, (m) => typeof m.dataSourceId === 'string');
  }

  private inputKey(): string {
    return `${this.config.database}#${this.config.dataSource ?? ''}`;
  }

  private fail(error: unknown, what: NotionErrorContext['what']): TouchpointError {
    return toTouchpointError(error, { source: this.name, input: this.config.database, what });
  }

  /** Find the data source behind the configured URL or id, and resolve every mapped column. */
  private async resolve(previous: NotionMemo | null, findings: Finding[]): Promise<NotionMemo> {
    const id = notionIdFrom(this.config.database);
    if (!id) {
      throw new TouchpointError(
        'source_invalid_id',
        `Source "${this.name}" (Notion): "${this.config.database}" is not a Notion id or database URL. Paste the database URL from the browser (https://www.notion.so/…-<32 hex characters>?v=…), its 32-character id, or a data source id (database settings → Manage data sources → Copy data source ID).`,
      );
    }
    let databaseId: string | null = null;
    let dataSourceId: string;
    let schema: RawDataSource | null = null;
    try {
      const database = await this.api.retrieveDatabase(id);
      databaseId = database.id;
      dataSourceId = this.pickDataSource(database.data_sources);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'object_not_found' && code !== 'validation_error') throw this.fail(error, 'database');
      // Not a database id (or not shared): it may be a data source id (notion-api.md §1, "probe").
      try {
        schema = await this.api.retrieveDataSource(id);
      } catch (inner) {
        throw this.fail(inner, 'database');
      }
      dataSourceId = schema.id;
      databaseId = schema.parent?.database_id ?? null;
    }
    if (!schema) {
      try {
        schema = await this.api.retrieveDataSource(dataSourceId);
      } catch (error) {
        throw this.fail(error, 'data source');
      }
    }
    return { input: this.inputKey(), databaseId, dataSourceId, columns: this.resolveColumns(schema, previous, findings), titles: previous?.titles ?? {} };
  }

  private pickDataSource(sources: Array<{ id: string; name: string }>): string {
    const wanted = this.config.dataSource?.trim().toLowerCase();
    if (wanted) {
      const match = sources.find((s) => s.name.trim().toLowerCase() === wanted);
      if (match) return match.id;
      throw new TouchpointError('source_ambiguous', `Source "${this.name}" (Notion): the database has no data source named "${this.config.dataSource}". It has: ${sources.map((s) => `"${s.name}"`).join(', ')}. Set sources[].dataSource to one of them.`);
    }
    if (sources.length === 1) return sources[0]!.id;
    if (sources.length === 0) throw new TouchpointError('source_not_found', `Source "${this.name}" (Notion): the database has no data source the integration can read.`);
    throw new TouchpointError('source_ambiguous', `Source "${this.name}" (Notion): the database has ${sources.length} data sources: ${sources.map((s) => `"${s.name}"`).join(', ')}. Say which one with sources[].dataSource.`);
  }

  /** Mapped columns → properties, following renames by property id (shared/columns.ts). */
  private resolveColumns(schema: RawDataSource, previous: NotionMemo | null, findings: Finding[]): Record<string, ResolvedColumn> {
    const properties = Object.values(schema.properties).map((p) => ({ id: p.id, name: p.name, type: p.type }));
    const resolved = resolveColumns({
      source: this.name,
      mapping: this.config.mapping,
      schema: properties,
      previous: previous?.columns,
      accepts: ACCEPTED_TYPES,
      sameId: (id, written) => id === written || safeDecode(id) === written,
    });
    findings.push(...resolved.findings);
    if (resolved.problems.length > 0) {
      const names = properties.map((p) => `"${p.name}" (${p.type})`).join(', ');
      throw new TouchpointError('source_layout', `Source "${this.name}" (Notion): the mapping does not match the data source. Its properties: ${names}. A relation's property disappears when its related database is not shared with the integration.`, resolved.problems);
    }
    return resolved.columns;
  }

  private async query(dataSourceId: string, body: QueryBody) {
    try {
      return await this.api.query(dataSourceId, body);
    } catch (error) {
      throw this.fail(error, 'rows');
    }
  }

  /**
   * Every live row, oldest created first. A single query stops at 10 000 rows
   * (`request_status: incomplete`); then the listing goes on from the last `created_time` seen,
   * skipping rows already read — the windowing of the SDK's `iterateAllDataSourceRows`, kept
   * here so our retry policy wraps every query (notion-api.md §2).
   */
  private async *listAll(dataSourceId: string): AsyncGenerator<RawPage[], 'full'> {
    const seen = new Set<string>();
    let after: string | null = null;
    for (;;) {
      let cursor: string | undefined;
      let incomplete = false;
      let last: string | null = null;
      do {
        const response = await this.query(dataSourceId, {
          page_size: this.config.pageSize,
          sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
          ...(after ? { filter: { timestamp: 'created_time', created_time: { on_or_after: after } } } : {}),
          ...(cursor ? { start_cursor: cursor } : {}),
        });
        const pages = response.results.filter(isRawPage);
        if (pages.length > 0) last = pages[pages.length - 1]!.created_time;
        const fresh = pages.filter((p) => !seen.has(p.id));
        for (const p of fresh) seen.add(p.id);
        incomplete ||= response.request_status?.type === 'incomplete';
        const live = fresh.filter((p) => !p.in_trash);
        if (live.length > 0) yield live;
        cursor = response.has_more && response.next_cursor ? response.next_cursor : undefined;
      } while (cursor);
      if (!incomplete) return 'full';
      if (last === null || last === after) {
        throw new TouchpointError('source_unavailable', `Source "${this.name}" (Notion): more than 10 000 rows were created in the same minute (${last}); Notion cannot list past that. Nothing was changed.`);
      }
      after = last;
    }
  }

  /** Rows edited since the bookmark (minus the overlap); falls back to a full listing past 10 000. */
  private async *listSince(dataSourceId: string, since: string): AsyncGenerator<RawPage[], 'full' | 'incremental'> {
    const from = new Date(Date.parse(since) - INCREMENTAL_OVERLAP_MS).toISOString();
    let cursor: string | undefined;
    do {
      const response = await this.query(dataSourceId, {
        page_size: this.config.pageSize,
        sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
        filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: from } },
        ...(cursor ? { start_cursor: cursor } : {}),
      });
      if (response.request_status?.type === 'incomplete') {
        // Windowing on last_edited_time drops rows edited meanwhile (the cookbook's warning): list all.
        return yield* this.listAll(dataSourceId);
      }
      const live = response.results.filter(isRawPage).filter((p) => !p.in_trash);
      if (live.length > 0) yield live;
      cursor = response.has_more && response.next_cursor ? response.next_cursor : undefined;
    } while (cursor);
    return 'incremental';
  }

  /**
   * For mapped relation columns: the full id list where a value was cut at 25 (`has_more`), and
   * the title of every related page not yet known. Returns page id → property id → ids.
   */
  private async loadRelations(pages: RawPage[], columns: ReadonlyMap<string, ResolvedColumn>, titles: Map<string, string>): Promise<Map<string, Map<string, string[]>>> {
    const relationIds = [...columns.values()].filter((c) => c.type === 'relation').map((c) => c.id);
    const out = new Map<string, Map<string, string[]>>();
    if (relationIds.length === 0) return out;
    const wanted = new Set<string>();
    for (const page of pages) {
      for (const value of Object.values(page.properties)) {
        if (!relationIds.includes(value.id) || value.type !== 'relation') continue;
        let ids = ((value['relation'] as Array<{ id: string }>) ?? []).map((r) => r.id);
        if (value['has_more'] === true) ids = await this.allRelationIds(page.id, value);
        if (!out.has(page.id)) out.set(page.id, new Map());
        out.get(page.id)!.set(value.id, ids);
        for (const id of ids) if (!titles.has(id)) wanted.add(id);
      }
    }
    for (const id of wanted) {
      try {
        titles.set(id, pageTitle(await this.api.retrievePage(id)));
      } catch (error) {
        if ((error as { code?: string }).code !== 'object_not_found') throw this.fail(error, 'related page');
        titles.set(id, ''); // not shared: reported per row
      }
    }
    return out;
  }

  private async allRelationIds(pageId: string, value: RawPropertyValue): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      let list;
      try {
        list = await this.api.propertyItems(pageId, value.id, cursor);
      } catch (error) {
        throw this.fail(error, 'rows');
      }
      for (const item of list.results) if (item.relation) ids.push(item.relation.id);
      cursor = list.has_more && list.next_cursor ? list.next_cursor : undefined;
    } while (cursor);
    return ids;
  }

  private toRecord(page: RawPage, columns: ReadonlyMap<string, ResolvedColumn>, titles: ReadonlyMap<string, string>, relations: ReadonlyMap<string, string[]>): SourceRecord {
    const cells = new NotionCells(page, { columns, titles, relations, zone: this.config.timezone ?? this.timezone });
    const { interview, findings } = assembleInterview(cells, {
      source: { name: this.name, kind: 'notion' },
      recordId: page.id,
      url: page.url,
      row: null,
      mapping: this.config.mapping,
      roster: this.roster,
      defaultCallType: this.config.defaultCallType,
      timestamps: { createdAt: page.created_time, updatedAt: page.last_edited_time },
    });
    for (const [column, resolved] of columns) {
      const hidden = (relations.get(resolved.id) ?? []).filter((id) => titles.get(id) === '');
      if (hidden.length > 0) {
        findings.push({ code: 'relation_not_shared', severity: 'warning', source: this.name, recordId: page.id, field: column, value: clip(hidden.join(', ')), url: page.url, row: null });
      }
    }
    return { recordId: page.id, interview, findings, editedAt: page.last_edited_time };
  }
}

function safeDecode(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
