import type { NotionSourceConfig } from '../../config/schema.js';
import { columnKinds, resolveColumns, usableMemo } from '../kit/columns.js';
import type { Person } from '../../model/person.js';
import { clip, type Finding } from '../../model/finding.js';
import { TouchpointError } from '../../errors.js';
import type { ReadOutcome, ReadRequest, SampleRequest, SchemaDescription, Source, SourceMemo, SourceRecord, ValueSample } from '../source.js';
import { ValueCounter } from '../kit/sample.js';
import { setupFingerprint } from '../kit/fingerprint.js';
import { assembleInterview, rowLabelOf } from '../kit/assemble.js';
import { ApiSource, type ApiSourceDeps } from '../kit/api-source.js';
import { NotionApi } from './client.js';
import type { Transport } from '../kit/transport.js';
import { notionCode, toTouchpointError, type NotionErrorContext } from './errors.js';
import { notionIdFrom } from './ids.js';
import { NotionCells, type ResolvedColumn } from './map.js';
import { isRawPage, pageTitle, plainText, type RawDatabase, type RawDataSource, type RawPage, type RawPropertyValue, type RawSchemaProperty } from './wire.js';

/** Notion rounds edit times down to the minute: ask again from a little before the bookmark (docs/sources.md). */
export const INCREMENTAL_OVERLAP_MS = 2 * 60 * 1000;
/** Related-page titles kept between runs; enough for every account and study of a large team. */
const TITLE_CACHE_LIMIT = 20_000;
/** How long related-page titles are trusted before a full listing reads them again. */
const TITLE_REFRESH_MS = 7 * 24 * 3600_000;

/** What the source keeps between runs, so an unchanged incremental run is one request. */
type NotionMemo = {
  /** The config's database and data source, to notice when they change. */
  input: string;
  databaseId: string | null;
  dataSourceId: string;
  /** Mapped column (as written in the config) → property id, name and type. */
  columns: Record<string, ResolvedColumn>;
  titles: Record<string, string>;
  /** When the titles were last read afresh (UTC ISO): a full listing a week later reads them again, so renames show. */
  titlesReadAt?: string;
};

/** The property types that can give each kind of value a model field reads. */
const ACCEPTED_TYPES = {
  date: ['date', 'created_time', 'last_edited_time', 'formula', 'rollup', 'rich_text', 'title'],
  people: ['people', 'created_by', 'last_edited_by', 'rich_text', 'title', 'select', 'multi_select', 'relation'],
  minutes: ['number', 'formula', 'rollup', 'rich_text'],
  boolean: ['checkbox', 'formula', 'select', 'status', 'rich_text'],
} as const;

/** Property types with nothing to read as text. */
const TEXTLESS_TYPES = ['files', 'button', 'people', 'created_by', 'last_edited_by'];

export type NotionDeps = ApiSourceDeps;

/** A Notion data source, read through the official SDK; rows are pages, mapped by property id. */
export class NotionSource extends ApiSource implements Source {
  readonly kind = 'notion' as const;
  private readonly api: NotionApi;
  protected readonly transport: Transport;
  readonly fingerprint: string;
  private described: ReturnType<NotionSource['locate']> | null = null;

  constructor(
    private readonly config: NotionSourceConfig,
    roster: readonly Person[],
    private readonly timezone: string,
    deps: NotionDeps,
  ) {
    super(
      config,
      roster,
      deps,
      `Source "${config.name}" (Notion): NOTION_TOKEN is not set. Put the integration secret in the environment or in .env (see .env.example).`,
    );
    this.fingerprint = setupFingerprint(config, roster, timezone);
    this.api = new NotionApi({ token: this.token, baseUrl: config.apiBaseUrl, transport: this.transportSettings() });
    this.transport = this.api.transport;
  }

  async probe(): Promise<string> {
    const findings: Finding[] = [];
    const memo = await this.resolve(null, findings);
    const renamed = findings.map((f) => `; "${f.field}" is now "${f.value}"`).join('');
    return `data source ${memo.dataSourceId}${memo.databaseId ? ` of database ${memo.databaseId}` : ''}: ${Object.keys(memo.columns).length} mapped columns found${renamed}`;
  }

