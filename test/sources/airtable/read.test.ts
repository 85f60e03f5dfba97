import { afterEach, describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { parseConfig } from '../../../src/config/load.js';
import type { AirtableSourceConfig } from '../../../src/config/schema.js';
import { Store } from '../../../src/store/store.js';
import { syncSource } from '../../../src/sync/run.js';
import { AirtableSource } from '../../../src/sources/airtable/read.js';
import { USER_AGENT } from '../../../src/sources/airtable/client.js';
import { errorTypes } from '../../../src/sources/airtable/rules.js';
import type { Clock } from '../../../src/model/clock.js';
import type { Interview } from '../../../src/model/interview.js';
import { AIRTABLE_TOKEN, BASE_ID, FakeAirtable, TABLE_ID, fixture, fixtureRecords } from '../../fakes/airtable.js';

type Json = Record<string, unknown>;

const ROSTER = [
  { name: 'Maya Chen', email: 'maya.chen@example.com', role: 'pm', team: 'Growth' },
  { name: 'Priya Raman', email: 'priya.raman@example.com', role: 'pm', team: 'Platform' },
  { name: 'Lee Park', email: 'lee.park@example.com', role: 'pm', team: 'Platform' },
  { name: 'Jonas Weber', email: 'jonas.weber@example.com', role: 'design', team: 'Growth' },
  { name: 'Sam Okafor', email: 'sam.okafor@example.com', role: 'engineering', team: 'Platform' },
];
const MAPPING = {
  title: 'Name',
  startsAt: 'Date',
  durationMinutes: 'Duration',
  interviewers: 'Interviewer',
  attendees: 'Attendees',
  account: 'Account name',
  segment: 'Segment',
  customerStatus: { column: 'Customer status', values: { Current: 'current', Churned: 'former', 'Lost deal': 'lost' } },
  tier: 'Tier',
  callType: { column: 'Type', values: { 'Learning call': 'learning', 'Sales call': 'sales', 'Support call': 'support', 'Usability test': 'usability' } },
  location: { column: 'Location', values: { 'Remote (Zoom)': 'video', 'Remote (Google Meet)': 'video', Phone: 'phone' } },
  study: 'Study',
  tldr: 'TL;DR',
  notesUrl: 'Notes URL',
  debriefed: 'Debriefed',
  followUpDue: 'Follow-ups due',
  followUpDone: 'Follow-ups done',
  tags: 'Tags',
  createdAt: 'Created',
  updatedAt: 'Last modified',
};

const servers: Array<ReturnType<typeof setupServer>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function setup(options: { source?: Json; token?: string; fake?: FakeAirtable } = {}) {
  for (const old of servers.splice(0)) old.close();
  const fake = options.fake ?? new FakeAirtable();
  const server = setupServer(...fake.handlers());
  server.listen({ onUnhandledRequest: 'error' });
  servers.push(server);
  const config = parseConfig({
    timezone: 'America/New_York',
    roster: ROSTER,
    sources: [{ name: 'research', kind: 'airtable', baseId: BASE_ID, table: 'Interviews', pageSize: 3, mapping: MAPPING, ...options.source }],
  });
  const sleeps: number[] = [];
  let t = Date.parse('2026-11-22T12:00:00.000Z');
  const clock: Clock = { now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)) };
  const store = Store.open(':memory:');
  const sync = (opts: { full?: boolean } = {}) =>
    syncSource(
      new AirtableSource(config.sources[0] as AirtableSourceConfig, config.roster, config.timezone, { token: options.token ?? AIRTABLE_TOKEN, clock }),
      store,
      { maxDeleteShare: 0.5, now: () => new Date(t), ...opts },
    );
  return { fake, store, sync, sleeps };
}

const byId = (store: Store) => new Map(store.interviews().map((i) => [i.source.recordId, i]));
const query = (r: { query: URLSearchParams }) => Object.fromEntries(r.query.entries());

describe('the fake speaks the fixtures', () => {
  test('a name-keyed listing of 3 is the fixture page, offset included', async () => {
    setup();
    const get = (qs: string) =>
      fetch(`https://api.airtable.com/v0/${BASE_ID}/Interviews?${qs}`, { headers: { authorization: `Bearer ${AIRTABLE_TOKEN}` } }).then((r) => r.json());
    expect(await get('pageSize=3')).toEqual(fixture('list-interviews-page1.json'));
    expect(await get('pageSize=3&offset=itruNGrTFhxhavBTo%2FreczKLMcyKHKi7M07')).toEqual(fixture('list-interviews-page2.json'));
  });
});

