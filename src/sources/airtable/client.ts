/**
 * The only file that touches `airtable` (airtable.js 0.12.2, unmaintained; see
 * shared/reference/airtable-api.md §3, §8, §9). What it fixes around the client:
 * - constructed with explicit options, so AIRTABLE_API_KEY / AIRTABLE_ENDPOINT_URL are never read;
 * - `noRetryIfRateLimited`: its own 429 retry has no cap and hangs forever on a used-up quota;
 * - `requestTimeout` set (its default is 5 minutes);
 * - every request goes through `runAction` on our own Base instance, which we wrap: paced under
 *   5 requests/s, retried by our one bounded policy (the 30-second penalty after a 429), and
 *   every failure — the non-`Error` AirtableError, node-fetch's AbortError and FetchError —
 *   becomes an `AirtableApiError` that keeps the response body, so both 429 shapes are read and
 *   the monthly quota (PUBLIC_API_BILLING_LIMIT_EXCEEDED) fails fast;
 * - the metadata API, which airtable.js lacks, with plain fetch under the same policy.
 */
import Airtable from 'airtable';
import { DEFAULT_RETRY, sharedPacer, type Pacer, withRetry, type Clock, type HttpStats, type RetryPolicy, type Verdict } from '../shared/http.js';

/** Airtable's documented penalty after a 429: no request succeeds for 30 seconds. */
export const RATE_LIMIT_PENALTY_MS = 30_000;

/** A failed Airtable request, as a real Error with what the server said. */
export class AirtableApiError extends Error {
  override readonly name = 'AirtableApiError';
  constructor(
    /** Airtable's error type (`RATE_LIMIT_REACHED`, `NOT_FOUND`, …), or `TIMEOUT` / `NETWORK`. */
    readonly type: string,
    /** HTTP status, or null when no response arrived. */
    readonly status: number | null,
    message: string,
    /** The response body, when there was one. */
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

/** The error type in either body shape: `{error:{type}}`, `{error:"TYPE"}` or `{errors:[{error}]}`. */
export function errorType(body: unknown): string | null {
  const b = body as { error?: unknown; errors?: Array<{ error?: unknown }> } | null;
  if (!b || typeof b !== 'object') return null;
  if (typeof b.error === 'string') return b.error;
  if (b.error && typeof b.error === 'object' && typeof (b.error as { type?: unknown }).type === 'string') return (b.error as { type: string }).type;
  const first = b.errors?.[0]?.error;
  return typeof first === 'string' ? first : null;
}

function errorMessage(body: unknown): string | null {
  const b = body as { error?: { message?: unknown }; errors?: Array<{ message?: unknown }> } | null;
  const message = (b?.error && typeof b.error === 'object' ? b.error.message : undefined) ?? b?.errors?.[0]?.message;
  return typeof message === 'string' ? message : null;
}

/** Whatever airtable.js or node-fetch rejected with, as an AirtableApiError. */
export function toApiError(error: unknown, body: unknown): AirtableApiError {
  if (error instanceof AirtableApiError) return error;
  const e = error as { error?: string; message?: string; statusCode?: number | null; name?: string; type?: string; code?: string };
  if (e?.name === 'AbortError') return new AirtableApiError('TIMEOUT', null, 'the request timed out');
  if (e?.name === 'FetchError') return new AirtableApiError('NETWORK', null, `could not reach Airtable (${e.code ?? e.message ?? 'network error'})`);
  if (typeof e?.error === 'string') {
    // AirtableError: not an Error subclass; its type for 401/403/429 ignores the body, which we read instead.
    const status = e.statusCode ?? null;
    if (e.error === 'CONNECTION_ERROR') return new AirtableApiError('NETWORK', null, e.message ?? 'connection error');
    return new AirtableApiError(errorType(body) ?? e.error, status, errorMessage(body) ?? e.message ?? e.error, body);
  }
  return new AirtableApiError('UNEXPECTED', null, e?.message ?? String(error));
}

/** How the retry policy treats a failed Airtable request. */
export function classify(error: unknown): Verdict {
  if (!(error instanceof AirtableApiError)) return { retry: 'no' };
  if (error.status === 429) {
    // The quota does not come back in 30 seconds: fail at once, and say what it is.
    return error.type === 'PUBLIC_API_BILLING_LIMIT_EXCEEDED' ? { retry: 'no' } : { retry: 'after', ms: RATE_LIMIT_PENALTY_MS };
  }
  if (error.status !== null && error.status >= 500) return { retry: 'backoff' };
  return error.type === 'TIMEOUT' || error.type === 'NETWORK' ? { retry: 'backoff' } : { retry: 'no' };
}

/** A record as the list endpoint returns it (`returnFieldsByFieldId: true`: keys are field ids). */
export interface RawRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
}

export interface RawMetaTables {
  tables: Array<{
    id: string;
    name: string;
    primaryFieldId: string;
    fields: Array<{ id: string; name: string; type: string; options?: Record<string, unknown> }>;
    views: Array<{ id: string; name: string; type: string }>;
  }>;
}

export interface ListParams {
  pageSize: number;
  view?: string;
  filterByFormula?: string;
}

export interface AirtableClientOptions {
  token: string;
  endpointUrl: string;
  baseId: string;
  requestsPerSecond: number;
  timeoutMs: number;
  maxRetries: number;
  clock: Clock;
}

type RunAction = (method: string, path: string, query: object, body: object | null, callback: (error: unknown, response?: unknown, body?: unknown) => void) => void;

/** airtable.js behind our interface: list a table page by page, and read the base's schema. */
export class AirtableClient {
  readonly stats: HttpStats = { requests: 0, retries: 0, waitedMs: 0 };
  private readonly airtable: Airtable;
  private readonly pacer: Pacer;
  private readonly policy: RetryPolicy;
  private readonly endpointUrl: string;

