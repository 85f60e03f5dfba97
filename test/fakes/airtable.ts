/**
 * A fake Airtable Web API built from shared/reference/fixtures/airtable: the same wire format,
 * for msw in process or on 127.0.0.1. Records are stored as the fixtures write them (keyed by
 * field name) and returned keyed by field id when `returnFieldsByFieldId=true`, as Airtable does.
 */
import { readFileSync } from 'node:fs';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { RateWindow } from './rate-limit.js';

// Copied verbatim from shared/reference/fixtures/airtable (wire format of real responses).
const DIR = new URL('../fixtures/airtable/', import.meta.url);
type Json = Record<string, unknown>;
export const fixture = <T = Json>(name: string): T => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as T;

export const INDEX = fixture<{ baseId: string; tables: Record<string, string> }>('index.json');
export const BASE_ID = INDEX.baseId;
export const TABLE_ID = INDEX.tables['Interviews']!;
export const AIRTABLE_TOKEN = 'fake-airtable-token-for-tests';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
}

export interface Failure {
  match: (r: RecordedRequest) => boolean;
  status: number;
  body: unknown;
  /** Answer this text instead of JSON (a proxy's page, a cut-off body). */
  text?: string;
  times: number;
}

/** The five fixture records, in page order. */
export function fixtureRecords(): Json[] {
  return [...fixture<{ records: Json[] }>('list-interviews-page1.json').records, ...fixture<{ records: Json[] }>('list-interviews-page2.json').records];
}

/** `n` records cloned from fixture record 1, modified one minute apart. */
export function manyRecords(n: number): Json[] {
  const template = fixtureRecords()[0]!;
  return Array.from({ length: n }, (_, i) => {
    const record = structuredClone(template);
    record['id'] = `rec${String(i).padStart(14, '0')}`;
    const fields = record['fields'] as Json;
    fields['Name'] = `Interview ${i}`;
    fields['Last modified'] = new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 60_000).toISOString();
    return record;
  });
}

export class FakeAirtable {
  readonly requests: RecordedRequest[] = [];
  readonly failures: Failure[] = [];
  meta = fixture<{ tables: Array<Json & { id: string; name: string; fields: Array<{ id: string; name: string; type: string }> }> }>('meta-bases-tables.json');
  /** Expire the iterator after this many pages (once): the next page answers 422. */
  expireAfterPages: number | null = null;
  /** Enforce a rate limit (429 beyond it), as the real API does. */
  limit: RateWindow | null = null;
  /** Network jitter: each request reaches the API this many ms after it was sent (drawn per request). */
  jitterMs: (() => number) | null = null;
  private readonly iterators = new Map<string, { pages: number; expired: boolean }>();
  private iteratorSerial = 0;

  constructor(public records: Json[] = fixtureRecords()) {}

  fail(failure: Omit<Failure, 'times'> & { times?: number }): void {
    this.failures.push({ times: 1, ...failure });
  }

  lists(): RecordedRequest[] {
    return this.requests.filter((r) => !r.path.includes('/meta/'));
  }

