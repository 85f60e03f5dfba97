/**
 * Airtable's Web API over the shared transport: list a table page by page, and read the base's
 * schema. A small fetch client rather than airtable.js — see docs/sources.md, "Why not
 * airtable.js": its public `makeRequest` ends its timeout when headers arrive (a body that stops
 * hangs for ever), takes no abort signal, and throws away the body of 401, 403 and 429 answers,
 * so the monthly quota cannot be told from the rate limit.
 */
import { Transport } from '../kit/transport.js';
import type { TransportSettings } from '../kit/api-source.js';
import { AIRTABLE_RULES } from './rules.js';

/** A record as the list endpoint returns it (`returnFieldsByFieldId=true`: keys are field ids). */
export interface RawRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
}

/** One field of a table, as the metadata API describes it. */
export interface RawField {
  id: string;
  name: string;
  type: string;
  options?: Record<string, unknown>;
}

export interface RawTable {
  id: string;
  name: string;
  primaryFieldId: string;
  fields: RawField[];
  views: Array<{ id: string; name: string; type: string }>;
}

export interface RawMetaTables {
  tables: RawTable[];
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
  /** Pacing, deadlines and retries, from the source's config. */
  transport: TransportSettings;
}

/** Sent with every request, so a base's owner can tell touchpoint's traffic apart. */
export const USER_AGENT = 'touchpoint (read-only sync)';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const isRecord = (r: unknown): r is RawRecord => isObject(r) && typeof r['id'] === 'string' && isObject(r['fields']);

const isTable = (t: unknown): t is RawTable => isObject(t) && typeof t['id'] === 'string' && typeof t['name'] === 'string' && Array.isArray(t['fields']);

interface RawRecordPage {
  records: RawRecord[];
  offset?: string;
}

/** The wire boundary: a list page is `{ records: [...], offset? }`, anything else is retried as a bad answer. */
function isRecordPage(json: unknown): json is RawRecordPage {
  return (
    isObject(json) && Array.isArray(json['records']) && json['records'].every(isRecord) && (json['offset'] === undefined || typeof json['offset'] === 'string')
  );
}

function isMetaTables(json: unknown): json is RawMetaTables {
  return isObject(json) && Array.isArray(json['tables']) && json['tables'].every(isTable);
}

/** The two read calls touchpoint makes; every one through the transport. */
export class AirtableClient {
  readonly transport: Transport;
  private readonly endpointUrl: string;

  constructor(private readonly options: AirtableClientOptions) {
    this.endpointUrl = options.endpointUrl.replace(/\/+$/, '');
    this.transport = new Transport({
      rules: AIRTABLE_RULES,
      connection: `airtable ${this.endpointUrl} ${options.baseId} ${options.token}`,
      ...options.transport,
    });
  }

  /**
   * Every page of a table (or view), one request each, chained by `offset`. The caller restarts
   * the listing on LIST_RECORDS_ITERATOR_NOT_AVAILABLE.
   */
  async *pages(table: string, params: ListParams): AsyncGenerator<RawRecord[]> {
    let offset: string | undefined;
    do {
      const query = new URLSearchParams({ pageSize: String(params.pageSize), returnFieldsByFieldId: 'true', cellFormat: 'json' });
      if (params.view) query.set('view', params.view);
      if (params.filterByFormula) query.set('filterByFormula', params.filterByFormula);
      if (offset) query.set('offset', offset);
      const page = await this.get(`/v0/${this.options.baseId}/${encodeURIComponent(table)}?${query}`, isRecordPage);
      yield page.records;
      offset = page.offset;
    } while (offset);
  }

  /** GET /v0/meta/bases/{baseId}/tables: every table with its fields and views. */
  async tables(): Promise<RawMetaTables> {
    const path = `/v0/meta/bases/${this.options.baseId}/tables`;
    return this.get(path, isMetaTables);
  }

  /** A GET whose answer must have the shape `accept` checks; any other is retried, then fails, in the transport. */
  private async get<T>(pathAndQuery: string, accept: (json: unknown) => json is T): Promise<T> {
    const { json } = await this.transport.request('GET', `${this.endpointUrl}${pathAndQuery}`, {
      headers: { authorization: `Bearer ${this.options.token}`, 'user-agent': USER_AGENT, 'x-airtable-application-id': this.options.baseId },
      accept,
    });
    if (!accept(json)) throw new TypeError('the transport returned an answer its accept check refused'); // a bug, never a wire fault
    return json;
  }
}