  constructor(private readonly options: AirtableClientOptions) {
    this.endpointUrl = options.endpointUrl.replace(/\/+$/, '');
    this.airtable = new Airtable({ apiKey: options.token, endpointUrl: this.endpointUrl, noRetryIfRateLimited: true, requestTimeout: options.timeoutMs });
    this.pacer = sharedPacer(`airtable ${this.endpointUrl} ${options.baseId} ${options.token}`, options.requestsPerSecond, options.clock);
    this.policy = { ...DEFAULT_RETRY, maxRetries: options.maxRetries };
  }

  /**
   * List every record of a table (or view), calling `onPage` for each page. Uses `eachPage`;
   * the caller restarts the listing on LIST_RECORDS_ITERATOR_NOT_AVAILABLE.
   */
  async list(table: string, params: ListParams, onPage: (records: RawRecord[]) => void): Promise<void> {
    const query = this.airtable
      .base(this.options.baseId)
      .table(table)
      .select({ pageSize: params.pageSize, returnFieldsByFieldId: true, cellFormat: 'json', ...(params.view ? { view: params.view } : {}), ...(params.filterByFormula ? { filterByFormula: params.filterByFormula } : {}) });
    this.wrapRunAction((query as unknown as { _table: { _base: { runAction: RunAction } } })._table._base);
    let failure: unknown = null;
    try {
      await query.eachPage((records, fetchNextPage) => {
        try {
          onPage(records.map((r) => (r as unknown as { _rawJson: RawRecord })._rawJson));
        } catch (error) {
          failure = error; // stop paging: airtable.js ends when fetchNextPage is not called
          return;
        }
        fetchNextPage();
      });
    } catch (error) {
      throw toApiError(error, null);
    }
    if (failure) throw failure;
  }

  /** GET /v0/meta/bases/{baseId}/tables (not in airtable.js): plain fetch, same pacing and retries. */
  async tables(): Promise<RawMetaTables> {
    return withRetry(
      async () => {
        let response: Response;
        try {
          response = await fetch(`${this.endpointUrl}/v0/meta/bases/${this.options.baseId}/tables`, {
            headers: { authorization: `Bearer ${this.options.token}` },
            signal: AbortSignal.timeout(this.options.timeoutMs),
          });
        } catch (error) {
          const name = (error as { name?: string }).name;
          throw new AirtableApiError(name === 'TimeoutError' || name === 'AbortError' ? 'TIMEOUT' : 'NETWORK', null, (error as Error).message);
        }
        const body: unknown = await response.json().catch(() => null);
        if (!response.ok) throw new AirtableApiError(errorType(body) ?? `HTTP_${response.status}`, response.status, errorMessage(body) ?? response.statusText, body);
        return body as RawMetaTables;
      },
      classify,
      { policy: this.policy, pacer: this.pacer, clock: this.options.clock, stats: this.stats },
    );
  }

  /** Route the Base instance's requests through our pacer and retry policy (once per instance). */
  private wrapRunAction(base: { runAction: RunAction } & { __touchpoint?: true }): void {
    if (base.__touchpoint) return;
    const original = base.runAction.bind(base);
    const attempt = (method: string, path: string, query: object, body: object | null) =>
      new Promise<[unknown, unknown]>((resolve, reject) =>
        // A fresh copy each try: airtable.js mutates the params object it passed (the offset).
        original(method, path, { ...query }, body, (error, response, result) => (error ? reject(toApiError(error, result)) : resolve([response, result]))),
      );
    base.runAction = (method, path, query, body, callback) => {
      withRetry(() => attempt(method, path, query, body), classify, { policy: this.policy, pacer: this.pacer, clock: this.options.clock, stats: this.stats }).then(
        ([response, result]) => callback(null, response, result),
        (error: unknown) => callback(error),
      );
    };
    base.__touchpoint = true;
  }
}
