import { Client, iterateAllDataSourceRows } from '@notionhq/client';
import { Transport, TransportError } from '../kit/transport.js';
import type { TransportSettings } from '../kit/api-source.js';
import { NOTION_RULES } from './rules.js';
import {
  isRawDatabase,
  isRawDataSource,
  isRawPage,
  isRawPropertyItemList,
  isRawQueryResponse,
  type RawDatabase,
  type RawDataSource,
  type RawPage,
  type RawPropertyItemList,
  type RawQueryResponse,
} from './wire.js';

/**
 * The Notion API version every request sends. 2025-09-03 is the data-sources API the fixtures
 * speak; pinned so an SDK upgrade cannot change it under us (docs/sources.md, "Notion").
 */
export const NOTION_VERSION = '2025-09-03';

export interface NotionApiOptions {
  token: string;
  baseUrl: string;
  /** Pacing, deadlines and retries, from the source's config. */
  transport: TransportSettings;
}

/** An incremental query: rows edited on or after `since`, oldest edit first. */
export interface EditedSince {
  since: string;
  pageSize: number;
  startCursor?: string;
}

/** Every Notion answer is an object with an `object` field; anything else is retried as a bad answer. */
const isNotionObject = (json: unknown) => typeof (json as { object?: unknown }).object === 'string';

/**
 * The read calls touchpoint makes, through the official SDK with the shared transport under it
 * (`fetch`): pacing, deadlines and the one retry policy live there; the SDK's own retries are off.
 * Answers are checked at this wire boundary.
 */
export class NotionApi {
  readonly transport: Transport;
  private readonly client: Client;

  constructor(options: NotionApiOptions) {
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.transport = new Transport({
      rules: NOTION_RULES,
      connection: `notion ${baseUrl} ${options.token}`,
      ...options.transport,
      accept: isNotionObject,
    });
    this.client = new Client({
      auth: options.token,
      baseUrl,
      notionVersion: NOTION_VERSION,
      retry: false, // retries live in one place: the transport
      timeoutMs: options.transport.runTimeoutMs + 60_000, // the transport's deadlines end every attempt first
      fetch: this.transport.fetch,
      logger: () => {}, // the SDK would log every failed attempt; the run report says what happened
    });
  }

  async retrieveDatabase(databaseId: string): Promise<RawDatabase> {
    return expect(await this.client.databases.retrieve({ database_id: databaseId }), isRawDatabase, 'database');
  }

  async retrieveDataSource(dataSourceId: string): Promise<RawDataSource> {
    return expect(await this.client.dataSources.retrieve({ data_source_id: dataSourceId }), isRawDataSource, 'data source');
  }

  /**
   * Every row, past the 10 000-row cap of one query: the SDK's windowed listing by created_time
   * (docs/sources.md, "Notion: more than 10 000 rows"). Yields rows one by one, trashed ones included.
   */
  async *iterateAll(dataSourceId: string, pageSize: number): AsyncGenerator<RawPage> {
    for await (const row of iterateAllDataSourceRows(this.client, { data_source_id: dataSourceId, page_size: pageSize })) {
      if (isRawPage(row)) yield row;
    }
  }

  /** One page of the rows edited since a time, oldest edit first. */
  async editedSince(dataSourceId: string, query: EditedSince): Promise<RawQueryResponse> {
    const response = await this.client.dataSources.query({
      data_source_id: dataSourceId,
      page_size: query.pageSize,
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
      filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: query.since } },
      ...(query.startCursor ? { start_cursor: query.startCursor } : {}),
    });
    return expect(response, isRawQueryResponse, 'query result');
  }

  async retrievePage(pageId: string): Promise<RawPage> {
    return expect(await this.client.pages.retrieve({ page_id: pageId }), isRawPage, 'page');
  }

  /** One page of a property's items (relations past 25); property ids are passed as the API returns them. */
  async propertyItems(pageId: string, propertyId: string, startCursor?: string): Promise<RawPropertyItemList> {
    const response = await this.client.pages.properties.retrieve({
      page_id: pageId,
      property_id: propertyId,
      page_size: 100,
      ...(startCursor ? { start_cursor: startCursor } : {}),
    });
    return expect(response, isRawPropertyItemList, 'property item list');
  }
}

/** The wire boundary: an answer of another shape is as good as none. */
function expect<T>(value: unknown, guard: (value: unknown) => value is T, what: string): T {
  if (guard(value)) return value;
  throw new TransportError('invalid_response', 'Notion', 'GET', what, 1, null, [], `the answer is JSON, but not a ${what}`);
}
