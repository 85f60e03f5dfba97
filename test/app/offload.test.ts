import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { Store } from '../../src/store/store.js';
import { Workspace } from '../../src/app/workspace.js';
import type { Finding } from '../../src/model/finding.js';
import { interview, person } from '../helpers/interviews.js';
import { seed } from '../helpers/workspace.js';
import request from 'supertest';
import { createApp } from '../../src/web/app.js';
import { digestContent } from '../../src/app/digests.js';

// The worker runs compiled code: the dist/ that test/setup/global.ts builds, as `serve` runs it.
type DistWorkspace = Workspace & { offload(): boolean; close(): Promise<void> };
const dist = (await import(new URL('../../dist/app/workspace.js', import.meta.url).href)) as {
  Workspace: new (...args: ConstructorParameters<typeof Workspace>) => DistWorkspace;
};

const roster = [
  { name: 'Ana Ruiz', email: 'ana@acme.example', role: 'pm', team: 'Growth' },
  { name: 'Ben Carter', email: 'ben@acme.example', role: 'pm', team: 'Platform' },
];
const config = parseConfig({ timezone: 'Europe/Berlin', asOf: '2026-11-20', roster });
const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    interview({
      id: `notes:${from + i}`,
      startsAt: new Date(Date.UTC(2026, 10, 19) - ((from + i) % 200) * 86_400_000).toISOString(),
      interviewers: [person(i % 2 ? 'ana@acme.example' : 'ben@acme.example')],
      account: `Account ${i % 40}`,
      segment: ['SMB', 'Enterprise'][i % 2]!,
      tags: ['onboarding'],
      followUps: i % 5 === 0 ? { due: '2026-11-01', done: false } : { due: null, done: null },
    }),
  );
const finding: Finding = { code: 'missing_date', severity: 'excluded', source: 'notes', recordId: 'r1', field: 'Date', value: null, url: null, row: null };

const open: DistWorkspace[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
});

function offloaded(): { workspace: DistWorkspace; store: Store; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-offload-')), 'touchpoint.db');
  const store = Store.open(path);
  seed(store, rows(3000), [finding]);
  const workspace = new dist.Workspace(config, Store.open(path) as never, { demo: false });
  open.push(workspace);
  expect(workspace.offload()).toBe(true);
  return { workspace, store, path };
}

test('offloaded, the worker computes the same metrics as inline, findings included', async () => {
  const { workspace, path } = offloaded();
  await workspace.prepare({ team: 'Growth', windowDays: 30 });
  const inline = new Workspace(config, Store.open(path));
  expect(JSON.parse(JSON.stringify(workspace.metrics({ team: 'Growth', windowDays: 30 })))).toEqual(
    JSON.parse(JSON.stringify(inline.metrics({ team: 'Growth', windowDays: 30 }))),
  );
  expect(workspace.metrics({ team: 'Growth', windowDays: 30 }).findings.items).toEqual([finding]);
  // Open promises do not depend on the window: one list, sent once, shared by every window of a team.
  await workspace.prepare({ team: 'Growth', windowDays: 90 });
  const promises = workspace.metrics({ team: 'Growth', windowDays: 30 }).followUps.items;
  expect(promises.length).toBeGreaterThan(100);
  expect(workspace.metrics({ team: 'Growth', windowDays: 90 }).followUps.items).toBe(promises);
  expect(JSON.parse(JSON.stringify(workspace.metrics({ team: 'Growth', windowDays: 90 }).followUps))).toEqual(
    JSON.parse(JSON.stringify(inline.metrics({ team: 'Growth', windowDays: 90 }).followUps)),
  );
  await workspace.prepare({}, { kind: 'recent', key: 'ana@acme.example' });
  expect(workspace.recentConversations('ana@acme.example')).toEqual(inline.recentConversations('ana@acme.example'));
});

test('a cold view is computed while the event loop turns; after a sync the previous version serves until the new one is ready', async () => {
  const { workspace, store } = offloaded();
  let turned = false;
  setTimeout(() => (turned = true), 0);
  const ready = workspace.prepare();
  expect(turned).toBe(false);
  await ready;
  // The worker answered after the loop had turned: nothing was computed on it.
  expect(turned).toBe(true);
  expect(workspace.metrics().coverage.conversations).toBeGreaterThan(0);
  const before = workspace.metrics().studies.length + workspace.metrics().coverage.conversations;

  seed(store, rows(3000, 3000));
  // Stale: the old document answers at once, and the new one is computed behind it.
  await workspace.prepare();
  expect(workspace.metrics().studies.length + workspace.metrics().coverage.conversations).toBe(before);
  await vi.waitFor(() => expect(workspace.metrics().coverage.conversations).toBeGreaterThan(before), { timeout: 10_000 });
});