  async *read(request: ReadRequest): AsyncGenerator<SourceRecord[], ReadOutcome> {
    let listing: ReadOutcome['listing'] = request.since === null ? 'full' : 'incremental';
    this.beginRead();
    const known = this.usableMemo(request.memo);
    const sourceFindings: Finding[] = [];
    // A full listing re-reads the schema (renames, new options) and the related titles.
    let memo = listing === 'full' || !known ? await this.resolve(known, sourceFindings) : known;
    // Related-page titles are kept across runs, full ones too: a full listing would otherwise read
    // every related page again (one request each: 500 accounts, three minutes at 3 a second). Once
    // a week a full listing reads them afresh, so a renamed account shows its new name.
    const now = this.clock.now();
    const refresh = listing === 'full' && (!memo.titlesReadAt || now - Date.parse(memo.titlesReadAt) > TITLE_REFRESH_MS);
    const titles = new Map(refresh ? [] : Object.entries(memo.titles));
    const titlesReadAt = refresh ? new Date(now).toISOString() : memo.titlesReadAt;
    let columns = new Map(Object.entries(memo.columns));
    if (sourceFindings.length > 0) yield sourceFindings.map((f) => ({ recordId: '', interview: null, findings: [f], editedAt: null }));

    const pages = request.since === null || listing === 'full' ? this.listAll(memo.dataSourceId) : this.listSince(memo.dataSourceId, request.since);
    let read = 0;
    let checked = listing === 'full'; // a full listing resolved the schema just now
    let step = await pages.next();
    while (!step.done) {
      const batch = step.value;
      if (!checked && batch.some((page) => [...columns.values()].some((c) => !hasProperty(page, c.id)))) {
        // A page without a resolved property id: the schema changed since the memo. Resolve again
        // (a removed column refuses the run here, before the store is touched), then go on.
        checked = true;
        const findings: Finding[] = [];
        memo = await this.resolve(memo, findings);
        columns = new Map(Object.entries(memo.columns));
        if (findings.length > 0) yield findings.map((f) => ({ recordId: '', interview: null, findings: [f], editedAt: null }));
      }
      const relations = await this.loadRelations(batch, columns, titles);
      read += batch.length;
      request.onProgress?.(read, null);
      yield batch.map((page) => this.toRecord(page, columns, titles, relations.get(page.id) ?? new Map()));
      step = await pages.next();
    }
    listing = step.value;
    const kept = [...titles].slice(-TITLE_CACHE_LIMIT);
    return { listing, memo: { ...memo, titles: Object.fromEntries(kept), ...(titlesReadAt ? { titlesReadAt } : {}) } };
  }

  async describeSchema(): Promise<SchemaDescription> {
    this.described = this.locate();
    const { schema } = await this.described;
    return {
      source: this.name,
      kind: 'notion',
      title: plainText(schema.title) || schema.id,
      rows: null,
      columns: Object.values(schema.properties).map((p) => ({
        id: p.id,
        name: p.name,
        type: p.type,
        options: schemaOptions(p),
        samples: [],
        gives: columnKinds(p.type, ACCEPTED_TYPES, TEXTLESS_TYPES),
      })),
    };
  }