describe('Airtable source: a full sync', () => {
  test('reads the schema, then two pages by offset, with exactly these requests', async () => {
    const { fake, sync, store } = setup();
    const { report } = await sync();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v0/meta/bases/${BASE_ID}/tables`,
      `GET /v0/${BASE_ID}/${TABLE_ID}`,
      `GET /v0/${BASE_ID}/${TABLE_ID}`,
    ]);
    expect(fake.lists().map(query)).toEqual([
      { pageSize: '3', returnFieldsByFieldId: 'true', cellFormat: 'json' },
      { pageSize: '3', returnFieldsByFieldId: 'true', cellFormat: 'json', offset: 'itruNGrTFhxhavBTo/reczKLMcyKHKi7M07' },
    ]);
    for (const r of fake.requests) expect(r.headers['authorization']).toBe(`Bearer ${AIRTABLE_TOKEN}`);
    expect(fake.lists()[0]!.headers['x-airtable-application-id']).toBe(BASE_ID);
    expect(fake.lists()[0]!.headers['user-agent']).toBe(USER_AGENT);
    expect(report).toMatchObject({ listing: 'full', read: 5, created: 5, requests: 3, retries: 0 });
    expect(store.interviews()).toHaveLength(5);
  });

  test('record 1 maps every field: a duration in seconds, collaborators, a lookup, selects', async () => {
    const { sync, store } = setup();
    await sync();
    const expected: Interview = {
      id: 'research:recoE2u6Qe1NBPBTr',
      source: { name: 'research', kind: 'airtable', recordId: 'recoE2u6Qe1NBPBTr', url: `https://airtable.com/${BASE_ID}/${TABLE_ID}/recoE2u6Qe1NBPBTr` },
      title: 'Acme Corp — onboarding walkthrough',
      startsAt: '2026-10-07T14:00:00.000Z',
      endsAt: null,
      durationMinutes: 45,
      interviewers: [{ key: 'maya.chen@example.com', name: 'Maya Chen', email: 'maya.chen@example.com', onRoster: true }],
      attendees: [{ key: 'jonas.weber@example.com', name: 'Jonas Weber', email: 'jonas.weber@example.com', onRoster: true }],
      account: 'Acme Corp (2021)',
      participant: { name: null, email: null, role: null },
      segment: 'Enterprise',
      customerStatus: 'current',
      tier: 'Tier 1',
      callType: 'learning',
      location: 'video',
      study: 'Onboarding revamp (2026 Q4)',
      tldr: 'Admins get lost right after SSO setup.\nThey want a setup checklist that survives page reloads.\nWould pay extra for sandbox workspaces.',
      notesUrl: 'https://docs.example.com/research/interviews/acme-2026-10-07',
      debriefed: true,
      followUps: { due: '2026-10-14', done: true },
      tags: ['onboarding', 'permissions'],
      nugget: null,
      createdAt: '2026-10-06T13:12:44.000Z',
      updatedAt: '2026-10-15T09:41:07.000Z',
    };
    expect(byId(store).get('recoE2u6Qe1NBPBTr')).toEqual(expected);
  });

  test('absent keys are empty or false; a lookup error and an unknown choice are findings', async () => {
    const { sync, store } = setup();
    const { findings } = await sync();
    const rows = byId(store);
    expect(rows.get('recbEpvpDbnIIAp00')).toMatchObject({
      startsAt: null,
      durationMinutes: null,
      debriefed: false,
      followUps: { due: null, done: false },
      callType: 'sales',
    });
    // An attendee with no name (never created an account) still matches the roster by e-mail.
    expect(rows.get('recbEpvpDbnIIAp00')!.attendees).toEqual([
      { key: 'sam.okafor@example.com', name: 'Sam Okafor', email: 'sam.okafor@example.com', onRoster: true },
    ]);
    expect(rows.get('reczKLMcyKHKi7M07')).toMatchObject({
      tldr: null,
      tags: [],
      notesUrl: null,
      debriefed: true,
      followUps: { due: '2026-10-31', done: false },
      customerStatus: 'former',
      durationMinutes: 60,
    });
    expect(rows.get('recQbbStdd8AgdmX2')).toMatchObject({ account: null, customerStatus: 'lost', segment: 'Startup' });
    expect(rows.get('recsau4rEE7naW8mH')).toMatchObject({
      account: 'Acme Corp (2021), Hooli (2019)',
      durationMinutes: 90,
      location: 'other',
      tldr: '4 of 5 tasks completed.\nFilter builder is the main blocker; see notes from @Maya Chen.',
    });
    expect(findings.map((f) => [f.recordId, f.code, f.field, f.value])).toEqual([
      ['recbEpvpDbnIIAp00', 'missing_date', 'Date', null],
      ['recQbbStdd8AgdmX2', 'formula_error', 'Account name', '#ERROR!'],
      ['recsau4rEE7naW8mH', 'unmapped_value', 'Location', 'Our office'],
    ]);
  });

  test('other field types: number, formula NaN, a lookup of dates, a rollup', async () => {
    const fake = new FakeAirtable([
      {
        id: 'recX0000000000001',
        createdTime: '2026-11-01T09:00:00.000Z',
        fields: {
          Name: 'Extra types',
          'Visit dates': ['2026-11-05', '2026-11-07'],
          'Hours (formula)': { specialValue: 'NaN' },
          'Owner emails': 'owner@client.example',
          Interviewer: { id: 'usrAAAAAAAAAAAAAA' },
        },
      },
    ]);
    const table = fake.meta.tables[0]!;
    table.fields.push(
      { id: 'fldVisitDates0001', name: 'Visit dates', type: 'multipleLookupValues' },
      { id: 'fldHoursFormula01', name: 'Hours (formula)', type: 'formula' },
      { id: 'fldOwnerEmails001', name: 'Owner emails', type: 'rollup' },
    );
    const { sync, store } = setup({
      fake,
      source: {
        mapping: {
          title: 'Name',
          startsAt: 'Visit dates',
          durationMinutes: { column: 'Hours (formula)', unit: 'hours' },
          participantEmail: 'Owner emails',
          interviewers: 'Interviewer',
        },
      },
    });
    const { findings } = await sync();
    // A collaborator known only by id is kept (and reported), never dropped.
    expect(store.interviews()[0]).toMatchObject({
      startsAt: '2026-11-05',
      durationMinutes: null,
      participant: { email: 'owner@client.example' },
      interviewers: [{ key: 'id:usrAAAAAAAAAAAAAA', name: null, email: null, onRoster: false }],
    });
    expect(findings.map((f) => [f.code, f.field, f.value])).toEqual([
      ['formula_error', 'Hours (formula)', 'NaN'],
      ['unknown_person', 'Interviewer', 'usrAAAAAAAAAAAAAA'],
    ]);
  });
});

