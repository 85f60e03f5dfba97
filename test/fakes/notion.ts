/**
 * A fake Notion API built from shared/reference/fixtures/notion: the same wire format, served by
 * msw handlers in process or on 127.0.0.1 (for the CLI). It records every request for tests to
 * assert after the fact, and can fail on cue or enforce a rate limit.
 */
import { readFileSync } from 'node:fs';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { RateWindow } from './rate-limit.js';

// Copied verbatim from shared/reference/fixtures/notion (wire format of real responses).
const DIR = new URL('../fixtures/notion/', import.meta.url);
export const fixture = <T = Record<string, unknown>>(name: string): T => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as T;

export const MANIFEST = fixture<{ ids: Record<string, string> }>('_manifest.json');
export const IDS = MANIFEST.ids as {
  database_id: string;
  data_source_id: string;
  database_url: string;
  studies_database_id: string;
  studies_data_source_id: string;
};
export const TOKEN = 'secret_test_token_for_the_fake_notion_only';

type Json = Record<string, unknown>;
export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: Json | null;
}

/** A scripted failure: the next `times` requests matching `match` get this response. */
export interface Failure {
  match: (r: RecordedRequest) => boolean;
  status: number;
  body: unknown;
  /** Answer this text instead of JSON (a proxy's page, a cut-off body). */
  text?: string;
  headers?: Record<string, string>;
  times: number;
}

export interface FakeDataSource {
  databaseId: string;
  dataSourceId: string;
  /** The retrieve-data-source body (schema). */
  schema: Json;
  /** Rows, any order: queries sort them. Rows with `in_trash` are never listed. */
  rows: Json[];
}

let requestSerial = 0;
const requestId = () => `00000000-0000-4000-8000-${String(++requestSerial).padStart(12, '0')}`;
const clone = <T>(value: T): T => structuredClone(value);

/** Every fixture row of the two query pages, in created order. */
export function fixtureRows(): Json[] {
  return [...fixture<{ results: Json[] }>('query_interviews_page1.json').results, ...fixture<{ results: Json[] }>('query_interviews_page2.json').results];
}

/** `n` rows cloned from fixture row 1, one created per minute from `start`, titled "Interview i". */
export function manyRows(n: number, start = Date.parse('2026-01-01T00:00:00.000Z')): Json[] {
  const template = fixtureRows()[0]!;
  return Array.from({ length: n }, (_, i) => {
    const row = clone(template);
    const id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
    const created = new Date(start + i * 60_000).toISOString();
    row['id'] = id;
    row['url'] = `https://www.notion.so/Interview-${i}-${id.replace(/-/g, '')}`;
    row['created_time'] = created;
    row['last_edited_time'] = created;
    const props = row['properties'] as Record<string, Json>;
    props['Name'] = {
      id: 'title',
      type: 'title',
      title: [
        {
          type: 'text',
          text: { content: `Interview ${i}`, link: null },
          annotations: (((props['Name'] as Json)['title'] as Json[])[0] as Json)['annotations'],
          plain_text: `Interview ${i}`,
          href: null,
        },
      ],
    };
    props['Study'] = { id: 'eW%60s', type: 'relation', relation: [], has_more: false };
    return row;
  });
}

export class FakeNotion {
  readonly requests: RecordedRequest[] = [];
  readonly failures: Failure[] = [];
  readonly dataSources: FakeDataSource[];
  /** Related pages by id (GET /v1/pages/:id). */
  readonly pages = new Map<string, Json>();
  /** Full relation lists served by the property-item endpoint, by `pageId/propertyId`. */
  readonly relations = new Map<string, string[]>();
  /** Max rows one query chain returns before `request_status: incomplete`. */
  cap = 10_000;
  /** Enforce a rate limit (429 with Retry-After beyond it), as the real API does. */
  limit: RateWindow | null = null;
  /** Network jitter: each request reaches the API this many ms after it was sent (drawn per request). */
  jitterMs: (() => number) | null = null;

  constructor(rows: Json[] = fixtureRows()) {
    this.dataSources = [
      { databaseId: IDS.database_id, dataSourceId: IDS.data_source_id, schema: fixture('retrieve_data_source_interviews.json'), rows: clone(rows) },
    ];
    const study = fixture('retrieve_page_study_all_property_types.json');
    this.pages.set(study['id'] as string, study);
  }

  /** The interview data source (the first). */
  get main(): FakeDataSource {
    return this.dataSources[0]!;
  }

  /** A related page titled `title`, in the study page's wire shape. */
  addPage(id: string, title: string): void {
    const page = clone(fixture('retrieve_page_study_all_property_types.json'));
    page['id'] = id;
    (page['properties'] as Record<string, Json>)['Name'] = {
      id: 'title',
      type: 'title',
      title: [{ type: 'text', text: { content: title, link: null }, plain_text: title, href: null }],
    };
    this.pages.set(id, page);
  }

  fail(failure: Omit<Failure, 'times'> & { times?: number }): void {
    this.failures.push({ times: 1, ...failure });
  }