  async sampleValues(request: SampleRequest): Promise<ValueSample> {
    // The schema describeSchema just read (init asks for both in a row), else afresh.
    const { dataSourceId, schema } = await (this.described ?? this.locate());
    const wanted = new Set([...request.values, ...request.people]);
    const columns = new Map(
      Object.values(schema.properties)
        .filter((p) => wanted.has(p.name))
        .map((p) => [p.name, { id: p.id, name: p.name, type: p.type }]),
    );
    const context = { columns, titles: new Map<string, string>(), relations: new Map<string, string[]>(), zone: this.config.timezone ?? this.timezone };
    const counter = new ValueCounter(request);
    try {
      for await (const page of this.api.iterateAll(dataSourceId, Math.min(this.config.pageSize, request.limit))) {
        if (page.in_trash) continue;
        counter.add(new NotionCells(page, context));
        if (counter.full) return counter.result(false);
      }
    } catch (error) {
      throw this.fail(error, 'rows');
    }
    return counter.result(true);
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

  /** The data source behind the configured URL or id, with its schema. */
  private async locate(): Promise<{ databaseId: string | null; dataSourceId: string; schema: RawDataSource }> {
    const id = notionIdFrom(this.config.database);
    if (!id) {
      throw new TouchpointError(
        'source_invalid_id',
        `Source "${this.name}" (Notion): "${this.config.database}" is not a Notion id or database URL. Paste the database URL from the browser (https://www.notion.so/…-<32 hex characters>?v=…), its 32-character id, or a data source id (database settings → Manage data sources → Copy data source ID).`,
      );
    }
    let database: RawDatabase;
    try {
      database = await this.api.retrieveDatabase(id);
    } catch (error) {
      const code = notionCode(error);
      if (code !== 'object_not_found' && code !== 'validation_error') throw this.fail(error, 'database');
      // Not a database id (or not shared): it may be a data source id (docs/sources.md, "Notion ids").
      let schema: RawDataSource;
      try {
        schema = await this.api.retrieveDataSource(id);
      } catch (inner) {
        throw this.fail(inner, 'database');
      }
      return { databaseId: schema.parent?.database_id ?? null, dataSourceId: schema.id, schema };
    }
    const dataSourceId = this.pickDataSource(database.data_sources);
    try {
      return { databaseId: database.id, dataSourceId, schema: await this.api.retrieveDataSource(dataSourceId) };
    } catch (error) {
      throw this.fail(error, 'data source');
    }
  }

  /** Find the data source and resolve every mapped column. */
  private async resolve(previous: NotionMemo | null, findings: Finding[]): Promise<NotionMemo> {
    const { databaseId, dataSourceId, schema } = await this.locate();
    return {
      input: this.inputKey(),
      databaseId,
      dataSourceId,
      columns: this.resolveColumns(schema, previous, findings),
      titles: previous?.titles ?? {},
      ...(previous?.titlesReadAt ? { titlesReadAt: previous.titlesReadAt } : {}),
    };
  }

  private pickDataSource(sources: Array<{ id: string; name: string }>): string {
    const wanted = this.config.dataSource?.trim().toLowerCase();
    if (wanted) {
      const match = sources.find((s) => s.name.trim().toLowerCase() === wanted);
      if (match) return match.id;
      throw new TouchpointError(
        'source_ambiguous',
        `Source "${this.name}" (Notion): the database has no data source named "${this.config.dataSource}". It has: ${sources.map((s) => `"${s.name}"`).join(', ')}. Set sources[].dataSource to one of them.`,
      );
    }
    if (sources.length === 1) return sources[0]!.id;
    if (sources.length === 0)
      throw new TouchpointError('source_not_found', `Source "${this.name}" (Notion): the database has no data source the integration can read.`);
    throw new TouchpointError(
      'source_ambiguous',
      `Source "${this.name}" (Notion): the database has ${sources.length} data sources: ${sources.map((s) => `"${s.name}"`).join(', ')}. Say which one with sources[].dataSource.`,
    );
  }

  /** Mapped columns → properties, following renames by property id (kit/columns.ts). */
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
      throw new TouchpointError(
        'source_layout',
        `Source "${this.name}" (Notion): the mapping does not match the data source. Its properties: ${names}. A relation's property disappears when its related database is not shared with the integration.`,
        resolved.problems,
      );
    }
    return resolved.columns;
  }

  /**
   * Every live row, oldest created first, in batches of a page, through the SDK's windowed
   * listing. A cursor Notion stops accepting mid-listing restarts the listing once (rows already
   * read are not repeated); a second failure says so.
   */
  private async *listAll(dataSourceId: string): AsyncGenerator<RawPage[], 'full'> {
    const seen = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      let readThisTime = 0;
      const batch: RawPage[] = [];
      try {
        for await (const page of this.api.iterateAll(dataSourceId, this.config.pageSize)) {
          readThisTime += 1;
          if (seen.has(page.id)) continue;
          seen.add(page.id);
          if (page.in_trash) continue;
          batch.push(page);
          if (batch.length >= this.config.pageSize) yield batch.splice(0);
        }
        if (batch.length > 0) yield batch;
        return 'full';
      } catch (error) {
        if (!(readThisTime > 0 && notionCode(error) === 'validation_error')) throw this.fail(error, 'rows');
        if (attempt >= 2) throw this.cursorRejected(error);
        if (batch.length > 0) yield batch.splice(0);
      }
    }
  }

  /**
   * Rows edited since the bookmark (minus the overlap). A rejected cursor restarts once; past
   * Notion's 10 000-row cap it lists everything instead (windowing on last_edited_time drops rows
   * edited meanwhile).
   */
  private async *listSince(dataSourceId: string, since: string): AsyncGenerator<RawPage[], 'full' | 'incremental'> {
    const from = new Date(Date.parse(since) - INCREMENTAL_OVERLAP_MS).toISOString();
    for (let attempt = 1; ; attempt++) {
      let cursor: string | undefined;
      let pagesRead = 0;
      try {
        do {
          const response = await this.api.editedSince(dataSourceId, {
            since: from,
            pageSize: this.config.pageSize,
            ...(cursor ? { startCursor: cursor } : {}),
          });
          pagesRead += 1;
          if (response.request_status?.type === 'incomplete') return yield* this.listAll(dataSourceId);
          const live = response.results.filter(isRawPage).filter((p) => !p.in_trash);
          if (live.length > 0) yield live;
          cursor = response.has_more && response.next_cursor ? response.next_cursor : undefined;
        } while (cursor);
        return 'incremental';
      } catch (error) {
        if (TouchpointError.isTouchpointError(error)) throw error;
        if (!(pagesRead > 0 && notionCode(error) === 'validation_error')) throw this.fail(error, 'rows');
        if (attempt >= 2) throw this.cursorRejected(error);
      }
    }
  }

  private cursorRejected(error: unknown): TouchpointError {
    const detail = error instanceof Error ? error.message : String(error);
    return new TouchpointError(
      'source_unavailable',
      `Source "${this.name}" (Notion): Notion stopped accepting the listing's cursor part-way, twice in a row (${detail}). The listing was restarted once; rows are being edited or the data source is changing faster than it can be read. Nothing was changed; run the sync again.`,
      [],
      { cause: error },
    );
  }

  /**
   * For mapped relation columns: the full id list where a value was cut at 25 (`has_more`), and
   * the title of every related page not yet known. Returns page id → property id → ids.
   */
  private async loadRelations(
    pages: RawPage[],
    columns: ReadonlyMap<string, ResolvedColumn>,
    titles: Map<string, string>,
  ): Promise<Map<string, Map<string, string[]>>> {
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
        if (notionCode(error) !== 'object_not_found') throw this.fail(error, 'related page');
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

  private toRecord(
    page: RawPage,
    columns: ReadonlyMap<string, ResolvedColumn>,
    titles: ReadonlyMap<string, string>,
    relations: ReadonlyMap<string, string[]>,
  ): SourceRecord {
    const cells = new NotionCells(page, { columns, titles, relations, zone: this.config.timezone ?? this.timezone });
    const { interview, findings } = assembleInterview(cells, {
      source: { name: this.name, kind: 'notion' },
      recordId: page.id,
      url: page.url,
      row: null,
      mapping: this.config.mapping,
      roster: this.roster,
      defaultCallType: this.config.defaultCallType,
      limits: this.limits,
      timestamps: { createdAt: page.created_time, updatedAt: page.last_edited_time },
    });
    for (const [column, resolved] of columns) {
      const hidden = (relations.get(resolved.id) ?? []).filter((id) => titles.get(id) === '');
      if (hidden.length > 0) {
        findings.push({
          code: 'relation_not_shared',
          severity: 'warning',
          source: this.name,
          recordId: page.id,
          field: column,
          value: clip(hidden.join(', ')),
          url: page.url,
          row: null,
          label: rowLabelOf(interview),
        });
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

function hasProperty(page: RawPage, id: string): boolean {
  for (const value of Object.values(page.properties)) if (value.id === id) return true;
  return false;
}

/** A select's, multi-select's or status's options, as the schema lists them (without counts). */
function schemaOptions(property: RawSchemaProperty): SchemaDescription['columns'][number]['options'] {
  const inner = property[property.type] as { options?: unknown } | undefined;
  if (!inner || !Array.isArray(inner.options)) return null;
  return inner.options.flatMap((o) => (typeof (o as { name?: unknown }).name === 'string' ? [{ name: (o as { name: string }).name, count: null }] : []));
}