describe('Airtable source: incremental runs and deletions', () => {
  test('an unchanged incremental run is two requests: the schema, then the rows filtered from the bookmark minus the overlap', async () => {
    const { fake, sync } = setup();
    await sync();
    fake.requests.length = 0;
    const { report } = await sync();
    expect(fake.requests.map((r) => r.path)).toEqual([`/v0/meta/bases/${BASE_ID}/tables`, `/v0/${BASE_ID}/${TABLE_ID}`]);
    expect(query(fake.requests[1]!)).toEqual({
      pageSize: '3',
      returnFieldsByFieldId: 'true',
      cellFormat: 'json',
      filterByFormula: "IS_AFTER({fldExzIpIQftca4sv}, '2026-11-21T09:57:45.000Z')",
    });
    expect(report).toMatchObject({ listing: 'incremental', read: 1, unchanged: 1, created: 0, updated: 0, requests: 2 });
  });

  test('a deleted record is detected on the next full listing', async () => {
    const { fake, sync, store } = setup();
    await sync();
    fake.records = fake.records.filter((r) => r['id'] !== 'reczKLMcyKHKi7M07');
    expect((await sync()).report.deleted).toBe(0);
    expect((await sync({ full: true })).report).toMatchObject({ listing: 'full', deleted: 1 });
    expect(byId(store).has('reczKLMcyKHKi7M07')).toBe(false);
  });

  test('a renamed field keeps working by field id', async () => {
    const { fake, sync, store } = setup();
    await sync();
    const segment = fake.meta.tables[0]!.fields.find((f) => f.name === 'Segment')!;
    segment.name = 'Market segment';
    for (const r of fake.records) {
      const fields = r['fields'] as Json;
      if ('Segment' in fields) fields['Market segment'] = fields['Segment'];
      delete fields['Segment'];
    }
    const { findings } = await sync({ full: true });
    expect(findings.filter((f) => f.code === 'column_renamed').map((f) => [f.field, f.value])).toEqual([['Segment', 'Market segment']]);
    expect(byId(store).get('recoE2u6Qe1NBPBTr')!.segment).toBe('Enterprise');
  });

  test('without a "Last modified time" field every run lists everything, and says why', async () => {
    const fake = new FakeAirtable();
    fake.meta.tables[0]!.fields = fake.meta.tables[0]!.fields.filter((f) => f.type !== 'lastModifiedTime');
    const { sync } = setup({ fake, source: { mapping: { ...MAPPING, updatedAt: undefined } } });
    await sync();
    const second = await sync();
    expect(second.report.listing).toBe('full');
    expect(second.findings.map((f) => f.code)).toContain('no_change_tracking');
  });
});

