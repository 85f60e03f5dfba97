import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test, type TestContext } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { AIRTABLE_TOKEN, BASE_ID, FakeAirtable } from '../fakes/airtable.js';
import { FakeNotion, IDS, TOKEN } from '../fakes/notion.js';
import { serveOnLoopback, type ServedFake } from '../fakes/serve.js';
import { startFaultProxy, type FaultKind, type FaultProxy } from '../fakes/fault-proxy.js';
import { Store } from '../../src/store/store.js';

/**
 * The real `touchpoint sync` against the loopback fakes, with a fault proxy in between: every
 * case ends within the run's deadline with one line that says what happened, and the store is
 * either unchanged or equal to a clean run.
 */
/** Close these when this test ends (tests here run concurrently, each with its own servers). */
function closeAfter(context: TestContext, ...servers: Array<{ close(): Promise<void> }>): void {
  context.onTestFinished(async () => {
    for (const s of servers) await s.close();
  });
}

const ROSTER = `roster:
  - { name: Maya Chen, email: maya.chen@example.com, role: pm }
  - { name: Priya Raman, email: priya.raman@northwind-labs.com, role: pm }
`;
// Short limits so each fault resolves in about a second: half a second per attempt, one retry after a tenth.
// The pacing is each API's fastest (pacing has its own tests): what is tested here is the fault.
const LIMITS = '    timeoutSeconds: 0.5\n    maxRetries: 1\n    retryBaseSeconds: 0.1\n    runTimeoutMinutes: 1\n';
const PACE = { airtable: '    requestsPerSecond: 5\n', notion: '    requestsPerSecond: 10\n' };

type Kind = 'airtable' | 'notion';
const ENV = { AIRTABLE_TOKEN, NOTION_TOKEN: TOKEN };

function project(kind: Kind, url: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tp-faults-${kind}-`));
  const source =
    kind === 'airtable'
      ? `  - name: research\n    kind: airtable\n    baseId: ${BASE_ID}\n    table: Interviews\n    endpointUrl: ${url}\n${LIMITS}${PACE.airtable}    mapping: { title: Name, startsAt: Date, durationMinutes: Duration, interviewers: Interviewer }\n`
      : `  - name: interviews\n    kind: notion\n    database: ${IDS.database_url}\n    apiBaseUrl: ${url}\n${LIMITS}${PACE.notion}    mapping: { title: Name, startsAt: Date, interviewers: Interviewer }\n`;
  writeFileSync(join(dir, 'touchpoint.config.yaml'), `timezone: Europe/Berlin\n${ROSTER}store: { path: ./tp.db }\nsources:\n${source}`);
  return dir;
}

function snapshot(kind: Kind, dir: string) {
  const store = Store.open(join(dir, 'tp.db'));
  try {
    return { rows: store.interviews(), state: store.syncState(kind === 'airtable' ? 'research' : 'interviews') };
  } finally {
    store.close();
  }
}

const fake = (kind: Kind) => serveOnLoopback(kind === 'airtable' ? new FakeAirtable().handlers('') : notionFake().handlers(''));

/** One clean sync per API, straight to its fake: every case starts from a copy of that store. */
const clean: Partial<Record<Kind, string>> = {};
beforeAll(async () => {
  await Promise.all(
    (['airtable', 'notion'] as const).map(async (kind) => {
      const served = await fake(kind);
      const dir = project(kind, served.url);
      const result = await runCli(['sync'], dir, ENV);
      await served.close();
      if (result.code !== 0) throw new Error(`the clean ${kind} sync failed: ${result.stderr}`);
      clean[kind] = dir;
    }),
  );
});

/** A project behind a fault proxy; `synced` starts it from the clean store. */
async function setup(context: TestContext, kind: Kind, options: { synced: boolean }) {
  const served: ServedFake = await fake(kind);
  const proxy: FaultProxy = await startFaultProxy(served.url);
  closeAfter(context, proxy, served);
  const dir = project(kind, proxy.url);
  if (options.synced) copyFileSync(join(clean[kind]!, 'tp.db'), join(dir, 'tp.db'));
  return { proxy, dir, snapshot: () => snapshot(kind, dir), sync: (args: string[] = []) => runCli(['sync', ...args], dir, ENV) };
}

function notionFake(): FakeNotion {
  const fake = new FakeNotion();
  fake.addPage('521b55ad-a989-80e5-9645-f8997a98714f', 'Pricing study');
  return fake;
}

const rows = (kind: 'airtable' | 'notion') =>
  kind === 'airtable' ? (_m: string, p: string) => !p.includes('/meta/') : (m: string, p: string) => m === 'POST' && p.endsWith('/query');

describe.concurrent.each(['airtable', 'notion'] as const)('%s behind a fault proxy', (kind) => {
  test.for<[FaultKind, RegExp]>([
    ['stall', /could not read the rows from (Airtable|Notion): .*no complete answer within 0\.5 s \(after 2 attempts\)/],
    ['truncate', /answered something that is not JSON/],
    ['not-json', /answered something that is not JSON/],
    ['html-502', /answered something that is not JSON.*HTTP 502, text\/html, starting "<html><body><h1>502 Bad Gateway/],
    ['reset', /could not read the rows from (Airtable|Notion): .*(ECONNRESET|socket|other side closed)/i],
  ])('a %s on every row request: one line, exit 1, the store unchanged', async ([fault, line], context) => {
    const { proxy, sync, snapshot } = await setup(context, kind, { synced: true });
    const before = snapshot();
    expect(before.rows.length).toBeGreaterThan(0);
    proxy.faults.push({ match: rows(kind), kind: fault, times: 100 });
    const started = Date.now();
    const result = await sync(['--full']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    const said = result.stderr.trim().split('\n');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(line);
    expect(result.stderr).not.toMatch(/\n\s+at |TypeError|SyntaxError|Unexpected token/);
    expect(snapshot()).toEqual(before);
  });

  test('one stall, then a good answer: the run equals a clean one', async (context) => {
    const { proxy, sync, snapshot: after } = await setup(context, kind, { synced: false });
    proxy.faults.push({ match: rows(kind), kind: 'stall', times: 1 });
    const result = await sync(['--verbose']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/retry \(no complete answer within 0\.5 s\)/);
    expect(after().rows).toEqual(snapshot(kind, clean[kind]!).rows);
  });
});

test('values with terminal escape sequences are printed without them', async (context) => {
  const fake = new FakeAirtable();
  const record = fake.records[2]!;
  (record['fields'] as Record<string, unknown>)['Interviewer'] = {
    id: 'usrX',
    email: 'x@evil.example',
    name: 'Mallory \u001b]0;pwned\u0007\u001b[2J\u009b31m',
  };
  const served = await serveOnLoopback(fake.handlers(''));
  closeAfter(context, served);
  const dir = mkdtempSync(join(tmpdir(), 'tp-escape-'));
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `${ROSTER}store: { path: ':memory:' }\nsources:\n  - name: research\n    kind: airtable\n    baseId: ${BASE_ID}\n    table: Interviews\n    endpointUrl: ${served.url}\n    mapping: { title: Name, startsAt: Date, interviewers: Interviewer }\n`,
  );
  const result = await runCli(['sync'], dir, { AIRTABLE_TOKEN });
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Mallory ]0;pwned[2J31m');
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  expect(result.stdout + result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
});
