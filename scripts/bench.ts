/**
 * `npm run bench`: the figures BENCHMARKS.md records. Measured, never asserted.
 *  - CSV sync: a full run over N rows, then an unchanged run (no API: files have no rate limit).
 *  - metrics: computeMetrics over 100 000 interviews.
 *  - dashboard: `touchpoint serve` as its own process on a store of 100 000 interviews, loaded
 *    over loopback by autocannon; latency percentiles and the server's memory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { buildDist } from './build-dist.js';
import { build } from 'esbuild';
import autocannon from 'autocannon';
import { stringify as stringifyYaml } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify/sync';
import { parseConfig } from '../src/config/load.js';
import { Store } from '../src/store/store.js';
import { syncSource, hashInterview } from '../src/sync/run.js';
import { FakeNotion, IDS, TOKEN, manyRows } from '../test/fakes/notion.js';
import { serveOnLoopback } from '../test/fakes/serve.js';
import { RateWindow } from '../test/fakes/rate-limit.js';
import { createSource } from '../src/sources/create.js';
import type { Source } from '../src/sources/source.js';
import { AIRTABLE_TOKEN, BASE_ID, FakeAirtable, manyRecords } from '../test/fakes/airtable.js';
import { benchPeers } from './bench-peers.js';
import { benchMetrics, config, day, realistic, roster } from './bench-metrics.js';

const CSV_ROWS = Number(process.env['BENCH_CSV_ROWS'] ?? 100_000);
const INTERVIEWS = Number(process.env['BENCH_INTERVIEWS'] ?? 100_000);
const require = createRequire(import.meta.url);
const CONCURRENCY = 8;
/**
 * The crowd's readers (a worker thread, CommonJS): autocannon over the pages, each response time
 * posted back. Yielding, the thread takes niceness 10 first (a niceness is per thread on Linux).
 */
const CROWD_READERS = `
const { parentPort, workerData: w } = require('node:worker_threads');
if (w.yielding && process.platform === 'linux') {
  const thread = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(thread, 10);
}
const times = [];
const instance = require(w.autocannon)({
  url: w.url,
  connections: w.connections,
  duration: w.duration,
  requests: [{ setupRequest: (request) => ({ ...request, path: w.pages[Math.floor(Math.random() * w.pages.length)] }) }],
});
instance.on('response', (_client, _status, _bytes, time) => times.push(time));
instance.then((result) => parentPort.postMessage({ times, errors: result.errors + result.non2xx + result.timeouts }));
`;
/** `BENCH_ONLY=csv,api,peers,metrics,dashboard` runs only those parts (all by default); `crowd`, the dashboard's crowd alone. */
const ONLY = process.env['BENCH_ONLY']?.split(',').map((s) => s.trim()) ?? null;
const wanted = (part: string) => ONLY === null || ONLY.includes(part);

const ms = (value: number) => `${value.toFixed(1)} ms`;

function report(name: string, figures: Record<string, string | number>) {
  console.log(
    `${name.padEnd(28)} ${Object.entries(figures)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ')}`,
  );
}