  handlers(base = 'https://api.airtable.com'): HttpHandler[] {
    const wrap =
      (handler: (req: RecordedRequest, params: Record<string, string>) => Response) =>
      async ({ request, params }: { request: Request; params: Record<string, string | readonly string[] | undefined> }) => {
        // The rate window counts arrivals: a request delayed on the way arrives late, and may arrive with the next one.
        if (this.jitterMs) await new Promise((resolve) => setTimeout(resolve, this.jitterMs!()));
        const url = new URL(request.url);
        const recorded: RecordedRequest = {
          method: request.method,
          path: url.pathname,
          query: url.searchParams,
          headers: Object.fromEntries(request.headers.entries()),
        };
        this.requests.push(recorded);
        if (this.limit && !this.limit.allow()) return HttpResponse.json(fixture('error-429-rate-limit-reached.json'), { status: 429 });
        if (recorded.headers['authorization'] !== `Bearer ${AIRTABLE_TOKEN}`)
          return HttpResponse.json(fixture('error-401-authentication-required.json'), { status: 401 });
        const failure = this.failures.find((f) => f.times > 0 && f.match(recorded));
        if (failure) {
          failure.times -= 1;
          if (failure.text !== undefined) return new HttpResponse(failure.text, { status: failure.status, headers: { 'content-type': 'application/json' } });
          return HttpResponse.json(failure.body as Json, { status: failure.status });
        }
        return handler(recorded, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
      };
    return [
      http.get(
        `${base}/v0/meta/bases/:baseId/tables`,
        wrap((_r, { baseId }) =>
          baseId === BASE_ID
            ? HttpResponse.json(this.meta)
            : HttpResponse.json(fixture('error-403-invalid-permissions-or-model-not-found.json'), { status: 403 }),
        ),
      ),
      http.get(
        `${base}/v0/:baseId/:table`,
        wrap((r, { baseId, table }) => this.list(r, baseId!, table!)),
      ),
    ];
  }

  private list(r: RecordedRequest, baseId: string, tableRef: string): Response {
    const table = this.meta.tables.find((t) => t.id === tableRef || t.name === tableRef);
    if (baseId !== BASE_ID || !table || table.id !== TABLE_ID)
      return HttpResponse.json(fixture('error-403-invalid-permissions-or-model-not-found.json'), { status: 403 });
    const q = r.query;
    const byName = new Map(table.fields.map((f) => [f.name, f.id]));
    const nameOf = new Map(table.fields.map((f) => [f.id, f.name]));
    let records = this.records;
    const formula = q.get('filterByFormula');
    if (formula) {
      const m = /^IS_AFTER\(\{([^}]+)\}, '([^']+)'\)$/.exec(formula);
      const field = m ? (nameOf.get(m[1]!) ?? (byName.has(m[1]!) ? m[1]! : null)) : null;
      if (!m || !field) return HttpResponse.json(fixture('error-422-invalid-filter-by-formula.json'), { status: 422 });
      records = records.filter((rec) => {
        const value = (rec['fields'] as Json)[field];
        return typeof value === 'string' && Date.parse(value) > Date.parse(m[2]!);
      });
    }
    const size = Math.min(100, Number(q.get('pageSize') ?? 100));
    let start = 0;
    let iterator: string;
    const offset = q.get('offset');
    if (offset) {
      const [it, after] = offset.split('/');
      const state = this.iterators.get(it!);
      if (!state) return HttpResponse.json(fixture('error-422-invalid-offset-value.json'), { status: 422 });
      if (state.expired) return HttpResponse.json(fixture('error-422-list-records-iterator-not-available.json'), { status: 422 });
      if (this.expireAfterPages !== null && state.pages >= this.expireAfterPages) {
        state.expired = true;
        this.expireAfterPages = null;
        return HttpResponse.json(fixture('error-422-list-records-iterator-not-available.json'), { status: 422 });
      }
      iterator = it!;
      start = records.findIndex((rec) => rec['id'] === after) + 1;
    } else {
      // The first listing gets the fixtures' iterator id, so page 1 matches the fixture exactly.
      const serial = this.iteratorSerial++;
      iterator = serial === 0 ? 'itruNGrTFhxhavBTo' : `itr${String(serial).padStart(14, '0')}`;
      this.iterators.set(iterator, { pages: 0, expired: false });
    }
    this.iterators.get(iterator)!.pages += 1;
    const page = records.slice(start, start + size);
    const byId = q.get('returnFieldsByFieldId') === 'true';
    const out = page.map((rec) =>
      byId ? { ...rec, fields: Object.fromEntries(Object.entries(rec['fields'] as Json).map(([name, v]) => [byName.get(name) ?? name, v])) } : rec,
    );
    const more = start + size < records.length;
    return HttpResponse.json({ records: out, ...(more ? { offset: `${iterator}/${page[page.length - 1]!['id']}` } : {}) });
  }
}
