import { afterEach, describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { parseConfig } from '../../../src/config/load.js';
import type { NotionSourceConfig } from '../../../src/config/schema.js';
import { Store } from '../../../src/store/store.js';
import { syncSource } from '../../../src/sync/run.js';
import { NotionSource } from '../../../src/sources/notion/read.js';
import type { Clock } from '../../../src/model/clock.js';
import type { Interview } from '../../../src/model/interview.js';
import { FakeNotion, IDS, TOKEN, fixture, fixtureRows, manyRows } from '../../fakes/notion.js';

type Json = Record<string, unknown>;

const ROSTER = [
  { name: 'Dana Whitfield', email: 'dana.whitfield@northwind-labs.com', role: 'pm', team: 'Research' },
  { name: 'Priya Raman', email: 'priya.raman@northwind-labs.com', role: 'pm', team: 'Platform' },
  { name: 'Sam Okafor', email: 'sam.okafor@northwind-labs.com', role: 'pm', team: 'Platform' },
  { name: 'Marco Bellini', email: 'marco.bellini@northwind-labs.com', role: 'design', team: 'Platform' },
];
const MAPPING = {
  title: 'Name',
  startsAt: 'Date',
  durationMinutes: 'Duration (min)',
  interviewers: 'Interviewer',
  attendees: 'Attendees',
  account: 'Account',
  segment: 'Segment',
  customerStatus: { column: 'Customer status', values: { Current: 'current', Churned: 'former', Prospect: 'prospect', 'Lost deal': 'lost' } },
  tier: 'Tier',
  callType: { column: 'Type', values: { 'Learning call': 'learning', 'Sales call': 'sales', 'Usability test': 'usability', 'Support call': 'support' } },
  location: 'Location',
  study: 'Study',
  tldr: 'TL;DR',
  notesUrl: 'Notes URL',
  debriefed: 'Debriefed',
  followUpDue: 'Follow-ups due',
  followUpDone: 'Follow-ups done',
  tags: 'Tags',
  createdAt: 'Created',
  updatedAt: 'Last edited',
};

function setup(options: { source?: Json; token?: string; fake?: FakeNotion } = {}) {
  const fake = options.fake ?? new FakeNotion();
  fake.addPage('521b55ad-a989-80e5-9645-f8997a98714f', 'Pricing study');
  // One interceptor at a time: a test that sets up twice replaces the first.
  for (const old of servers.splice(0)) old.close();
  const server = setupServer(...fake.handlers());
  server.listen({ onUnhandledRequest: 'error' });
  servers.push(server);
  const config = parseConfig({
    timezone: 'Europe/Berlin',
    roster: ROSTER,
    sources: [{ name: 'interviews', kind: 'notion', database: IDS.database_url, pageSize: 3, mapping: MAPPING, ...options.source }],
  });
  const sleeps: number[] = [];
  let t = Date.parse('2026-11-22T12:00:00.000Z');
  const clock: Clock = { now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)) };
  const store = Store.open(':memory:');
  const source = () => new NotionSource(config.sources[0] as NotionSourceConfig, config.roster, config.timezone, { token: options.token ?? TOKEN, clock });
  const sync = (opts: { full?: boolean } = {}) => syncSource(source(), store, { maxDeleteShare: 0.5, now: () => new Date(t), ...opts });
  return { fake, store, sync, sleeps, source, advance: (ms: number) => void (t += ms) };
}

const servers: Array<ReturnType<typeof setupServer>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const byId = (store: Store) => new Map(store.interviews().map((i) => [i.source.recordId, i]));
const rowOf = (fake: FakeNotion, id: string) => fake.main.rows.find((r) => r['id'] === id)!;
const props = (row: Json) => row['properties'] as Record<string, Json>;