  /** Requests whose path ends with `suffix` (e.g. '/query'). */
  sent(suffix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith(suffix));
  }

  handlers(base = 'https://api.notion.com'): HttpHandler[] {
    const wrap =
      (handler: (req: RecordedRequest, params: Record<string, string>) => Response | Promise<Response>) =>
      async ({ request, params }: { request: Request; params: Record<string, string | readonly string[] | undefined> }) => {
        if (this.jitterMs) await new Promise((resolve) => setTimeout(resolve, this.jitterMs!()));
        const url = new URL(request.url);
        const text = request.method === 'POST' ? await request.clone().text() : '';
        const recorded: RecordedRequest = {
          method: request.method,
          path: url.pathname,
          search: url.search,
          headers: Object.fromEntries(request.headers.entries()),
          body: text ? (JSON.parse(text) as Json) : null,
        };
        this.requests.push(recorded);
        if (this.limit && !this.limit.allow())
          return json(
            429,
            { ...fixture<Json>('error_429_rate_limited.json'), additional_data: { rate_limit_reason: 'public_api_request_rate_limit', retry_after: '1' } },
            { 'retry-after': '1' },
          );
        if (recorded.headers['authorization'] !== `Bearer ${TOKEN}`) return json(401, fixture('error_401_unauthorized.json'));
        const failure = this.failures.find((f) => f.times > 0 && f.match(recorded));
        if (failure) {
          failure.times -= 1;
          if (failure.text !== undefined)
            return new HttpResponse(failure.text, { status: failure.status, headers: { 'content-type': 'application/json', ...failure.headers } });
          return json(failure.status, failure.body, failure.headers);
        }
        return handler(recorded, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
      };
    return [
      http.get(
        `${base}/v1/databases/:id`,
        wrap((_r, { id }) => {
          const ds = this.dataSources.filter((d) => d.databaseId === id);
          if (ds.length === 0) return notFound(id!);
          const body = fixture('retrieve_database_interviews.json');
          body['id'] = id;
          body['data_sources'] = ds.map((d) => ({ id: d.dataSourceId, name: plain((d.schema['title'] as Json[]) ?? []) }));
          return json(200, body);
        }),
      ),
      http.get(
        `${base}/v1/data_sources/:id`,
        wrap((_r, { id }) => {
          if (!/^[0-9a-f-]{32,36}$/i.test(id!))
            return json(400, {
              ...fixture<Json>('error_400_validation_error.json'),
              message: `path failed validation: path.data_source_id should be a valid uuid, instead was \`"${id}"\`.`,
            });
          const ds = this.dataSources.find((d) => d.dataSourceId === id);
          return ds ? json(200, ds.schema) : notFound(id!);
        }),
      ),
      http.post(
        `${base}/v1/data_sources/:id/query`,
        wrap((r, { id }) => {
          const ds = this.dataSources.find((d) => d.dataSourceId === id);
          return ds ? json(200, this.query(ds, r.body ?? {})) : notFound(id!);
        }),
      ),
      http.get(
        `${base}/v1/pages/:id/properties/:property`,
        wrap((r, { id, property }) => {
          const all = this.relations.get(`${id}/${encodeURIComponent(decodeURIComponent(property!))}`) ?? this.relations.get(`${id}/${property}`);
          if (!all) return notFound(id!);
          const query = new URLSearchParams(r.search);
          const size = Number(query.get('page_size') ?? 25);
          const start = query.get('start_cursor') ? Number(Buffer.from(query.get('start_cursor')!, 'base64url').toString()) : 0;
          const slice = all.slice(start, start + size);
          const more = start + size < all.length;
          const cursor = more ? Buffer.from(String(start + size)).toString('base64url') : null;
          return json(200, {
            object: 'list',
            results: slice.map((rid) => ({ object: 'property_item', type: 'relation', id: property, relation: { id: rid } })),
            next_cursor: cursor,
            has_more: more,
            type: 'property_item',
            property_item: {
              id: property,
              next_url: more ? `${base}/v1/pages/${id!.replace(/-/g, '')}/properties/${property}?start_cursor=${cursor}&page_size=${size}` : null,
              type: 'relation',
              relation: {},
            },
            request_id: requestId(),
          });
        }),
      ),
      http.get(
        `${base}/v1/pages/:id`,
        wrap((_r, { id }) => {
          const page = this.pages.get(id!);
          return page ? json(200, page) : notFound(id!);
        }),
      ),
    ];
  }

  /** A data source query: filter by timestamp, sort, page by cursor (the next row's id), cap. */
  private query(ds: FakeDataSource, body: Json): Json {
    const sort = ((body['sorts'] as Array<{ timestamp: string; direction: string }>) ?? [])[0];
    const key = (sort?.timestamp ?? 'created_time') as 'created_time' | 'last_edited_time';
    let rows = ds.rows.filter((r) => !r['in_trash']);
    const filters = body['filter'] ? (((body['filter'] as Json)['and'] as Json[] | undefined) ?? [body['filter'] as Json]) : [];
    for (const f of filters) {
      const ts = f['timestamp'] as string;
      const cond = f[ts] as { on_or_after?: string };
      if (cond.on_or_after) rows = rows.filter((r) => Date.parse(r[ts] as string) >= Date.parse(cond.on_or_after!));
    }
    rows = [...rows].sort((a, b) => (a[key] as string).localeCompare(b[key] as string) || (a['id'] as string).localeCompare(b['id'] as string));
    const size = Math.min(100, Number(body['page_size'] ?? 100));
    const start = body['start_cursor'] ? rows.findIndex((r) => r['id'] === body['start_cursor']) : 0;
    const capped = rows.length > this.cap;
    const end = Math.min(start + size, rows.length, this.cap);
    const more = end < Math.min(rows.length, this.cap);
    return {
      object: 'list',
      results: rows.slice(start, end),
      next_cursor: more ? (rows[end]!['id'] as string) : null,
      has_more: more,
      type: 'page_or_data_source',
      page_or_data_source: {},
      ...(capped && !more ? { request_status: { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' } } : {}),
      request_id: requestId(),
    };
  }
}

function plain(items: Json[]): string {
  return items.map((t) => t['plain_text'] as string).join('');
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(body as Json, { status, headers: { 'x-notion-request-id': requestId(), ...headers } });
}

function notFound(id: string): Response {
  const body = fixture('error_404_object_not_found.json');
  body['message'] = `Could not find database with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
  return json(404, body);
}
