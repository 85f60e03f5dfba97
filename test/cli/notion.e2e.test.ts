import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FakeNotion, IDS, TOKEN } from '../fakes/notion.js';
import { serveOnLoopback, type ServedFake } from '../fakes/serve.js';

let served: ServedFake | null = null;
afterEach(async () => {
  await served?.close();
  served = null;
});

test('touchpoint sync reads a Notion database served on 127.0.0.1, then runs incrementally', async () => {
  const fake = new FakeNotion();
  fake.addPage('521b55ad-a989-80e5-9645-f8997a98714f', 'Pricing study');
  fake.addPage('90237de7-232a-80de-bed4-32292ed99a49', 'Support study');
  served = await serveOnLoopback(fake.handlers(''));
  const dir = mkdtempSync(join(tmpdir(), 'tp-notion-'));
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `timezone: Europe/Berlin
roster:
  - { name: Dana Whitfield, email: dana.whitfield@northwind-labs.com, role: pm }
  - { name: Priya Raman, email: priya.raman@northwind-labs.com, role: pm }
  - { name: Sam Okafor, email: sam.okafor@northwind-labs.com, role: pm }
  - { name: Marco Bellini, email: marco.bellini@northwind-labs.com, role: design }
sources:
  - name: interviews
    kind: notion
    database: "${IDS.database_url}"
    apiBaseUrl: ${served.url}
    requestsPerSecond: 10
    mapping:
      title: Name
      startsAt: Date
      durationMinutes: Duration (min)
      interviewers: Interviewer
      attendees: Attendees
      study: Study
      callType: { column: Type, values: { Learning call: learning, Sales call: sales, Usability test: usability, Support call: support } }
`,
  );
  const env = { NOTION_TOKEN: TOKEN };
  const first = await runCli(['sync'], dir, env);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^interviews\s+full\s+5\s+5\s+0\s+0\s+0\s+2\s+[\d.]+ s\s+6\s+0\s+[\d.]+ s$/m);
  expect(first.stdout.split('\n')[0]).toMatch(/time\s+requests\s+retries\s+waited$/);
  expect(first.stdout).toContain('no date in "Date"');
  expect(first.stdout).not.toContain(TOKEN);

  fake.requests.length = 0;
  const second = await runCli(['sync'], dir, env);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/^interviews\s+incremental\s+1\s+0\s+0\s+1\s+0\s/m);
  expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/data_sources/${IDS.data_source_id}/query`]);
  expect(fake.requests[0]!.headers['notion-version']).toBe('2025-09-03');

  const metrics = JSON.parse((await runCli(['metrics', '--json', '--as-of', '2026-11-21'], dir, env)).stdout);
  expect(metrics.studies.map((s: { study: string }) => s.study).sort()).toEqual(['Onboarding revamp Q4']);
  expect(served.unhandled).toEqual([]);
});

test('without NOTION_TOKEN the sync says which variable to set, and exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-notion-'));
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `sources:\n  - { name: n, kind: notion, database: "${IDS.database_id}", mapping: { title: Name, startsAt: Date } }\n`,
  );
  const result = await runCli(['sync'], dir, { NOTION_TOKEN: '' });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('touchpoint: Source "n" (Notion): NOTION_TOKEN is not set.');
});

test('a value map added to the config: the next plain sync lists everything, says why, and the metrics equal a fresh store', async () => {
  const fake = new FakeNotion();
  fake.addPage('521b55ad-a989-80e5-9645-f8997a98714f', 'Pricing study');
  fake.addPage('90237de7-232a-80de-bed4-32292ed99a49', 'Support study');
  served = await serveOnLoopback(fake.handlers(''));
  const config = (values: string) => `timezone: Europe/Berlin
asOf: 2026-11-20
roster:
  - { name: Dana Whitfield, email: dana.whitfield@northwind-labs.com, role: pm }
  - { name: Priya Raman, email: priya.raman@northwind-labs.com, role: pm }
store: { path: ./tp.db }
sources:
  - name: interviews
    kind: notion
    database: "${IDS.database_url}"
    apiBaseUrl: ${served!.url}
    requestsPerSecond: 10
    mapping:
      title: Name
      startsAt: Date
      interviewers: Interviewer
      callType: { column: Type, values: { ${values} } }
`;
  const dir = mkdtempSync(join(tmpdir(), 'tp-notion-setup-'));
  const fresh = mkdtempSync(join(tmpdir(), 'tp-notion-fresh-'));
  const env = { NOTION_TOKEN: TOKEN };
  writeFileSync(join(dir, 'touchpoint.config.yaml'), config('Sales call: sales'));
  expect((await runCli(['sync'], dir, env)).code).toBe(0);
  // "Learning call" was unmapped (other, not counted); the team adds it to the value map.
  const edited = config('Sales call: sales, Learning call: learning, Usability test: usability');
  writeFileSync(join(dir, 'touchpoint.config.yaml'), edited);
  const again = await runCli(['sync'], dir, env);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/^interviews\s+full\s+5\s/m);
  expect(again.stdout).toContain('interviews: a full listing, because the setup changed since the last sync');
  writeFileSync(join(fresh, 'touchpoint.config.yaml'), edited);
  expect((await runCli(['sync'], fresh, env)).code).toBe(0);
  const metrics = async (where: string) => JSON.parse((await runCli(['metrics', '--json'], where)).stdout) as Record<string, unknown>;
  const [updated, clean] = await Promise.all([metrics(dir), metrics(fresh)]);
  expect(updated).toEqual(clean);
  expect((updated['quality'] as { team: { learningVsSales: { learning: number } } }).team.learningVsSales.learning).toBeGreaterThan(0);
});
