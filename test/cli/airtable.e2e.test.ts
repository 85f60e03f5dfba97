import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { AIRTABLE_TOKEN, BASE_ID, FakeAirtable, TABLE_ID } from '../fakes/airtable.js';
import { FakeNotion, IDS, TOKEN } from '../fakes/notion.js';
import { serveOnLoopback, type ServedFake } from '../fakes/serve.js';

const served: ServedFake[] = [];
afterEach(async () => {
  for (const s of served.splice(0)) await s.close();
});

const ROSTER = `roster:
  - { name: Maya Chen, email: maya.chen@example.com, role: pm }
  - { name: Lee Park, email: lee.park@example.com, role: pm }
  - { name: Priya Raman, email: priya.raman@northwind-labs.com, role: pm }
  - { name: Dana Whitfield, email: dana.whitfield@northwind-labs.com, role: pm }
  - { name: Sam Okafor, email: sam.okafor@northwind-labs.com, role: engineering }
  - { name: Jonas Weber, email: jonas.weber@example.com, role: design }
  - { name: Marco Bellini, email: marco.bellini@northwind-labs.com, role: design }
`;
const airtableSource = (url: string) => `  - name: research
    kind: airtable
    baseId: ${BASE_ID}
    table: Interviews
    endpointUrl: ${url}/
    mapping:
      title: Name
      startsAt: Date
      durationMinutes: Duration
      interviewers: Interviewer
      attendees: Attendees
      account: Account name
      callType: { column: Type, values: { Learning call: learning, Sales call: sales, Support call: support, Usability test: usability } }
`;

test('touchpoint sync reads an Airtable table served on 127.0.0.1, then runs incrementally', async () => {
  const fake = new FakeAirtable();
  const airtable = await serveOnLoopback(fake.handlers(''));
  served.push(airtable);
  const dir = mkdtempSync(join(tmpdir(), 'tp-airtable-'));
  writeFileSync(join(dir, 'touchpoint.config.yaml'), `timezone: America/New_York\n${ROSTER}sources:\n${airtableSource(airtable.url)}`);
  const env = { AIRTABLE_TOKEN, AIRTABLE_API_KEY: 'keyFromTheEnvironmentMustNotBeUsed', AIRTABLE_ENDPOINT_URL: 'http://127.0.0.1:9' };
  const first = await runCli(['sync'], dir, env);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^research\s+full\s+5\s+5\s+0\s+0\s+0\s+2\s/m);
  expect(first.stdout).toContain('the formula, rollup or lookup in "Account name" returned an error (#ERROR!)');
  // The trailing slash in endpointUrl is removed (no //v0/…), and the token is the configured one.
  expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v0/meta/bases/${BASE_ID}/tables`, `GET /v0/${BASE_ID}/${TABLE_ID}`]);
  expect(fake.requests.every((r) => r.headers['authorization'] === `Bearer ${AIRTABLE_TOKEN}`)).toBe(true);

  fake.requests.length = 0;
  const second = await runCli(['sync'], dir, env);
  expect(second.stdout).toMatch(/^research\s+incremental\s+1\s+0\s+0\s+1\s+0\s/m);
  // Two requests: the schema (a removed field must refuse the run, not blank it), then the edited rows.
  expect(fake.requests.map((r) => r.path)).toEqual([`/v0/meta/bases/${BASE_ID}/tables`, `/v0/${BASE_ID}/${TABLE_ID}`]);
  expect(fake.requests[1]!.query.get('filterByFormula')).toBe("IS_AFTER({fldExzIpIQftca4sv}, '2026-11-21T09:57:45.000Z')");
  expect(airtable.unhandled).toEqual([]);
});

test('a Notion database and an Airtable table give one merged set of interviews and one roster', async () => {
  const notionFake = new FakeNotion();
  notionFake.addPage('521b55ad-a989-80e5-9645-f8997a98714f', 'Pricing study');
  notionFake.addPage('90237de7-232a-80de-bed4-32292ed99a49', 'Support study');
  const notion = await serveOnLoopback(notionFake.handlers(''));
  const airtable = await serveOnLoopback(new FakeAirtable().handlers(''));
  served.push(notion, airtable);
  const dir = mkdtempSync(join(tmpdir(), 'tp-merged-'));
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `timezone: Europe/Berlin
${ROSTER}sources:
  - name: interviews
    kind: notion
    database: "${IDS.database_url}"
    apiBaseUrl: ${notion.url}
    requestsPerSecond: 10
    mapping:
      title: Name
      startsAt: Date
      interviewers: Interviewer
      attendees: Attendees
      callType: { column: Type, values: { Learning call: learning, Sales call: sales, Usability test: usability, Support call: support } }
${airtableSource(airtable.url)}`,
  );
  const sync = await runCli(['sync'], dir, { NOTION_TOKEN: TOKEN, AIRTABLE_TOKEN });
  expect(sync.code).toBe(0);
  expect(sync.stdout).toMatch(/^interviews\s+full\s+5\s+5\s/m);
  expect(sync.stdout).toMatch(/^research\s+full\s+5\s+5\s/m);

  const metrics = JSON.parse((await runCli(['metrics', '--json', '--as-of', '2026-11-21'], dir)).stdout);
  // Counted conversations: Notion rows 1 and 5, Airtable records 1 and 5 (the others are sales, support or undated).
  expect(metrics.coverage.conversations).toBe(4);
  const last = Object.fromEntries(metrics.cadence.people.map((p: { name: string; lastConversation: string | null }) => [p.name, p.lastConversation]));
  expect(last).toMatchObject({ 'Dana Whitfield': '2026-10-30', 'Lee Park': '2026-11-16', 'Maya Chen': '2026-11-16', 'Marco Bellini': '2026-11-20' });
  // One roster: Priya is priya.raman@example.com in Airtable and matched by name to her roster entry.
  expect(metrics.cadence.people.map((p: { email: string }) => p.email)).toHaveLength(7);
  // Priya and Sam have other e-mails in Airtable (…@example.com): matched by name, so nobody is unknown.
  expect(metrics.findings.items.filter((f: { code: string }) => f.code === 'unknown_person')).toEqual([]);
  expect(new Set(metrics.findings.items.map((f: { source: string }) => f.source))).toEqual(new Set(['interviews', 'research']));
  expect(notion.unhandled).toEqual([]);
  expect(airtable.unhandled).toEqual([]);
});
