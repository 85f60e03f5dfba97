/**
 * `npm run bench`: the figures BENCHMARKS.md records. Measured, never asserted.
 *  - CSV sync: a full run over N rows, then an unchanged run (no API: files have no rate limit).
 *  - metrics: computeMetrics over 100 000 interviews.
 *  - dashboard: `touchpoint serve` as its own process on a store of 100 000 interviews, loaded
 *    over loopback by autocannon; latency percentiles and the server's memory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { buildDist } from './build-dist.js';
import autocannon from 'autocannon';
import { stringify as stringifyYaml } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify/sync';
import { parseConfig } from '../src/config/load.js';
import { Store } from '../src/store/store.js';
import { syncSource, hashInterview } from '../src/sync/run.js';
import { CsvSource } from '../src/sources/csv/read.js';
import { computeMetrics } from '../src/metrics/index.js';
import type { Interview } from '../src/model/interview.js';
import { interview, person } from '../test/helpers/interviews.js';
import { FakeNotion, IDS, TOKEN, manyRows } from '../test/fakes/notion.js';
import { serveOnLoopback } from '../test/fakes/serve.js';
import { RateWindow } from '../test/fakes/rate-limit.js';
import { createSource } from '../src/sources/create.js';
import type { Source } from '../src/sources/source.js';
import { AIRTABLE_TOKEN, BASE_ID, FakeAirtable, manyRecords } from '../test/fakes/airtable.js';

const CSV_ROWS = Number(process.env['BENCH_CSV_ROWS'] ?? 10_000);
const INTERVIEWS = Number(process.env['BENCH_INTERVIEWS'] ?? 100_000);
const CONCURRENCY = 8;

const roster = Array.from({ length: 40 }, (_, i) => ({ name: `PM ${i}`, email: `pm${i}@co.example`, role: i < 30 ? 'pm' : 'design', team: `Team ${i % 4}` }));
const config = parseConfig({ timezone: 'Europe/Berlin', asOf: '2026-11-20', roster });
const ms = (value: number) => `${value.toFixed(1)} ms`;
const day = (i: number) => new Date(Date.UTC(2026, 10, 20) - (i % 365) * 86_400_000 + (i % 9) * 3_600_000).toISOString();

function report(name: string, figures: Record<string, string | number>) {
  console.log(
    `${name.padEnd(28)} ${Object.entries(figures)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ')}`,
  );
}

// 1. CSV sync
{
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-'));
  const path = join(dir, 'rows.csv');
  const rows = Array.from({ length: CSV_ROWS }, (_, i) => [
    `Interview ${i}`,
    `R${i}`,
    day(i),
    `PM ${i % 40}`,
    '60',
    i % 7 === 0 ? 'Sales call' : 'Discovery',
    'onboarding, exports',
  ]);
  writeFileSync(path, stringify([['Name', 'ID', 'Date', 'Interviewer', 'Duration', 'Type', 'Tags'], ...rows]));
  const csvConfig = parseConfig({
    ...config,
    sources: [
      {
        name: 'bench',
        kind: 'csv',
        path,
        mapping: { id: 'ID', title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', durationMinutes: 'Duration', callType: 'Type', tags: 'Tags' },
      },
    ],
  });
  const source = csvConfig.sources[0]!;
  if (source.kind !== 'csv') throw new Error('unreachable');
  const store = Store.open(join(dir, 'bench.db'));
  const run = async () => {
    const started = performance.now();
    const { report: r } = await syncSource(new CsvSource(source, csvConfig.roster, csvConfig.timezone), store, { maxDeleteShare: 0.5 });
    return { ...r, ms: performance.now() - started };
  };
  const full = await run();
  const again = await run();
  report(`CSV sync, ${CSV_ROWS} rows`, { full: ms(full.ms), created: full.created, unchanged_run: ms(again.ms), unchanged: again.unchanged, requests: 0 });
  store.close();
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
}) {
  const limit = new RateWindow(options.perSecond);
  options.fake.limit = limit;
  const served = await serveOnLoopback(options.fake.handlers(''));
  const store = Store.open(':memory:');
  const run = async () => {
    options.fake.requests.length = 0;
    const limitedBefore = limit.limited;
    const started = performance.now();
    const { report: r } = await syncSource(options.source(served.url), store, { maxDeleteShare: 0.5 });
    const pages = options.fake.requests.filter((q) => options.isPage(q.path)).length;
    return { requests: r.requests, pages, other: options.fake.requests.length - pages, '429s': limit.limited - limitedBefore, ms: performance.now() - started };
  };
  const { ms: fullMs, ...full } = await run();
  report(`${options.label} full sync, ${options.rows} rows`, {
    ...full,
    time: `${(fullMs / 1000).toFixed(1)} s`,
    floor: `${(full.requests / options.perSecond).toFixed(1)} s at ${options.perSecond}/s`,
  });
  const { ms: againMs, ...again } = await run();
  report(`${options.label} unchanged incremental`, { ...again, time: ms(againMs) });
  await served.close();
}

// 1b. Notion and Airtable, 10 000 rows each, at their published limits (3 and 5 requests/s).
if (process.env['BENCH_SKIP_API'] !== '1') {
  const notionRows = Number(process.env['BENCH_NOTION_ROWS'] ?? 10_000);
  await benchApi({
    label: 'Notion',
    rows: notionRows,
    perSecond: 3,
    fake: new FakeNotion(manyRows(notionRows)),
    isPage: (path) => path.endsWith('/query'),
    source: (url) => {
      const c = parseConfig({
        ...config,
        sources: [
          {
            name: 'bench',
            kind: 'notion',
            database: IDS.database_url,
            apiBaseUrl: url,
            mapping: { title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', durationMinutes: 'Duration (min)' },
          },
        ],
      });
      return createSource(c.sources[0]!, c, { secrets: { notionToken: TOKEN, airtableToken: null } });
    },
  });
  const airtableRows = Number(process.env['BENCH_AIRTABLE_ROWS'] ?? 10_000);
  await benchApi({
    label: 'Airtable',
    rows: airtableRows,
    perSecond: 5,
    fake: new FakeAirtable(manyRecords(airtableRows)),
    isPage: (path) => !path.includes('/meta/'),
    source: (url) => {
      const c = parseConfig({
        ...config,
        sources: [
          {
            name: 'bench',
            kind: 'airtable',
            baseId: BASE_ID,
            table: 'Interviews',
            endpointUrl: url,
            mapping: { title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', durationMinutes: 'Duration' },
          },
        ],
      });
      return createSource(c.sources[0]!, c, { secrets: { notionToken: null, airtableToken: AIRTABLE_TOKEN } });
    },
  });
}

// 2. metrics
const interviews: Interview[] = Array.from({ length: INTERVIEWS }, (_, i) =>
  interview({
    id: `bench:${i}`,
    startsAt: i % 5 === 0 ? day(i).slice(0, 10) : day(i),
    durationMinutes: i % 8 === 0 ? null : 60,
    interviewers: [person(`pm${i % 40}@co.example`)],
    attendees: i % 3 === 0 ? [person(`pm${(i + 1) % 40}@co.example`)] : [],
    account: `Account ${i % 500}`,
    segment: ['Enterprise', 'Mid-market', 'SMB'][i % 3]!,
    customerStatus: i % 10 === 0 ? 'former' : 'current',
    callType: i % 7 === 0 ? 'sales' : 'learning',
    tags: ['onboarding'],
  }),
);
{
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    computeMetrics({ interviews, roster: config.roster, targets: config.targets, timezone: config.timezone, asOf: '2026-11-20' });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  report(`metrics, ${INTERVIEWS} interviews`, { median: ms(times[2]!), best: ms(times[0]!) });
}

// 3. overview page: `touchpoint serve` as its own process on a store of INTERVIEWS interviews,
//    loaded by autocannon from this process over loopback.
{
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-'));
  const store = Store.open(join(dir, 'touchpoint.db'));
  const started = performance.now();
  store.commitRun({
    source: 'bench',
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    upserts: interviews.map((interview) => ({ interview, hash: hashInterview(interview) })),
    deletes: [],
    findings: { replace: 'all', items: [] },
    state: { bookmark: null, lastFullAt: null, memo: null },
    report: {},
  });
  store.close();
  report(`store, ${INTERVIEWS} interviews`, { write: ms(performance.now() - started) });
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    stringifyYaml({ timezone: 'Europe/Berlin', asOf: '2026-11-20', roster, store: { path: './touchpoint.db' } }),
  );
  // The dashboard as users run it: bin/touchpoint.js over a fresh dist/.
  await buildDist();
  const bin = new URL('../bin/touchpoint.js', import.meta.url).pathname;
  const server = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const url: string = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  const coldStart = performance.now();
  await (await fetch(`${url}/`)).text();
  const cold = performance.now() - coldStart;
  const load = async (path: string) => {
    const times: number[] = [];
    // Without a callback autocannon returns its instance: an event emitter that is also a promise.
    const instance = autocannon({
      url: `${url}${path}`,
      connections: CONCURRENCY,
      duration: Number(process.env['BENCH_SECONDS'] ?? 10),
    }) as unknown as Promise<autocannon.Result> & {
      on(event: 'response', listener: (client: unknown, status: number, bytes: number, time: number) => void): void;
    };
    // Every response time, for exact percentiles (autocannon's summary has p90 and p97.5, not p95).
    instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => times.push(time));
    const result = await instance;
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
    return {
      p50: at(0.5).toFixed(1),
      p95: at(0.95).toFixed(1),
      p99: at(0.99).toFixed(1),
      rps: result.requests.average,
      errors: result.errors + result.non2xx,
      count: times.length,
    };
  };
  const overview = await load('/');
  const coverage = await load('/coverage');
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  report(`overview, ${INTERVIEWS} in store`, {
    first: ms(cold),
    p50: `${overview.p50} ms`,
    p95: `${overview.p95} ms`,
    p99: `${overview.p99} ms`,
    'req/s': Math.round(overview.rps),
    requests: overview.count,
    errors: overview.errors,
    connections: CONCURRENCY,
  });
  report('coverage page, same load', {
    p50: `${coverage.p50} ms`,
    p95: `${coverage.p95} ms`,
    'req/s': Math.round(coverage.rps),
    requests: coverage.count,
    errors: coverage.errors,
  });
  report('memory of the server process', { rss: `${Math.round(kb('VmRSS') / 1024)} MB`, peak: `${Math.round(kb('VmHWM') / 1024)} MB` });
  server.kill();
}