// 1. CSV sync
if (wanted('csv')) {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-'));
  const path = join(dir, 'rows.csv');
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  // Rows as a Notion export writes them: "March 4, 2026 2:30 PM", people lists, a value no map knows.
  const notionDate = (d: Date) => `${months[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
  // Built and dropped in a function: the sync below runs on a heap without them, as `touchpoint sync` does.
  const writeFile = () => {
    const rows = Array.from({ length: CSV_ROWS }, (_, i) => {
      const d = new Date(Date.UTC(2026, 10, 20) - (i % 700) * 86_400_000);
      const h = 9 + (i % 8);
      return [
        `Interview ${i} with Acme ${i % 500}`,
        `R${i}`,
        `${notionDate(d)} ${((h - 1) % 12) + 1}:${i % 2 ? '30' : '00'} ${h >= 12 ? 'PM' : 'AM'}`,
        `PM ${i % 40}`,
        i % 3 ? `PM ${(i + 1) % 40}, PM ${(i + 2) % 40}` : '',
        '45',
        ['Discovery', 'Sales call', 'Usability test', 'Roadmap review'][i % 4]!,
        ['Enterprise', 'SMB'][i % 2]!,
        ['Current', 'Churned', 'Trial'][i % 3]!,
        'onboarding, exports, pricing',
        i % 2 ? 'Short summary of the call.' : '',
        i % 5 ? 'Yes' : 'No',
        i % 4 ? notionDate(d) : '',
        'No',
      ];
    });
    const header = [
      'Name',
      'ID',
      'Date',
      'Interviewer',
      'Attendees',
      'Duration',
      'Type',
      'Segment',
      'Customer status',
      'Tags',
      'TL;DR',
      'Debriefed',
      'Follow-up due',
      'Follow-up done',
    ];
    writeFileSync(path, stringify([header, ...rows]));
  };
  writeFile();
  const csvConfig = parseConfig({
    ...config,
    sources: [
      {
        name: 'bench',
        kind: 'csv',
        path,
        mapping: {
          id: 'ID',
          title: 'Name',
          startsAt: 'Date',
          interviewers: 'Interviewer',
          attendees: 'Attendees',
          durationMinutes: 'Duration',
          callType: 'Type',
          segment: 'Segment',
          customerStatus: 'Customer status',
          tags: 'Tags',
          tldr: 'TL;DR',
          debriefed: 'Debriefed',
          followUpDue: 'Follow-up due',
          followUpDone: 'Follow-up done',
        },
      },
    ],
  });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(csvConfig));
  // The floors and the sync (compiled dist/, as `touchpoint sync` runs it), each in a fresh
  // process of scripts/bench-csv.ts, alternated; the medians are reported.
  await buildDist();
  const child = join(new URL('../dist', import.meta.url).pathname, 'bench-csv.js');
  await build({
    entryPoints: [new URL('./bench-csv.ts', import.meta.url).pathname],
    outfile: child,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  const measure = async (args: string[], flags: string[] = []) => {
    let text = '';
    const proc = spawn(process.execPath, [...flags, child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.stdout.on('data', (d: Buffer) => (text += d));
    await new Promise<void>((resolve, reject) =>
      proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench-csv ${args[0]} exited with ${code}`)))),
    );
    return JSON.parse(text) as Record<string, number>;
  };
  const store = (round: number | string) => join(dir, `bench-${round}.db`);
  if (process.env['BENCH_CSV_PROFILE']) {
    console.log('profiled', (await measure(['sync', path, join(dir, 'config.json'), store('profiled')]))['full']);
    process.exit(0);
  }
  const ROUNDS = Number(process.env['BENCH_CSV_ROUNDS'] ?? 3);
  const floors: Array<Record<string, number>> = [];
  const syncs: Array<Record<string, number>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    rmSync(join(dir, 'floor.db'), { force: true });
    floors.push(await measure(['floor', path, dir]));
    syncs.push(await measure(['sync', path, join(dir, 'config.json'), store(round)]));
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const spread = (values: number[]) => `${ms(Math.min(...values))}–${ms(Math.max(...values))}`;
  const [full, floor, parsed] = [syncs.map((r) => r['full']!), floors.map((r) => r['floorMs']!), floors.map((r) => r['parseMs']!)];
  report(`CSV sync, ${CSV_ROWS} rows`, {
    full: ms(median(full)),
    'parse+insert floor': ms(median(floor)),
    ratio: `${(median(full) / median(floor)).toFixed(1)}×`,
    rounds: `${ROUNDS} (full ${spread(full)}, floor ${spread(floor)})`,
    created: syncs[0]!['created']!,
  });
  /** A later sync's median time against one of the floors. */
  const against = (name: string, key: string, floorName: string, floorTimes: number[], counts: Record<string, number>) => {
    const times = syncs.map((r) => r[key]!);
    report(name, { time: ms(median(times)), [floorName]: ms(median(floorTimes)), ratio: `${(median(times) / median(floorTimes)).toFixed(1)}×`, ...counts });
  };
  against('CSV sync, 1 row renamed', 'one', 'parse floor', parsed, { updated: syncs[0]!['updated']! });
  against('CSV sync, 30 % removed', 'edited', 'parse+insert floor', floor, {
    deleted: syncs[0]!['deleted']!,
    'unchanged (10 % re-spaced)': syncs[0]!['respaced']!,
  });
  against('CSV sync, all unchanged', 'again', 'parse floor', parsed, { unchanged: syncs[0]!['unchanged']! });
  rmSync(dir, { recursive: true, force: true });
}

