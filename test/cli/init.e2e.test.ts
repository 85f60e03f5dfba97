import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { openWorkspace, syncAll } from '../../src/index.js';
import { FakeNotion, IDS, TOKEN } from '../fakes/notion.js';
import { AIRTABLE_TOKEN, BASE_ID, FakeAirtable } from '../fakes/airtable.js';
import { serveOnLoopback, type ServedFake } from '../fakes/serve.js';

const served: ServedFake[] = [];
afterEach(async () => {
  for (const s of served.splice(0)) await s.close();
});

const AS_OF = '2026-11-21';
const fresh = () => mkdtempSync(join(tmpdir(), 'tp-init-'));

/** The metrics document of a folder's config, after a sync. */
async function syncedMetrics(dir: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const sync = await runCli(['sync'], dir, env);
  expect(sync.stderr).toBe('');
  expect(sync.code).toBe(0);
  const metrics = await runCli(['metrics', '--json', '--as-of', AS_OF], dir, env);
  expect(metrics.code).toBe(0);
  return JSON.parse(metrics.stdout);
}

/** The same document for the hand-written config, synced and computed in process (the CLI path is the init one's). */
async function handMetrics(dir: string, secrets: { notionToken?: string; airtableToken?: string } = {}): Promise<Record<string, unknown>> {
  const { workspace } = openWorkspace(join(dir, 'touchpoint.config.yaml'));
  try {
    const results = await syncAll(workspace.config, workspace.store, {
      deps: { secrets: { notionToken: secrets.notionToken ?? null, airtableToken: secrets.airtableToken ?? null } },
    });
    expect(results.map((r) => r.error ?? null)).toEqual([null]);
    return JSON.parse(JSON.stringify(workspace.metrics({ asOf: AS_OF })));
  } finally {
    workspace.store.close();
  }
}

/** A hand-written config with the roster `init` drafted (roles are the user's call) and the given source. */
function handConfig(initDir: string, source: string): string {
  const written = parse(readFileSync(join(initDir, 'touchpoint.config.yaml'), 'utf8'));
  const roster = written.roster.map((p: Record<string, string>) => `  - { name: "${p['name']}", email: "${p['email']}", role: ${p['role']} }`).join('\n');
  return `timezone: Europe/Berlin\nroster:\n${roster}\nsources:\n${source}`;
}