test('after a sync a page rendered before answers at once, and its new rendering is made on a later turn', async () => {
  const { workspace, store } = offloaded();
  const app = createApp({ workspace: workspace as unknown as Workspace, token: null, log: () => undefined });
  // The coverage page's counts, as its links carry them.
  const counts = (html: string) => [...html.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1])).join(',');
  const first = (await request(app).get('/coverage').expect(200)).text;
  const before = workspace.metrics().coverage.conversations;
  seed(store, rows(3000, 3000));
  // The reader after the sync gets the stale document's page, and the new document is computed.
  expect((await request(app).get('/coverage').expect(200)).text).toBe(first);
  await vi.waitFor(() => expect(workspace.metrics().coverage.conversations).toBeGreaterThan(before), { timeout: 10_000 });
  // The new document is ready, its page not rendered yet: the latest rendering answers.
  const answered = (await request(app).get('/coverage').expect(200)).text;
  expect(answered).toBe(first);
  // Rendered behind it, on a later turn of the loop; the next reader gets it.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const fresh = (await request(app).get('/coverage').expect(200)).text;
  expect(counts(fresh)).not.toBe(counts(first));
  expect(fresh).toContain(`data-count="${workspace.metrics().coverage.conversations}"`);
});

test('a digest under serve reads its rows in the worker: the same content, and no row read on the event loop', async () => {
  const { workspace, path } = offloaded();
  const digests = (await import(new URL('../../dist/app/digests.js', import.meta.url).href)) as typeof import('../../src/app/digests.js');
  const readRows = vi.spyOn(workspace.store, 'interviews');
  const inline = new Workspace(config, Store.open(path));
  for (const kind of [{ kind: 'exec' }, { kind: 'team', team: 'Growth' }] as const) {
    await digests.prepareDigest(workspace as unknown as Workspace, kind, { fresh: true });
    const content = digests.digestContent(workspace as unknown as Workspace, kind, { broadcast: true });
    expect(JSON.parse(JSON.stringify(content))).toEqual(JSON.parse(JSON.stringify(digestContent(inline, kind, { broadcast: true }))));
  }
  expect(readRows).not.toHaveBeenCalled();
});

test('a damaged store in the worker rejects with the store error, and the next request tries again', async () => {
  const { workspace, store } = offloaded();
  (store as unknown as { db: { exec(sql: string): void } }).db.exec('DROP TABLE interviews');
  await expect(workspace.prepare()).rejects.toMatchObject({ code: 'store_damaged' });
  await expect(workspace.prepare()).rejects.toMatchObject({ code: 'store_damaged' });
});

test("serve's scheduled sync runs in a thread of its own: the event loop keeps turning while a large CSV is mapped", async () => {
  const { scheduledJobs } = (await import(new URL('../../dist/app/schedules.js', import.meta.url).href)) as typeof import('../../src/app/schedules.js');
  const dir = mkdtempSync(join(tmpdir(), 'tp-sync-thread-'));
  const lines = Array.from({ length: 8000 }, (_, i) => `Call ${i},R${i},2026-0${(i % 9) + 1}-1${i % 10},Ana Ruiz,Acme ${i % 50},SMB`);
  writeFileSync(join(dir, 'rows.csv'), `Name,ID,Date,Interviewer,Account,Segment\n${lines.join('\n')}\n`);
  const withCsv = parseConfig({
    timezone: 'Europe/Berlin',
    asOf: '2026-11-20',
    roster,
    sync: { schedule: '0 * * * *' },
    sources: [
      {
        name: 'notes',
        kind: 'csv',
        path: join(dir, 'rows.csv'),
        mapping: { id: 'ID', title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', account: 'Account', segment: 'Segment' },
      },
    ],
  });
  const path = join(dir, 'touchpoint.db');
  Store.open(path).close();
  const workspace = new dist.Workspace(withCsv, Store.open(path) as never, { demo: false });
  open.push(workspace);
  expect(workspace.offload()).toBe(true);
  const logged: string[] = [];
  const job = scheduledJobs(
    workspace as never,
    { notionToken: null, airtableToken: null, smtpUrl: null, dashboardToken: null, slackWebhooks: {} },
    {
      channels: () => [],
      log: (line: string) => logged.push(line),
    },
  ).find((j) => j.name === 'sync')!;
  // The longest the loop went without turning, while the job ran.
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    longest = Math.max(longest, performance.now() - last);
    last = performance.now();
  }, 5);
  const started = performance.now();
  await job.run('2026-11-20T10:00:00.000Z');
  // A block that ran up to the end shows here, not in a tick.
  longest = Math.max(longest, performance.now() - last);
  const took = performance.now() - started;
  clearInterval(tick);
  expect(logged).toEqual(['sync notes: 8000 read, 8000 new, 0 updated, 0 deleted']);
  expect(Store.open(path).interviews()).toHaveLength(8000);
  // Mapping 8 000 rows inline blocks the loop for most of the run; in the thread it turns throughout.
  expect(longest).toBeLessThan(Math.max(100, took / 4));
});