describe('the fake speaks the fixtures', () => {
  test('its query pages are the fixture pages, byte for byte (bar request ids)', async () => {
    const { fake } = setup();
    const body = { page_size: 3, sorts: [{ timestamp: 'created_time', direction: 'ascending' }] };
    const call = (extra: Json) =>
      fetch(`https://api.notion.com/v1/data_sources/${IDS.data_source_id}/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, ...extra }),
      }).then((r) => r.json() as Promise<Json>);
    const strip = ({ request_id: _, ...rest }: Json) => rest;
    expect(strip(await call({}))).toEqual(strip(fixture('query_interviews_page1.json')));
    expect(strip(await call({ start_cursor: 'a71cb470-5920-8065-b7ef-2db5b2ecaa17' }))).toEqual(strip(fixture('query_interviews_page2.json')));
    expect(fake.requests).toHaveLength(2);
  });
});

describe('Notion source: a full sync', () => {
  test('resolves the URL, reads two pages chained by cursor, and sends exactly these requests', async () => {
    const { fake, sync, store } = setup();
    const { report } = await sync();
    expect(fake.requests.map((r) => `${r.method} ${r.path}${r.search}`)).toEqual([
      `GET /v1/databases/${IDS.database_id}`,
      `GET /v1/data_sources/${IDS.data_source_id}`,
      `POST /v1/data_sources/${IDS.data_source_id}/query`,
      'GET /v1/pages/27f82f94-6709-8047-bf02-83a32bc318aa',
      'GET /v1/pages/521b55ad-a989-80e5-9645-f8997a98714f',
      `POST /v1/data_sources/${IDS.data_source_id}/query`,
      'GET /v1/pages/90237de7-232a-80de-bed4-32292ed99a49',
    ]);
    expect(fake.sent('/query').map((r) => r.body)).toEqual([
      { page_size: 3, sorts: [{ timestamp: 'created_time', direction: 'ascending' }] },
      { page_size: 3, sorts: [{ timestamp: 'created_time', direction: 'ascending' }], start_cursor: 'a71cb470-5920-8065-b7ef-2db5b2ecaa17' },
    ]);
    for (const r of fake.requests) {
      expect(r.headers['notion-version']).toBe('2025-09-03');
      expect(r.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    }
    expect(report).toMatchObject({ listing: 'full', read: 5, created: 5, requests: 7, retries: 0 });
    expect(store.interviews()).toHaveLength(5);
  });

  test('row 1 maps every field: rich text segments, mentions, people with and without e-mail, relation titles', async () => {
    const { sync, store } = setup();
    await sync();
    const expected: Interview = {
      id: 'interviews:1e527ff9-160e-80a4-89f1-c7e23916e1df',
      source: {
        name: 'interviews',
        kind: 'notion',
        recordId: '1e527ff9-160e-80a4-89f1-c7e23916e1df',
        url: 'https://www.notion.so/Acme-Corp-onboarding-pain-points-1e527ff9160e80a489f1c7e23916e1df',
      },
      title: '🎙️ Acme Corp — onboarding pain points',
      startsAt: '2026-10-30T15:00:00.000Z',
      endsAt: null,
      durationMinutes: 45,
      interviewers: [{ key: 'dana.whitfield@northwind-labs.com', name: 'Dana Whitfield', email: 'dana.whitfield@northwind-labs.com', onRoster: true }],
      attendees: [
        { key: 'priya.raman@northwind-labs.com', name: 'Priya Raman', email: 'priya.raman@northwind-labs.com', onRoster: true },
        { key: 'marco.bellini@northwind-labs.com', name: 'Marco Bellini', email: 'marco.bellini@northwind-labs.com', onRoster: true },
      ],
      account: 'Acme Corp (CRM-004217)',
      participant: { name: null, email: null, role: null },
      segment: 'Mid-market',
      customerStatus: 'current',
      tier: 'Tier 1',
      callType: 'learning',
      location: 'video',
      study: 'Onboarding revamp Q4',
      tldr: 'SSO setup took 3 weeks; they want a guided checklist. @Priya Raman to share the draft flow.',
      notesUrl: 'https://docs.google.com/document/d/1aXc9Acme-onboarding-notes/edit',
      debriefed: true,
      followUps: { due: '2026-11-06', done: false },
      tags: ['onboarding', 'integrations'],
      nugget: null,
      createdAt: '2026-10-27T14:02:00.000Z',
      updatedAt: '2026-11-03T09:41:00.000Z',
    };
    expect(byId(store).get('1e527ff9-160e-80a4-89f1-c7e23916e1df')).toEqual(expected);
  });

  test('rows 2–5: a range with an offset, empty values, a date-only range, an empty title', async () => {
    const { sync, store } = setup();
    const { findings } = await sync();
    const rows = byId(store);
    expect(rows.get('c51ae08b-3727-8081-be57-821b6396e022')).toMatchObject({
      startsAt: '2026-11-12T20:00:00.000Z',
      endsAt: '2026-11-12T21:30:00.000Z',
      durationMinutes: 90,
      segment: null,
      tier: null,
      account: null,
      study: null,
      notesUrl: null,
      customerStatus: 'prospect',
      callType: 'sales',
      location: 'onsite',
      followUps: { due: '2026-11-19', done: false },
      interviewers: [{ key: 'marco.bellini@northwind-labs.com', name: 'Marco Bellini', email: 'marco.bellini@northwind-labs.com', onRoster: true }],
      attendees: [],
    });
    expect(rows.get('f0cbb970-378b-800c-b642-8c7a968a89b8')).toMatchObject({
      startsAt: null,
      interviewers: [],
      customerStatus: 'former',
      callType: 'usability',
      study: 'Pricing study',
    });
    expect(rows.get('a71cb470-5920-8065-b7ef-2db5b2ecaa17')).toMatchObject({
      startsAt: '2026-11-16',
      endsAt: '2026-11-17',
      durationMinutes: 90,
      customerStatus: 'lost',
      callType: 'support',
      study: 'Pricing study',
      tldr: 'Escalation SLA missed twice in October; they moved to a competitor for the EU region.\nKeep the US contract.',
      followUps: { due: '2026-11-20', done: true },
    });
    expect(rows.get('a71cb470-5920-8065-b7ef-2db5b2ecaa17')!.interviewers.map((p) => p.name)).toEqual(['Priya Raman', 'Sam Okafor']);
    expect(rows.get('2a4abf0b-c32d-80c6-b8fc-1b9f9c323459')).toMatchObject({
      title: '',
      durationMinutes: 27.5,
      segment: 'Startup',
      tags: [],
      study: 'Onboarding revamp Q4',
    });
    expect(findings.map((f) => [f.recordId, f.code, f.field, f.value])).toEqual([
      ['f0cbb970-378b-800c-b642-8c7a968a89b8', 'missing_date', 'Date', null],
      ['f0cbb970-378b-800c-b642-8c7a968a89b8', 'missing_interviewer', 'Interviewer', null],
      ['a71cb470-5920-8065-b7ef-2db5b2ecaa17', 'relation_not_shared', 'Study', '90237de7-232a-80de-bed4-32292ed99a49'],
    ]);
    expect(findings[0]!.url).toBe('https://www.notion.so/Initech-usability-test-unscheduled-f0cbb970378b800cb6428c7a968a89b8');
    // Rows are named by their title and date, not by Notion's page id.
    expect(findings.map((f) => f.label)).toEqual([
      rows.get('f0cbb970-378b-800c-b642-8c7a968a89b8')!.title,
      rows.get('f0cbb970-378b-800c-b642-8c7a968a89b8')!.title,
      `${rows.get('a71cb470-5920-8065-b7ef-2db5b2ecaa17')!.title} · ${rows.get('a71cb470-5920-8065-b7ef-2db5b2ecaa17')!.startsAt!.slice(0, 10)}`,
    ]);
  });

  test('a row with every property empty is kept, with findings, not a crash', async () => {
    const row = structuredClone(fixtureRows()[4]!);
    const p = props(row);
    for (const [name, value] of Object.entries(p)) {
      const type = value['type'] as string;
      const empty: Json = {
        title: [],
        rich_text: [],
        date: null,
        people: [],
        number: null,
        select: null,
        multi_select: [],
        relation: [],
        checkbox: false,
        url: null,
      };
      if (type in empty) p[name] = { ...value, [type]: empty[type] };
    }
    const { sync, store } = setup({ fake: new FakeNotion([row]) });
    const { findings } = await sync();
    expect(store.interviews()[0]).toMatchObject({
      title: '',
      startsAt: null,
      durationMinutes: null,
      interviewers: [],
      account: null,
      segment: null,
      customerStatus: 'unknown',
      callType: 'learning',
      location: null,
      study: null,
      tldr: null,
      debriefed: false,
      tags: [],
      followUps: { due: null, done: false },
    });
    expect(findings.map((f) => f.code)).toEqual(['missing_date', 'missing_interviewer']);
  });
});

describe('Notion source: incremental runs', () => {
  test('asks only for rows edited since the bookmark minus 2 minutes, in one request', async () => {
    const { fake, sync } = setup();
    await sync();
    fake.requests.length = 0;
    const unchanged = await sync();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/data_sources/${IDS.data_source_id}/query`]);
    expect(fake.requests[0]!.body).toEqual({
      page_size: 3,
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
      filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: '2026-11-21T08:01:00.000Z' } },
    });
    expect(unchanged.report).toMatchObject({ listing: 'incremental', read: 1, created: 0, updated: 0, unchanged: 1, deleted: 0, requests: 1 });

    const row = rowOf(fake, 'c51ae08b-3727-8081-be57-821b6396e022');
    row['last_edited_time'] = '2026-11-22T09:00:00.000Z';
    (props(row)['TL;DR']!['rich_text'] as Json[])[0]!['plain_text'] = 'Edited after the call.';
    fake.requests.length = 0;
    const edited = await sync();
    expect(edited.report).toMatchObject({ listing: 'incremental', read: 2, updated: 1, unchanged: 1, requests: 1 });
    expect(fake.requests[0]!.body).toMatchObject({ filter: { last_edited_time: { on_or_after: '2026-11-21T08:01:00.000Z' } } });
  });

  test('a trashed row is marked deleted on the next full listing, not before', async () => {
    const { fake, sync, store } = setup();
    await sync();
    rowOf(fake, 'f0cbb970-378b-800c-b642-8c7a968a89b8')['in_trash'] = true;
    expect((await sync()).report).toMatchObject({ listing: 'incremental', deleted: 0 });
    expect((await sync({ full: true })).report).toMatchObject({ listing: 'full', deleted: 1 });
    expect(byId(store).has('f0cbb970-378b-800c-b642-8c7a968a89b8')).toBe(false);
  });

  test('a renamed column keeps working by property id, with a finding that says so', async () => {
    const { fake, sync, store } = setup();
    await sync();
    const schema = fake.main.schema['properties'] as Record<string, Json>;
    schema['Market segment'] = { ...schema['Segment']!, name: 'Market segment' };
    delete schema['Segment'];
    for (const row of fake.main.rows) {
      props(row)['Market segment'] = props(row)['Segment']!;
      delete props(row)['Segment'];
    }
    const { findings } = await sync({ full: true });
    expect(findings.filter((f) => f.code === 'column_renamed').map((f) => [f.field, f.value])).toEqual([['Segment', 'Market segment']]);
    expect(byId(store).get('1e527ff9-160e-80a4-89f1-c7e23916e1df')!.segment).toBe('Mid-market');
  });
});