/**
 * An API source against its fake on 127.0.0.1, which answers 429 past `perSecond`: a full sync,
 * then an unchanged incremental one. `pages` counts the requests that list rows.
 */
async function benchApi(options: {
  label: string;
  rows: number;
  perSecond: number;
  fake: { requests: Array<{ path: string }>; limit: RateWindow | null; handlers(base: string): Parameters<typeof serveOnLoopback>[0] };
  isPage: (path: string) => boolean;
  source: (url: string) => Source;
  /** Full runs to repeat (each into an empty store), for a spread; the first is reported in full. */
  repeat?: number;
  suffix?: string;
}) {
  const limit = new RateWindow(options.perSecond);
  options.fake.limit = limit;
  const served = await serveOnLoopback(options.fake.handlers(''));
  let store = Store.open(':memory:');
  const run = async () => {
    options.fake.requests.length = 0;
    const limitedBefore = limit.limited;
    const started = performance.now();
    const { report: r } = await syncSource(options.source(served.url), store, { maxDeleteShare: 0.5 });
    const pages = options.fake.requests.filter((q) => options.isPage(q.path)).length;
    return { requests: r.requests, pages, other: options.fake.requests.length - pages, '429s': limit.limited - limitedBefore, ms: performance.now() - started };
  };
  const { ms: fullMs, ...full } = await run();
  const floorS = full.requests / options.perSecond;
  report(`${options.label} full sync, ${options.rows} rows${options.suffix ?? ''}`, {
    ...full,
    time: `${(fullMs / 1000).toFixed(1)} s`,
    floor: `${floorS.toFixed(1)} s at ${options.perSecond}/s`,
    ratio: `${(fullMs / 1000 / floorS).toFixed(2)}×`,
  });
  if (options.repeat && options.repeat > 1) {
    const runs = [{ ms: fullMs, '429s': full['429s'] }];
    for (let i = 1; i < options.repeat; i++) {
      store = Store.open(':memory:'); // each run a full listing into an empty store
      runs.push(await run());
    }
    report(`  ${options.repeat} full runs${options.suffix ?? ''}`, {
      times: runs.map((r) => `${(r.ms / 1000).toFixed(1)} s`).join(', '),
      '429s': runs.map((r) => r['429s']).join(', '),
      worst: `${(Math.max(...runs.map((r) => r.ms)) / 1000 / floorS).toFixed(2)}× floor`,
    });
  } else {
    const { ms: againMs, ...again } = await run();
    report(`${options.label} unchanged incremental`, { ...again, time: ms(againMs) });
  }
  await served.close();
}

/** touchpoint's source for one config entry (its name is `bench`), with the fakes' tokens. */
function benchSource(entry: Record<string, unknown>): Source {
  const c = parseConfig({ ...config, sources: [{ name: 'bench', ...entry }] });
  return createSource(c.sources[0]!, c, { secrets: { notionToken: TOKEN, airtableToken: AIRTABLE_TOKEN } });
}

