import { APIResponseError, Client, RequestTimeoutError, UnknownHTTPResponseError } from '@notionhq/client';
import { DEFAULT_RETRY, sharedPacer, type Pacer, fetchWithTimeout, retryAfterMs, withRetry, type Clock, type HttpStats, type RetryPolicy, type Verdict } from '../shared/http.js';
import type { RawPage, RawPropertyItemList, RawQueryResponse, RawDatabase, RawDataSource } from './wire.js';

/**
 * The Notion API version every request sends. 2025-09-03 is the data-sources API the fixtures
 * speak; pinned so an SDK upgrade cannot change it under us (notion-api.md §1).
 */
export const NOTION_VERSION = '2025-09-03';

export interface NotionApiOptions {
  token: string;
  baseUrl: string;
  requestsPerSecond: number;
  timeoutMs: number;
  maxRetries: number;
  clock: Clock;
}

/** A query body as the API takes it. */
export interface QueryBody {
  page_size: number;
  sorts: Array<{ timestamp: 'created_time' | 'last_edited_time'; direction: 'ascending' | 'descending' }>;
  filter?: Record<string, unknown>;
  start_cursor?: string;
}

/**
 * The five read calls touchpoint makes, through the official SDK, paced under the rate limit
 * and retried by one policy: 429/529 always (honouring Retry-After), 5xx and timeouts for
 * these reads — including the query, a POST the SDK itself never retries (notion-api.md §3).
 */
export class NotionApi {
  readonly stats: HttpStats = { requests: 0, retries: 0, waitedMs: 0 };
  private readonly client: Client;
  private readonly pacer: Pacer;
  private readonly policy: RetryPolicy;

  constructor(private readonly options: NotionApiOptions) {
    this.client = new Client({
      auth: options.token,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      notionVersion: NOTION_VERSION,
      retry: false, // retries live in one place: withRetry below
      timeoutMs: options.timeoutMs + 1000, // the fetch below aborts first; the SDK's timer only races
      fetch: fetchWithTimeout(options.timeoutMs),
      logger: () => {}, // the SDK logs every failed attempt; the run report says what happened
    });
    this.pacer = sharedPacer(`notion ${options.baseUrl} ${options.token}`, options.requestsPerSecond, options.clock);
    this.policy = { ...DEFAULT_RETRY, maxRetries: options.maxRetries };
  }

  retrieveDatabase(databaseId: string): Promise<RawDatabase> {
    return this.call(() => this.client.databases.retrieve({ database_id: databaseId }) as Promise<unknown> as Promise<RawDatabase>);
  }

  retrieveDataSource(dataSourceId: string): Promise<RawDataSource> {
    return this.call(() => this.client.dataSources.retrieve({ data_source_id: dataSourceId }) as Promise<unknown> as Promise<RawDataSource>);
  }

  query(dataSourceId: string, body: QueryBody): Promise<RawQueryResponse> {
    return this.call(
      () => this.client.dataSources.query({ data_source_id: dataSourceId, ...body } as Parameters<Client['dataSources']['query']>[0]) as Promise<unknown> as Promise<RawQueryResponse>,
    );
  }

  retrievePage(pageId: string): Promise<RawPage> {
    return this.call(() => this.client.pages.retrieve({ page_id: pageId }) as Promise<unknown> as Promise<RawPage>);
  }

  /** One page of a property's items (relations past 25); property ids are passed as the API returns them. */
  propertyItems(pageId: string, propertyId: string, startCursor?: string): Promise<RawPropertyItemList> {
    return this.call(
      () => this.client.pages.properties.retrieve({ page_id: pageId, property_id: propertyId, page_size: 100, ...(startCursor ? { start_cursor: startCursor } : {}) }) as Promise<unknown> as Promise<RawPropertyItemList>,
    );
  }

  private call<T>(attempt: () => Promise<T>): Promise<T> {
    return withRetry(attempt, (error) => classify(error, this.options.clock.now()), { policy: this.policy, pacer: this.pacer, clock: this.options.clock, stats: this.stats });
  }
}

/** A response header of an SDK error (typed `unknown` without the DOM lib). */
function header(error: { headers: unknown }, name: string): string | null {
  const headers = error.headers as { get?: (name: string) => string | null } | undefined;
  return headers?.get?.(name) ?? null;
}

/** How the retry policy treats a failed Notion request. */
export function classify(error: unknown, now: number): Verdict {
  if (APIResponseError.isAPIResponseError(error)) {
    if (error.code === 'rate_limited') {
      const data = error.additional_data as { rate_limit_reason?: string; retry_after?: string } | undefined;
      if (data?.rate_limit_reason === 'public_api_request_blocked') return { retry: 'no' };
      return { retry: 'after', ms: retryAfterMs(header(error, 'retry-after'), now) ?? retryAfterMs(data?.retry_after, now) };
    }
    if (error.code === 'service_overload' || error.status === 529) return { retry: 'after', ms: retryAfterMs(header(error, 'retry-after'), now) };
    return error.status >= 500 ? { retry: 'backoff' } : { retry: 'no' };
  }
  if (UnknownHTTPResponseError.isUnknownHTTPResponseError(error)) {
    if (error.status === 429) return { retry: 'after', ms: retryAfterMs(header(error, 'retry-after'), now) };
    return error.status >= 500 ? { retry: 'backoff' } : { retry: 'no' };
  }
  if (RequestTimeoutError.isRequestTimeoutError(error)) return { retry: 'backoff' };
  const name = (error as { name?: string } | null)?.name;
  // fetch's own failures: an aborted (timed out) request, a refused or reset connection.
  if (name === 'TimeoutError' || name === 'AbortError' || (error instanceof TypeError && /fetch failed/i.test(error.message))) return { retry: 'backoff' };
  return { retry: 'no' };
}