describe('Airtable source: rate limits, the quota and errors', () => {
  test('an expired iterator restarts the listing from the top', async () => {
    const fake = new FakeAirtable();
    fake.expireAfterPages = 1;
    const { sync } = setup({ fake });
    const { report } = await sync();
    expect(fake.lists().map((r) => r.query.get('offset'))).toEqual([null, 'itruNGrTFhxhavBTo/reczKLMcyKHKi7M07', null, 'itr00000000000001/reczKLMcyKHKi7M07']);
    expect(report).toMatchObject({ read: 5, created: 5 });
  });

  test.each([
    ['observed errors[] shape', 'error-429-rate-limit-reached.json'],
    ['documented error{} shape', 'error-429-rate-limit-reached-documented-shape.json'],
  ])('a 429 (%s) waits the 30-second penalty, then succeeds', async (_shape, file) => {
    const { fake, sync, sleeps } = setup();
    fake.fail({ match: (r) => !r.path.includes('/meta/') && r.query.has('offset'), status: 429, body: fixture(file) });
    const { report } = await sync();
    expect(sleeps).toContain(30_000);
    expect(report).toMatchObject({ created: 5, retries: 1 });
    expect(fake.lists()).toHaveLength(3);
  });

  test('the monthly quota fails at once with what it is, and the store is unchanged', async () => {
    const { fake, sync, store, sleeps } = setup();
    await sync();
    const before = { rows: store.interviews(), state: store.syncState('research') };
    fake.requests.length = 0;
    fake.fail({ match: () => true, status: 429, body: fixture('error-429-public-api-billing-limit-exceeded.json'), times: 100 });
    const started = sleeps.length;
    await expect(sync({ full: true })).rejects.toMatchObject({
      code: 'source_unavailable',
      message: expect.stringContaining('monthly Airtable API quota is used up (PUBLIC_API_BILLING_LIMIT_EXCEEDED)'),
    });
    expect(fake.requests).toHaveLength(1);
    expect(sleeps.slice(started).filter((ms) => ms >= 1000)).toEqual([]);
    expect({ rows: store.interviews(), state: store.syncState('research') }).toEqual(before);
  });

  test('a rate limit that never lifts fails after the configured retries', async () => {
    const { fake, sync } = setup();
    fake.fail({ match: (r) => !r.path.includes('/meta/'), status: 429, body: fixture('error-429-rate-limit-reached.json'), times: 100 });
    await expect(sync()).rejects.toMatchObject({ code: 'source_unavailable', message: expect.stringContaining('30-second penalty') });
    expect(fake.lists()).toHaveLength(4);
  });

  test('401 names the variable, never the token', async () => {
    const { sync } = setup({ token: 'wrong-airtable-token-for-tests' });
    const error = await sync().catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'source_auth', message: expect.stringContaining('Set AIRTABLE_TOKEN') });
    expect((error as Error).message).not.toContain('wrong-airtable-token');
  });

  test('403 says both things it can mean', async () => {
    const { sync } = setup({ source: { baseId: 'appAAAAAAAAAAAAAA' } });
    await expect(sync()).rejects.toMatchObject({
      code: 'source_not_found',
      message: expect.stringMatching(/add the base to the token's access list.*or the base id or table name is wrong/),
    });
  });

  test('a table that is not in the base names the tables that are', async () => {
    const { sync } = setup({ source: { table: 'Interveiws' } });
    await expect(sync()).rejects.toMatchObject({
      code: 'source_not_found',
      message: expect.stringContaining('"Interviews" (tblBFTFoOxtzHq8ST), "Accounts" (tblZHE6svi34zWH8x)'),
    });
  });

  test.each([
    [404, 'error-404-not-found.json', 'source_not_found', 'Check sources[].baseId and sources[].table'],
    [404, 'error-404-not-found-object.json', 'source_not_found', 'Check sources[].baseId and sources[].table'],
    [422, 'error-422-unknown-field-name.json', 'source_layout', 'Unknown field name: "TLDR"'],
    [422, 'error-422-invalid-filter-by-formula.json', 'source_layout', 'Airtable rejected the incremental filter'],
  ])('%i %s', async (status, file, code, text) => {
    const { fake, sync } = setup();
    fake.fail({ match: (r) => !r.path.includes('/meta/'), status, body: fixture(file) });
    await expect(sync()).rejects.toMatchObject({ code, message: expect.stringContaining(text) });
  });

  test('a mapping that names a missing field lists the fields', async () => {
    const { sync } = setup({ source: { mapping: { title: 'Name', startsAt: 'When' } } });
    await expect(sync()).rejects.toMatchObject({ code: 'source_layout', details: ['mapping.startsAt: no column "When" in the source'] });
  });
});