/** touchpoint's Notion source on the fake at `url`. */
const notionSource = (url: string): Source =>
  benchSource({
    kind: 'notion',
    database: IDS.database_url,
    apiBaseUrl: url,
    mapping: { title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', durationMinutes: 'Duration (min)' },
  });

/** touchpoint's Airtable source on the fake at `url`. */
const airtableSource = (url: string): Source =>
  benchSource({
    kind: 'airtable',
    baseId: BASE_ID,
    table: 'Interviews',
    endpointUrl: url,
    mapping: { title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', durationMinutes: 'Duration' },
  });

// 1b. Notion and Airtable, 10 000 rows each, at their published limits (3 and 5 requests/s).
if (wanted('api') && process.env['BENCH_SKIP_API'] !== '1') {
  const notionRows = Number(process.env['BENCH_NOTION_ROWS'] ?? 10_000);
  await benchApi({
    label: 'Notion',
    rows: notionRows,
    perSecond: 3,
    fake: new FakeNotion(manyRows(notionRows)),
    isPage: (path) => path.endsWith('/query'),
    source: notionSource,
  });
  const airtableRows = Number(process.env['BENCH_AIRTABLE_ROWS'] ?? 10_000);
  await benchApi({
    label: 'Airtable',
    rows: airtableRows,
    perSecond: 5,
    fake: new FakeAirtable(manyRecords(airtableRows)),
    isPage: (path) => !path.includes('/meta/'),
    source: airtableSource,
  });
  // The same with 0–60 ms of network jitter on every request, five full runs: the pacer spaces
  // requests from when they are sent, so a late one is not followed by a catch-up.
  const jittery = new FakeAirtable(manyRecords(airtableRows));
  jittery.jitterMs = () => Math.random() * 60;
  await benchApi({
    label: 'Airtable',
    suffix: ', 0–60 ms jitter',
    rows: airtableRows,
    perSecond: 5,
    fake: jittery,
    isPage: (path) => !path.includes('/meta/'),
    source: airtableSource,
    repeat: Number(process.env['BENCH_JITTER_RUNS'] ?? 5),
  });
}

// 1c. Side by side with the script a team would write (scripts/bench-peers.ts).
if (wanted('peers') && process.env['BENCH_SKIP_API'] !== '1') {
  const sizes = (process.env['BENCH_PEER_ROWS'] ?? '1000,10000').split(',').map(Number);
  await benchPeers({ sizes, slowAirtableFrom: 10_000, notionSource, airtableSource });
}

// 2. metrics, on realistic rows (scripts/bench-metrics.ts); the million in a process of its own.
const interviews = realistic(INTERVIEWS);
for (const n of wanted('metrics') ? [10_000, INTERVIEWS] : []) {
  const { metricsMs, floorMs } = benchMetrics(n === INTERVIEWS ? interviews : realistic(n));
  report(`metrics, ${n} realistic`, {
    median: ms(metricsMs),
    'one-pass floor': ms(floorMs),
    ratio: `${(metricsMs / floorMs).toFixed(1)}×`,
    'per 1000': ms((metricsMs / n) * 1000),
  });
}
if (wanted('metrics') && process.env['BENCH_MILLION'] === '1') {
  const child = join(new URL('../dist', import.meta.url).pathname, 'bench-metrics.js');
  await build({
    entryPoints: [new URL('./bench-metrics.ts', import.meta.url).pathname],
    outfile: child,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  let text = '';
  const proc = spawn(process.execPath, ['--expose-gc', child, '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  proc.stdout.on('data', (d: Buffer) => (text += d));
  await new Promise<void>((resolve, reject) => proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench-metrics exited with ${code}`)))));
  const { metricsMs, floorMs, rowsMb, peakMb, peakWithFloorMb } = JSON.parse(text) as Record<string, number>;
  report('metrics, 1000000 realistic', {
    median: ms(metricsMs!),
    'one-pass floor': ms(floorMs!),
    ratio: `${(metricsMs! / floorMs!).toFixed(1)}×`,
    'per 1000': ms(metricsMs! / 1000),
    'RSS with the rows': `${rowsMb} MB`,
    'peak RSS computing': `${peakMb} MB`,
    'with the floor in turns': `${peakWithFloorMb} MB`,
  });
}

// 3. The dashboard: `touchpoint serve` as its own process on a store of INTERVIEWS realistic
//    interviews and their findings, loaded by autocannon from this process over loopback.
// `crowd` is the dashboard part's last load alone (issue 13's), on the same store.
if (wanted('dashboard') || wanted('crowd')) {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-'));
  const store = Store.open(join(dir, 'touchpoint.db'));
  const started = performance.now();
  // One row in nine has a finding, as a first sync of a real table does (unmapped values, missing dates).
  const findings = interviews
    .filter((_, i) => i % 9 === 0)
    .map((row, i) => ({
      code: i % 2 ? ('unmapped_value' as const) : ('missing_date' as const),
      severity: 'excluded' as const,
      source: 'bench',
      recordId: row.source.recordId,
      field: i % 2 ? 'Type' : 'Date',
      value: i % 2 ? `Type ${i % 5}` : null,
      url: row.notesUrl,
      row: null,
    }));
  store.commitRun({
    source: 'bench',
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    upserts: interviews.map((interview) => ({ interview, hash: hashInterview(interview) })),
    deletes: [],
    findings: { replace: 'all', items: findings },
    state: { bookmark: null, lastFullAt: null, memo: null },
    report: {},
  });
  report(`store, ${INTERVIEWS} interviews`, { write: ms(performance.now() - started), findings: findings.length });
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    stringifyYaml({
      timezone: 'Europe/Berlin',
      asOf: '2026-11-20',
      roster,
      store: { path: './touchpoint.db' },
      // A second source the load test syncs while readers read (section "a sync writes" below).
      sources: [{ name: 'live', kind: 'csv', path: './live.csv', mapping: { id: 'ID', title: 'Name', startsAt: 'Date', interviewers: 'Interviewer' } }],
    }),
  );
  // The dashboard as users run it: bin/touchpoint.js over a fresh dist/.
  await buildDist();
  const bin = new URL('../bin/touchpoint.js', import.meta.url).pathname;
  /** `touchpoint serve` on the store, as its own process; resolves when it listens. */
  const startServer = async () => {
    const child = spawn(process.execPath, [...(process.env['BENCH_NODE_FLAGS']?.split(' ').filter(Boolean) ?? []), bin, 'serve', '--port', '0'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const at: string = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
    return { child, url: at };
  };
  /** VmRSS and VmHWM (peak) of a process, in MB. */
  const memoryOf = (pid: number) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = (key: string) => Math.round(Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
    return { rss: `${mb('VmRSS')} MB`, peak: `${mb('VmHWM')} MB` };
  };
  /** `touchpoint serve` started, and the time from its spawn to its first page, as a reader opening it would see. */
  const firstPage = async () => {
    const started = performance.now();
    const running = await startServer();
    await (await fetch(`${running.url}/`)).text();
    return { ...running, time: performance.now() - started };
  };
  /** Stop a server and wait until it is gone. */
  const stop = (child: ReturnType<typeof spawn>) =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill();
    });
  /** `touchpoint sync` of the store's CSV source, as a team runs it; resolves with its time. */
  const syncOnce = async () => {
    const started = performance.now();
    await new Promise<void>((resolve) => spawn(process.execPath, [bin, 'sync'], { cwd: dir, stdio: 'ignore' }).on('exit', () => resolve()));
    return performance.now() - started;
  };
  // A start on a store no sync of this build wrote (here: the bench's own commit), then the
  // first `touchpoint sync` (it keeps the dashboard's first view), then the start a team sees.
  const bare = await firstPage();
  await stop(bare.child);
  // That server kept its view: gone, so the sync below is the one that keeps it.
  rmSync(join(dir, 'touchpoint.db-view.json'), { force: true });
  writeFileSync(
    join(dir, 'live.csv'),
    stringify([['Name', 'ID', 'Date', 'Interviewer'], ...Array.from({ length: 100 }, (_, i) => [`Live ${i}`, `L${i}`, day(i), `pm${i % 40}@co.example`])]),
  );
  const firstSync = await syncOnce();
  const first = await firstPage();
  let { child: server, url } = first;
  const cold = first.time;
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
  /** Latency percentiles of every response time, the rate and the failures, as each load reports them. */
  const summary = (times: number[], rate: number, errors: number, connections: number) => {
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
    return {
      p50: `${at(0.5).toFixed(1)} ms`,
      p95: `${at(0.95).toFixed(1)} ms`,
      p99: `${at(0.99).toFixed(1)} ms`,
      'req/s': Math.round(rate),
      errors,
      connections,
    };
  };
  /** Load one path, or a path drawn per request, for `seconds`; every response time kept for exact percentiles. */
  const load = async (paths: string | (() => string), connections = CONCURRENCY, duration = seconds) => {
    const times: number[] = [];
    const pick = typeof paths === 'string' ? () => paths : paths;
    // Without a callback autocannon returns its instance: an event emitter that is also a promise.
    const instance = autocannon({
      url,
      connections,
      duration,
      requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: pick() }) }],
    }) as unknown as Promise<autocannon.Result> & {
      on(event: 'response', listener: (client: unknown, status: number, bytes: number, time: number) => void): void;
    };
    instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => times.push(time));
    const result = await instance;
    return summary(times, result.requests.average, result.errors + result.non2xx + result.timeouts, connections);
  };
  const random = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const teams = ['', 'Team 0', 'Team 1', 'Team 2', 'Team 3'];
  const windows = ['30', '60', '90', '180', '365'];
  const filterBar = () => {
    const params = new URLSearchParams();
    const team = random(teams);
    if (team) params.set('team', team);
    params.set('window', random(windows));
    return `${random(['/', '/coverage', '/people'])}?${params}`;
  };
  const personPage = () => `/people/${encodeURIComponent(`pm${Math.floor(Math.random() * 40)}@co.example`)}?window=${random(windows)}`;
  report('first page, no view kept (a store no sync of this build wrote)', { time: ms(bare.time) });
  report('the first touchpoint sync (100 new rows; it keeps the first view)', { time: ms(firstSync) });
  report('first page after the first touchpoint sync', { time: ms(cold) });
  if (wanted('dashboard')) {
    report('overview, fixed', await load('/'));
    report('overview, fixed', await load('/', 64));
    report('filter bar cycled', await load(filterBar));
    report('random person pages', await load(personPage));
    report('data quality', await load('/data-quality'));
    report('findings CSV', await load('/export/findings.csv', CONCURRENCY, Math.min(seconds, 5)));
    // Readers while the data changes: a new data version every 2 s (as a sync commits), the
    // overview under load and /healthz beside it.
    const bump = Store.open(join(dir, 'touchpoint.db'));
    const bumps = setInterval(
      () => (bump as unknown as { db: { exec(sql: string): void } }).db.exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'"),
      2000,
    );
    const [busy, health] = await Promise.all([load('/'), load('/healthz', 1)]);
    clearInterval(bumps);
    bump.close();
    report('overview, data changing', busy);
    report('/healthz, data changing', health);
    report('memory of the server process', memoryOf(server.pid!));
  }
  // Gone before the next starts: a server still stopping would share the two cores with the
  // start measured next.
  await stop(server);

  // The crowd (issue 13's load test) on a server of its own, started afresh: its memory and
  // event loop are its own. Wait for the first page, as a reader would.
  const restarted = await firstPage();
  ({ child: server, url } = restarted);
  // The first server kept its default view (src/app/first-view.ts), of the last data version it saw.
  report('first page after a restart', { time: ms(restarted.time) });
  // /healthz reports the loop over a window of a minute; each crowd is measured in a window of
  // its own, so the first page's cold work (reported next) and the other crowd are not in it.
  type Health = { eventLoop: { maxDelayMs: number; sinceSeconds: number } };
  const loopNow = async () => ((await (await fetch(`${url}/healthz`)).json()) as Health).eventLoop;
  const freshWindow = async () => {
    for (let since = (await loopNow()).sinceSeconds; ;) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = (await loopNow()).sinceSeconds;
      if (now < since) return;
      since = now;
    }
  };
  report('the crowd server started', { 'event loop held up at most (first page, pages kept)': ms((await loopNow()).maxDelayMs) });

  // A crowd while a sync writes: 100 connections over the main pages for LOAD_SECONDS, and
  // `touchpoint sync` of a 20 000-row CSV in another process, again and again, each run changing
  // every row (a new data version each time); /healthz from a third process beside it.
  const liveCsv = (round: number) =>
    writeFileSync(
      join(dir, 'live.csv'),
      stringify([
        ['Name', 'ID', 'Date', 'Interviewer'],
        ...Array.from({ length: 20_000 }, (_, i) => [`Live ${i} round ${round}`, `L${i}`, day(i), `pm${i % 40}@co.example`]),
      ]),
    );
  const pages = ['/', '/people', '/coverage', '/studies', '/follow-ups', '/accounts', '/themes', '/data-quality'];
  const loadSeconds = Number(process.env['BENCH_LOAD_SECONDS'] ?? 30);
  let round = 0;
  /**
   * One crowd. The readers run in a thread of this process; `yielding` lowers that thread's
   * priority (Linux niceness 10), as readers on machines of their own take none of the server's
   * CPU. On this 2-core machine a load generator at the server's priority takes a core, and
   * the server's threads, the sync and the prober share the other: what is then measured is the
   * scheduler's share as much as the server (BENCHMARKS.md, "The crowd").
   */
  const crowdRun = async (yielding: boolean) => {
    await freshWindow();
    let syncing = true;
    let syncs = 0;
    const syncLoop = (async () => {
      while (syncing) {
        liveCsv(round++);
        await new Promise<void>((resolve) => spawn(process.execPath, [bin, 'sync'], { cwd: dir, stdio: 'ignore' }).on('exit', () => resolve()));
        syncs += 1;
      }
    })();
    // /healthz from a process of its own every 50 ms: the time each answer took, and the longest
    // the server's event loop was held up, as /healthz reports it.
    const prober = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const until = Date.now() + ${loadSeconds * 1000}; const times = []; let held = 0; let own = null; let turn = null;
         while (Date.now() < until) {
           const t = performance.now();
           const body = await (await fetch('${url}/healthz')).json();
           times.push(performance.now() - t);
           held = Math.max(held, body.eventLoop.maxDelayMs);
           if (body.eventLoop.worstTurn && body.eventLoop.worstTurn.lateMs > (turn?.lateMs ?? 0)) turn = body.eventLoop.worstTurn;
           if (body.eventLoop.ownWorkMaxMs !== null) own = Math.max(own ?? 0, body.eventLoop.ownWorkMaxMs);
           await new Promise((r) => setTimeout(r, 50));
         }
         console.log(JSON.stringify({ times, held, own, turn }));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    type Turn = { lateMs: number; ranMs: number; waitedForCpuMs: number };
    const probed: Promise<{ times: number[]; held: number; own: number | null; turn: Turn | null }> = new Promise((resolve) => {
      let out = '';
      prober.stdout!.on('data', (chunk) => (out += chunk));
      prober.on('exit', () => resolve(JSON.parse(out)));
    });
    const readers = new Worker(CROWD_READERS, {
      eval: true,
      workerData: { autocannon: require.resolve('autocannon'), url, pages, connections: 100, duration: loadSeconds, yielding },
    });
    const crowd: { times: number[]; errors: number } = await new Promise((resolve, reject) => {
      readers.once('message', resolve);
      readers.once('error', reject);
    });
    const probe = await probed;
    syncing = false;
    await syncLoop;
    const who = yielding ? 'readers yielding the CPU' : "readers at the server's priority";
    report(`100 connections × ${loadSeconds} s, syncs writing, ${who}`, {
      ...summary(crowd.times, crowd.times.length / loadSeconds, crowd.errors, 100),
      syncs,
    });
    const healthTimes = probe.times.sort((a, b) => a - b);
    report(`/healthz meanwhile, every 50 ms, ${who}`, {
      p50: ms(healthTimes[Math.floor(healthTimes.length / 2)] ?? 0),
      p99: ms(healthTimes[Math.floor(healthTimes.length * 0.99)] ?? 0),
      worst: ms(healthTimes[healthTimes.length - 1] ?? 0),
      checks: healthTimes.length,
      'event loop held up at most': ms(probe.held),
      // The most delayed turn, split by the kernel's counters of the server's thread (Linux), and
      // the most the server's own work took of any late turn.
      ...(probe.own !== null && { "the server's own work at most": ms(probe.own) }),
      ...(probe.turn && {
        'its most delayed turn': ms(probe.turn.lateMs),
        'of which the server ran': ms(probe.turn.ranMs),
        'and waited for a CPU': ms(probe.turn.waitedForCpuMs),
      }),
    });
  };
  await crowdRun(true);
  await crowdRun(false);
  report('memory of the crowd server', memoryOf(server.pid!));
  await new Promise((resolve) => {
    server.once('exit', resolve);
    server.kill();
  });
  // A store of 100 000 interviews is 120 MB: each run's goes with it.
  rmSync(dir, { recursive: true, force: true });
}