describe('Notion source: rate limits and failures', () => {
  test('a 429 is retried after its Retry-After', async () => {
    const { fake, sync, sleeps } = setup();
    fake.fail({ match: (r) => r.path.endsWith('/query'), status: 429, body: fixture('error_429_rate_limited.json'), headers: { 'retry-after': '27' } });
    const { report } = await sync();
    expect(sleeps).toContain(27_000);
    expect(fake.sent('/query')).toHaveLength(3);
    expect(report).toMatchObject({ created: 5, retries: 1 });
    expect(report.waitedMs).toBeGreaterThanOrEqual(27_000);
  });

  test('a 503 on the query (a POST the SDK does not retry) is retried with backoff', async () => {
    const { fake, sync, sleeps } = setup();
    fake.fail({ match: (r) => r.path.endsWith('/query'), status: 503, body: fixture('error_503_query_unavailable.json') });
    const { report } = await sync();
    expect(report).toMatchObject({ created: 5, retries: 1 });
    const backoff = sleeps.find((ms) => ms >= 500 && ms <= 1500);
    expect(backoff).toBeDefined();
  });

  test('repeated 5xx end in a clear failure after 6 attempts, and the store keeps the last good data', async () => {
    const { fake, sync, store } = setup();
    await sync();
    const before = { rows: store.interviews(), state: store.syncState('interviews') };
    fake.requests.length = 0;
    fake.fail({ match: (r) => r.path.endsWith('/query'), status: 503, body: fixture('error_503_query_unavailable.json'), times: 100 });
    await expect(sync()).rejects.toMatchObject({
      code: 'source_unavailable',
      message: expect.stringMatching(/Notion answered 503 service_unavailable while reading the rows, after retries\. Nothing was changed.*request id/),
    });
    expect(fake.sent('/query')).toHaveLength(6);
    expect({ rows: store.interviews(), state: store.syncState('interviews') }).toEqual(before);
  });

  test('a blocked integration fails at once', async () => {
    const { fake, sync } = setup();
    fake.fail({
      match: () => true,
      status: 429,
      body: { ...fixture<Json>('error_429_rate_limited.json'), additional_data: { rate_limit_reason: 'public_api_request_blocked' } },
      times: 10,
    });
    await expect(sync()).rejects.toMatchObject({ code: 'source_unavailable', message: expect.stringContaining('contact Notion support') });
    expect(fake.requests).toHaveLength(1);
  });

  test('401 names the variable to fix and never the token', async () => {
    const { sync } = setup({ token: 'secret_wrong_value_1234567890' });
    const error = await sync().catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'source_auth', message: expect.stringContaining('Set NOTION_TOKEN') });
    expect((error as Error).message).not.toContain('secret_wrong_value');
  });

  test('404 says how to share the database with the integration', async () => {
    const { fake, sync } = setup({ source: { database: 'https://www.notion.so/ws/Other-0123456789abcdef0123456789abcdef' } });
    await expect(sync()).rejects.toMatchObject({
      code: 'source_not_found',
      message: expect.stringContaining('"•••" menu → Connections → add your integration'),
    });
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/v1/databases/01234567-89ab-cdef-0123-456789abcdef',
      '/v1/data_sources/01234567-89ab-cdef-0123-456789abcdef',
    ]);
  });

  test('a pasted slug says what an id looks like, before any request', async () => {
    const { fake, sync } = setup({ source: { database: 'Customer-Interviews' } });
    await expect(sync()).rejects.toMatchObject({ code: 'source_invalid_id', message: expect.stringContaining('32-character id') });
    expect(fake.requests).toEqual([]);
  });

  test("Notion's own 400 validation error is explained the same way", async () => {
    const { fake, sync } = setup();
    fake.fail({ match: (r) => r.method === 'GET', status: 400, body: fixture('error_400_validation_error.json'), times: 2 });
    await expect(sync()).rejects.toMatchObject({ code: 'source_invalid_id', message: expect.stringContaining('should be a valid uuid') });
  });
});