test('init --yes on a Notion database, then sync: the metrics equal those of a hand-written mapping', async () => {
  const fake = new FakeNotion();
  fake.addPage('521b55ad-a989-80e5-9645-f8997a98714f', 'Pricing study');
  fake.addPage('90237de7-232a-80de-bed4-32292ed99a49', 'Support study');
  const notion = await serveOnLoopback(fake.handlers(''));
  served.push(notion);
  const dir = fresh();
  const env = { NOTION_TOKEN: TOKEN };

  const init = await runCli(['init', '--yes', '--notion', IDS.database_url, '--api-base-url', notion.url, '--timezone', 'Europe/Berlin'], dir, env);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  expect(init.stdout).toContain('Wrote touchpoint.config.yaml: 18 fields mapped, 4 people on the roster (4 PMs)');
  expect(init.stdout).toMatch(/✓ source interviews\s+notion: data source/);
  expect(init.stdout).toContain('Next: npx touchpoint sync   then   npx touchpoint serve');
  // The schema (database, then its data source) and one page of rows; doctor reads the schema again.
  const sent = fake.requests.map((r) => `${r.method} ${r.path}`);
  expect(sent.slice(0, 3)).toEqual([
    `GET /v1/databases/${IDS.database_id}`,
    `GET /v1/data_sources/${IDS.data_source_id}`,
    `POST /v1/data_sources/${IDS.data_source_id}/query`,
  ]);
  expect(fake.requests.every((r) => r.headers['authorization'] === `Bearer ${TOKEN}`)).toBe(true);

  const text = readFileSync(join(dir, 'touchpoint.config.yaml'), 'utf8');
  expect(text).not.toContain('asOf');
  expect(text).toMatch(/^\$schema: .*touchpoint\.schema\.json$/m);
  expect(text).toContain('"Created" (created_time): the row’s own timestamp: read without a mapping');
  const written = parse(text);
  expect(written.sources[0].apiBaseUrl).toBe(notion.url);
  expect(written.roster.map((p: { name: string; role: string }) => `${p.name}:${p.role}`).sort()).toEqual([
    'Dana Whitfield:pm',
    'Marco Bellini:pm',
    'Priya Raman:pm',
    'Sam Okafor:pm',
  ]);

  const hand = fresh();
  writeFileSync(
    join(hand, 'touchpoint.config.yaml'),
    handConfig(
      dir,
      `  - name: interviews
    kind: notion
    database: "${IDS.database_url}"
    apiBaseUrl: ${notion.url}
    requestsPerSecond: 10
    mapping:
      title: Name
      startsAt: Date
      durationMinutes: Duration (min)
      interviewers: Interviewer
      attendees: Attendees
      account: Account
      segment: Segment
      customerStatus: Customer status
      tier: Tier
      callType: Type
      location: Location
      study: Study
      tldr: TL;DR
      notesUrl: Notes URL
      debriefed: Debriefed
      followUpDue: Follow-ups due
      followUpDone: Follow-ups done
      tags: Tags
`,
    ),
  );
  // Synced at Notion's fastest pace (pacing has its own tests); every other key is init's.
  const config = join(dir, 'touchpoint.config.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/^(    apiBaseUrl: .*)$/m, '$1\n    requestsPerSecond: 10'));
  const byInit = await syncedMetrics(dir, env);
  const byHand = await handMetrics(hand, { notionToken: TOKEN });
  expect(byInit).toEqual(byHand);
  expect((byInit['coverage'] as { conversations: number }).conversations).toBeGreaterThan(0);
  expect(notion.unhandled).toEqual([]);
});

test('init --yes on an Airtable table: guessed locations are written and marked, and the metrics equal a hand mapping', async () => {
  const fake = new FakeAirtable();
  const airtable = await serveOnLoopback(fake.handlers(''));
  served.push(airtable);
  const dir = fresh();
  const env = { AIRTABLE_TOKEN };

  const init = await runCli(
    ['init', '--yes', '--airtable', BASE_ID, '--table', 'Interviews', '--endpoint-url', airtable.url, '--timezone', 'Europe/Berlin', '--name', 'research'],
    dir,
    env,
  );
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  expect(fake.requests.slice(0, 2).map((r) => `${r.method} ${r.path}`)).toEqual([
    `GET /v0/meta/bases/${BASE_ID}/tables`,
    expect.stringMatching(`^GET /v0/${BASE_ID}/`),
  ]);
  const text = readFileSync(join(dir, 'touchpoint.config.yaml'), 'utf8');
  expect(text).toMatch(/Remote \(Zoom\): video # guess from the words \(2 rows\): check/);
  expect(text).toContain('"Account" (multipleRecordLinks): a link to another table holds record ids');
  expect(parse(text).sources[0].mapping.account).toBe('Account name');

  const hand = fresh();
  writeFileSync(
    join(hand, 'touchpoint.config.yaml'),
    handConfig(
      dir,
      `  - name: research
    kind: airtable
    baseId: ${BASE_ID}
    table: Interviews
    endpointUrl: ${airtable.url}
    requestsPerSecond: 5
    mapping:
      title: Name
      startsAt: Date
      durationMinutes: Duration
      interviewers: Interviewer
      attendees: Attendees
      account: Account name
      segment: Segment
      customerStatus: Customer status
      tier: Tier
      callType: Type
      location: { column: Location, values: { Remote (Zoom): video, Remote (Google Meet): video, Our office: other } }
      study: Study
      tldr: TL;DR
      notesUrl: Notes URL
      debriefed: Debriefed
      followUpDue: Follow-ups due
      followUpDone: Follow-ups done
      tags: Tags
`,
    ),
  );
  expect(await syncedMetrics(dir, env)).toEqual(await handMetrics(hand, { airtableToken: AIRTABLE_TOKEN }));
  expect(airtable.unhandled).toEqual([]);
});

test('init --yes on a Notion CSV export: names without e-mail get a placeholder that says so, and the metrics equal a hand mapping', async () => {
  const dir = fresh();
  copyFileSync(new URL('../fixtures/csv/notion-export.csv', import.meta.url), join(dir, 'notion-export.csv'));
  const init = await runCli(['init', '--yes', '--csv', 'notion-export.csv', '--timezone', 'Europe/Berlin'], dir);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  const text = readFileSync(join(dir, 'touchpoint.config.yaml'), 'utf8');
  expect(text).toContain('{ name: Pat Lee, email: pat.lee@example.invalid, role: pm } # led 1 row; no e-mail in the source');
  const written = parse(text);
  expect(written.sources[0]).toMatchObject({ name: 'notion-export', kind: 'csv', path: 'notion-export.csv' });

  const hand = fresh();
  copyFileSync(join(dir, 'notion-export.csv'), join(hand, 'notion-export.csv'));
  const mapping = readFileSync(new URL('../fixtures/csv/mapping.yaml', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('url:'))
    .map((line) => `      ${line}`)
    .join('\n');
  writeFileSync(
    join(hand, 'touchpoint.config.yaml'),
    handConfig(dir, `  - name: notion-export\n    kind: csv\n    path: notion-export.csv\n    mapping:\n${mapping}\n`),
  );
  expect(await syncedMetrics(dir, {})).toEqual(await handMetrics(hand));
});

test('init never overwrites a config without --force, and says what to read when told nothing', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'touchpoint.config.yaml'), 'organisation: Mine\n');
  copyFileSync(new URL('../fixtures/csv/notion-export.csv', import.meta.url), join(dir, 'x.csv'));
  const refused = await runCli(['init', '--yes', '--csv', 'x.csv'], dir);
  expect(refused.code).toBe(1);
  expect(refused.stderr.trim()).toBe(
    'touchpoint: touchpoint.config.yaml exists already; init never overwrites a config. Add --force to replace it, or write elsewhere with --config other.yaml.',
  );
  expect(readFileSync(join(dir, 'touchpoint.config.yaml'), 'utf8')).toBe('organisation: Mine\n');

  const other = await runCli(['init', '--yes', '--csv', 'x.csv', '--config', 'team/tp.yaml'], dir);
  expect(other.code).toBe(0);
  expect(other.stdout).toContain('Next: npx touchpoint sync --config team/tp.yaml');
  expect(parse(readFileSync(join(dir, 'team', 'tp.yaml'), 'utf8')).sources[0].path).toBe('../x.csv');

  const nothing = await runCli(['init', '--yes'], dir);
  expect(nothing.code).toBe(1);
  expect(nothing.stderr).toContain('Say what to read: --notion <database URL or id>, --airtable <base id> --table <table name or id>, or --csv <file>.');
  expect(existsSync(join(dir, 'tp.yaml'))).toBe(false);
});