test.each([
  ['observed errors[] shape', { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'x' }] }, ['RATE_LIMIT_REACHED']],
  ['documented shape', { error: { type: 'RATE_LIMIT_REACHED' } }, ['RATE_LIMIT_REACHED']],
  ['string error', { error: 'NOT_FOUND' }, ['NOT_FOUND']],
  ['nothing', {}, []],
])('errorTypes: %s', (_name, body, types) => {
  expect(errorTypes(body)).toEqual(types);
});

test('the fixture records are what the fake serves', () => {
  expect(fixtureRecords().map((r) => r['id'])).toEqual([
    'recoE2u6Qe1NBPBTr',
    'recbEpvpDbnIIAp00',
    'reczKLMcyKHKi7M07',
    'recQbbStdd8AgdmX2',
    'recsau4rEE7naW8mH',
  ]);
});

describe('Airtable source: nothing silently blanked or lost', () => {
  test('a field removed between runs refuses the incremental run, naming it, and the store is unchanged', async () => {
    const { fake, sync, store } = setup();
    await sync();
    const before = { rows: store.interviews(), state: store.syncState('research') };
    const table = fake.meta.tables[0]!;
    table.fields = table.fields.filter((f) => f.name !== 'Segment');
    for (const r of fake.records) delete (r['fields'] as Json)['Segment'];
    fake.requests.length = 0;
    await expect(sync()).rejects.toMatchObject({ code: 'source_layout', details: ['mapping.segment: no column "Segment" in the source'] });
    expect(fake.requests.map((r) => r.path)).toEqual([`/v0/meta/bases/${BASE_ID}/tables`]);
    expect({ rows: store.interviews(), state: store.syncState('research') }).toEqual(before);
  });

  test.each([
    ['a non-JSON 200', 'OK'],
    ['a truncated body', '{"records":[{"id":"recoE2u6'],
    ['JSON without records', '{"ok":true}'],
  ])('%s is retried like a 5xx, then fails saying so, with a failed run in the log', async (_name, text) => {
    const { fake, sync, store } = setup();
    fake.fail({ match: (r) => !r.path.includes('/meta/'), status: 200, body: null, text, times: 100 });
    const error = await sync().catch((e: Error) => e);
    expect(error).toMatchObject({
      code: 'source_unavailable',
      message: expect.stringContaining('Airtable (or a proxy in front of it) answered something that is not JSON'),
    });
    expect(fake.lists()).toHaveLength(4);
    expect(store.interviews()).toEqual([]);
    expect(store.runs(1)[0]).toMatchObject({ status: 'failed' });
  });

  test('describeSchema lists every field with its id, type and choices', async () => {
    const { fake } = setup();
    const config = parseConfig({ roster: ROSTER, sources: [{ name: 'research', kind: 'airtable', baseId: BASE_ID, table: 'Interviews', mapping: MAPPING }] });
    const source = new AirtableSource(config.sources[0] as AirtableSourceConfig, config.roster, config.timezone, { token: AIRTABLE_TOKEN });
    const schema = await source.describeSchema();
    expect(schema).toMatchObject({ source: 'research', kind: 'airtable', title: 'Interviews' });
    expect(schema.columns.find((c) => c.name === 'Type')).toMatchObject({
      type: 'singleSelect',
      options: expect.arrayContaining([{ name: 'Learning call', count: null }]),
    });
    expect(fake.requests.map((r) => r.path)).toEqual([`/v0/meta/bases/${BASE_ID}/tables`]);
  });
});