test('the default view is kept for the next start: a restarted dashboard answers before its worker read a row', async () => {
  const { workspace, store, path } = offloaded();
  await workspace.prepare();
  const view = `${path}-view.json`;
  await vi.waitFor(() => expect(existsSync(view)).toBe(true), { timeout: 10_000 });
  const shown = JSON.parse(JSON.stringify(workspace.metrics()));

  /** A dashboard started again on the store, and whether it read the rows on its own thread to answer. */
  const restart = (cfg = config) => {
    const again = new dist.Workspace(cfg, Store.open(path) as never, { demo: false });
    open.push(again);
    const readRows = vi.spyOn(again.store, 'interviews');
    expect(again.offload()).toBe(true);
    return { again, readRows };
  };
  const { again, readRows } = restart();
  expect(JSON.parse(JSON.stringify(again.metrics()))).toEqual(shown);
  expect(readRows).not.toHaveBeenCalled();

  // Another config (a roster edit while it was stopped): the kept view is not used.
  const other = restart(parseConfig({ timezone: 'Europe/Berlin', asOf: '2026-11-20', roster: roster.slice(0, 1) }));
  expect(other.again.metrics().cadence.people).toHaveLength(1);
  expect(other.readRows).toHaveBeenCalled();

  // A sync while it was stopped: the kept view answers at once, as a stale one does, and the current one follows.
  seed(store, rows(3000, 3000));
  const later = restart();
  expect(later.again.metrics().coverage.conversations).toBe(shown.coverage.conversations);
  expect(later.readRows).not.toHaveBeenCalled();
  await later.again.prepare();
  await vi.waitFor(() => expect(later.again.metrics().coverage.conversations).toBeGreaterThan(shown.coverage.conversations), { timeout: 10_000 });
});

test('`touchpoint sync` keeps the first view once per build and config: even the first start of serve answers before its worker read a row', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-offload-')), 'touchpoint.db');
  seed(Store.open(path), rows(3000), [finding]);
  // The CLI's workspace (not offloaded), after its sync.
  const cli = new dist.Workspace(config, Store.open(path) as never, { demo: false });
  expect(cli.keepFirstView()).toBe(true);
  // Kept for this build and config: the next sync leaves it to serve.
  expect(cli.keepFirstView()).toBe(false);
  const served = new dist.Workspace(config, Store.open(path) as never, { demo: false });
  open.push(served);
  const readRows = vi.spyOn(served.store, 'interviews');
  expect(served.offload()).toBe(true);
  expect(JSON.parse(JSON.stringify(served.metrics()))).toEqual(JSON.parse(JSON.stringify(cli.metrics())));
  expect(readRows).not.toHaveBeenCalled();
});

test('open promises cross to the dashboard thread once per content: a sync that changed none sends none', async () => {
  const { workspace, store } = offloaded();
  const query = { team: 'Growth', windowDays: 30 };
  await workspace.prepare(query);
  const promises = workspace.metrics(query).followUps.items;
  const version = workspace.dataVersion();
  // A sync of conversations with no promise: a new data version, the same open promises.
  seed(store, [interview({ id: 'notes:quiet', interviewers: [person('ana@acme.example')], followUps: { due: null, done: null } })]);
  await workspace.prepare(query, undefined, false, true);
  expect(workspace.dataVersion()).toBeGreaterThan(version);
  expect(workspace.metrics(query).followUps.items).toBe(promises);
  // A sync with a new open promise: a new list.
  seed(store, [interview({ id: 'notes:promise', interviewers: [person('ana@acme.example')], followUps: { due: '2026-11-30', done: false } })]);
  await workspace.prepare(query, undefined, false, true);
  expect(workspace.metrics(query).followUps.items).not.toBe(promises);
  expect(workspace.metrics(query).followUps.items).toHaveLength(promises.length + 1);
});

test('while the worker reads the rows, the dashboard thread reads the findings and their counts: the first page reads neither', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-offload-')), 'touchpoint.db');
  const other: Finding = { ...finding, source: 'crm', recordId: 'c1', severity: 'warning', code: 'unmapped_value' };
  seed(Store.open(path), rows(3000), [finding, other]);
  const served = new dist.Workspace(config, Store.open(path) as never, { demo: false });
  open.push(served);
  expect(served.offload()).toBe(true);
  const readFindings = vi.spyOn(served.store, 'findings');
  served.readAhead();
  expect(readFindings).toHaveBeenCalledTimes(1);
  await served.prepare();
  await served.prepare({ windowDays: 30 });
  const inline = new Workspace(config, Store.open(path));
  for (const query of [{}, { windowDays: 30 }]) {
    const shown = served.metrics(query).findings;
    expect(shown).toEqual(inline.metrics(query).findings);
    expect(shown).toMatchObject({ total: 2, excluded: 1, byCode: { missing_date: 1, unmapped_value: 1 } });
  }
  // One count for every view of the same findings; read once.
  expect(served.metrics({ windowDays: 30 }).findings).toBe(served.metrics().findings);
  expect(readFindings).toHaveBeenCalledTimes(1);
});