describe('Notion source: data sources, relations and the 10 000-row cap', () => {
  test('a data source id works as input; several data sources need a name', async () => {
    const direct = setup({ source: { database: IDS.data_source_id } });
    expect((await direct.sync()).report.created).toBe(5);
    expect(direct.fake.requests.slice(0, 2).map((r) => [r.path, r.method])).toEqual([
      [`/v1/databases/${IDS.data_source_id}`, 'GET'],
      [`/v1/data_sources/${IDS.data_source_id}`, 'GET'],
    ]);

    const fake = new FakeNotion();
    fake.dataSources.push({
      databaseId: IDS.database_id,
      dataSourceId: IDS.studies_data_source_id,
      schema: { ...fake.main.schema, id: IDS.studies_data_source_id, title: [{ plain_text: 'Archive' }] },
      rows: [],
    });
    const several = setup({ fake });
    await expect(several.sync()).rejects.toMatchObject({ code: 'source_ambiguous', message: expect.stringContaining('"Customer Interviews", "Archive"') });
    const named = setup({ fake, source: { dataSource: 'Customer Interviews' } });
    expect((await named.sync()).report.created).toBe(5);
  });

  test('a relation with 31 items is read past 25 through the property-item endpoint', async () => {
    const fake = new FakeNotion();
    const row = fake.main.rows[0]!;
    const ids = Array.from({ length: 31 }, (_, i) => `5a000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const [i, id] of ids.entries()) fake.addPage(id, `Theme ${i + 1}`);
    props(row)['Study'] = { id: 'eW%60s', type: 'relation', relation: ids.slice(0, 25).map((id) => ({ id })), has_more: true };
    fake.relations.set(`${row['id']}/eW%60s`, ids);
    const { sync, store } = setup({ fake, source: { mapping: { ...MAPPING, study: undefined, tags: 'Study' } } });
    await sync();
    const items = fake.requests.filter((r) => r.path.includes('/properties/'));
    expect(items.map((r) => `${r.path}${r.search}`)).toEqual([`/v1/pages/${row['id']}/properties/eW%60s?page_size=100`]);
    expect(byId(store).get(row['id'] as string)!.tags).toEqual(ids.map((_, i) => `Theme ${i + 1}`));
  });

  test('past the row cap of one query (10 000 in Notion; 300 in this fake) it still reads everything', async () => {
    const fake = new FakeNotion(manyRows(320));
    fake.cap = 300;
    const { sync, store } = setup({ fake, source: { pageSize: 100 } });
    const { report } = await sync();
    const queries = fake.sent('/query');
    expect(queries).toHaveLength(4);
    expect(queries[3]!.body).toEqual({
      page_size: 100,
      sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
      filter: { timestamp: 'created_time', created_time: { on_or_after: new Date(Date.parse('2026-01-01T00:00:00.000Z') + 299 * 60_000).toISOString() } },
    });
    expect(report).toMatchObject({ read: 320, created: 320 });
    expect(store.interviews()).toHaveLength(320);
  });

  test('every property type the reference lists maps onto the model', async () => {
    const fake = new FakeNotion();
    const study = fixture<Json>('retrieve_page_study_all_property_types.json');
    const schemaProps = Object.fromEntries(
      Object.entries(study['properties'] as Record<string, Json>).map(([name, v]) => [
        name,
        { id: v['id'], name, description: null, type: v['type'], [v['type'] as string]: {} },
      ]),
    );
    fake.dataSources.push({
      databaseId: IDS.studies_database_id,
      dataSourceId: IDS.studies_data_source_id,
      schema: { ...fake.main.schema, id: IDS.studies_data_source_id, title: [{ plain_text: 'Studies' }], properties: schemaProps },
      rows: [study],
    });
    const related = [
      ...fixture<{ results: Json[] }>('property_item_study_interviews_page1.json').results,
      ...fixture<{ results: Json[] }>('property_item_study_interviews_page2.json').results,
    ].map((r) => (r['relation'] as Json)['id'] as string);
    related.forEach((id, i) => fake.addPage(id, `Interview ${i + 1}`));
    fake.relations.set(`${study['id']}/r%7DoG`, related);
    const { sync, store } = setup({
      fake,
      source: {
        database: IDS.studies_database_id,
        mapping: {
          title: 'Name',
          startsAt: 'Last interview',
          endsAt: 'Next checkpoint',
          durationMinutes: 'Interview count',
          interviewers: 'Owner',
          attendees: 'Last edited by',
          account: 'Label',
          participantEmail: 'Contact email',
          participantRole: 'Hotline',
          segment: 'Segments covered',
          callType: { column: 'Status', values: { 'In progress': 'learning' } },
          study: 'Study ID',
          debriefed: 'Is active',
          tags: 'Interviews',
          notesUrl: 'Brief',
          nugget: 'Days since last interview',
        },
      },
    });
    const { findings } = await sync();
    expect(store.interviews()[0]).toMatchObject({
      title: 'Onboarding revamp Q4',
      startsAt: '2026-11-20T10:30:00.000Z', // rollup date
      endsAt: '2026-12-01T00:00:00.000Z', // formula date
      durationMinutes: 25, // rollup number
      interviewers: [{ key: 'dana.whitfield@northwind-labs.com', onRoster: true }], // the group is not a person
      attendees: [], // a bot is not an attendee
      account: 'STU-12 · Onboarding revamp Q4', // formula string
      participant: { name: null, email: 'research@northwind-labs.com', role: '+1 415 555 0142' },
      segment: 'Mid-market, Startup', // rollup array, the empty select left out
      callType: 'learning', // status
      study: 'STU-12', // unique id
      debriefed: true, // formula boolean
      nugget: '2', // formula number
      notesUrl: expect.stringMatching(/^onboarding-study-brief\.pdf, https?:\/\//), // files
      createdAt: '2026-09-15T12:00:00.000Z', // the page's own, as no column is mapped
    });
    expect(store.interviews()[0]!.tags).toHaveLength(31);
    expect(findings).toEqual([]);
  });
});

describe('Notion source: nothing silently blanked or lost', () => {
  test('a column removed between runs refuses the incremental run, naming it, and the store is unchanged', async () => {
    const { fake, sync, store } = setup();
    await sync();
    const before = { rows: store.interviews(), state: store.syncState('interviews') };
    const schema = fake.main.schema['properties'] as Record<string, Json>;
    delete schema['Segment'];
    for (const row of fake.main.rows) delete props(row)['Segment'];
    rowOf(fake, 'c51ae08b-3727-8081-be57-821b6396e022')['last_edited_time'] = '2026-11-22T09:00:00.000Z';
    fake.requests.length = 0;
    await expect(sync()).rejects.toMatchObject({ code: 'source_layout', details: ['mapping.segment: no column "Segment" in the source'] });
    // The query showed a page without the property; the schema was read again to be sure.
    expect(fake.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, 'ID')}`)).toEqual([
      'POST /v1/data_sources/ID/query',
      'GET /v1/databases/ID',
      'GET /v1/data_sources/ID',
    ]);
    expect({ rows: store.interviews(), state: store.syncState('interviews') }).toEqual(before);
    expect(store.runs(1)[0]).toMatchObject({ status: 'failed' });
  });

  const cursorRejected = {
    object: 'error',
    status: 400,
    code: 'validation_error',
    message: 'The start_cursor provided is invalid: 2b5c1e0e-ffff-4fff-bfff-ffffffffffff',
  };

  test('a cursor rejected mid-listing restarts the listing once, and every row is read once', async () => {
    const { fake, sync } = setup();
    fake.fail({ match: (r) => r.path.endsWith('/query') && Boolean(r.body?.['start_cursor']), status: 400, body: cursorRejected });
    const { report } = await sync();
    expect(report).toMatchObject({ listing: 'full', read: 5, created: 5 });
    expect(fake.sent('/query').map((r) => r.body?.['start_cursor'] ?? null)).toEqual([null, expect.any(String), null, expect.any(String)]);
  });

  test('a cursor rejected twice says what happened, not "paste the database URL"', async () => {
    const { fake, sync } = setup();
    fake.fail({ match: (r) => r.path.endsWith('/query') && Boolean(r.body?.['start_cursor']), status: 400, body: cursorRejected, times: 2 });
    const error = await sync().catch((e: Error) => e);
    expect(error).toMatchObject({
      code: 'source_unavailable',
      message: expect.stringContaining("Notion stopped accepting the listing's cursor part-way, twice in a row"),
    });
    expect((error as Error).message).not.toContain('Paste the database URL');
  });

  test.each([
    ['a non-JSON 200', 'OK'],
    ['a truncated body', '{"object":"list","results":[{"object":"page","id":"1e5'],
  ])('%s is retried like a 5xx, then fails saying so; the store is unchanged and the run log says it failed', async (_name, text) => {
    const { fake, sync, store } = setup();
    await sync();
    const before = { rows: store.interviews(), state: store.syncState('interviews') };
    fake.fail({ match: (r) => r.path.endsWith('/query'), status: 200, body: null, text, times: 100 });
    fake.requests.length = 0;
    const error = await sync().catch((e: Error) => e);
    expect(error).toMatchObject({
      code: 'source_unavailable',
      message: expect.stringContaining('Notion (or a proxy in front of it) answered something that is not JSON'),
    });
    expect((error as Error).message).not.toContain('Unexpected token');
    expect(fake.sent('/query')).toHaveLength(6);
    expect({ rows: store.interviews(), state: store.syncState('interviews') }).toEqual(before);
    expect(store.runs(1)[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('not JSON') });
  });

  test('a non-JSON answer once is only a retry', async () => {
    const { fake, sync } = setup();
    fake.fail({ match: (r) => r.path.endsWith('/query'), status: 200, body: null, text: 'OK' });
    expect((await sync()).report).toMatchObject({ created: 5, retries: 1 });
  });

  test('describeSchema lists every property with its id, type and select options', async () => {
    const { source } = setup();
    const schema = await source().describeSchema();
    expect(schema).toMatchObject({ source: 'interviews', kind: 'notion', rows: null });
    const type = schema.columns.find((c) => c.name === 'Type');
    expect(type).toMatchObject({ type: 'select', options: expect.arrayContaining([{ name: 'Learning call', count: null }]) });
    expect(schema.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['Name', 'Date', 'Interviewer', 'Segment']));
  });
});

test('a related page is read once: its title is kept across runs, full listings included', async () => {
  const { fake, sync } = setup();
  await sync();
  const pagesRead = () => fake.requests.filter((r) => r.method === 'GET' && /^\/v1\/pages\/[^/]+$/.test(r.path)).map((r) => r.path);
  const first = pagesRead();
  expect(first.length).toBeGreaterThan(0);
  expect(new Set(first).size).toBe(first.length);
  fake.requests.length = 0;
  await sync({ full: true });
  expect(pagesRead()).toEqual([]);
});

test('a week later a full listing reads the related titles afresh, so a renamed page shows its new name', async () => {
  const { fake, sync, store, advance } = setup();
  await sync();
  expect(store.interviews().some((i) => i.study === 'Pricing study')).toBe(true);
  fake.addPage('521b55ad-a989-80e5-9645-f8997a98714f', 'Pricing study (renamed)');
  advance(2 * 24 * 3600_000);
  await sync({ full: true });
  expect(store.interviews().some((i) => i.study === 'Pricing study (renamed)')).toBe(false);
  advance(6 * 24 * 3600_000);
  await sync({ full: true });
  expect(store.interviews().some((i) => i.study === 'Pricing study (renamed)')).toBe(true);
});
