/**
 * `npm run bench` part `peers`: touchpoint's full sync beside the script a team would write with
 * the official client and its defaults, against the same fake on 127.0.0.1 in the same run:
 *  - Notion: `collectPaginatedAPI(notion.dataSources.query, …)` (@notionhq/client, its built-in
 *    retry: 2 retries honouring Retry-After); the fake allows 3 requests in any second.
 *  - Airtable: `base(table).select().all()` (airtable.js, its built-in back-off); the fake allows
 *    5 requests a second and, after a 429, refuses everything for 30 seconds, as Airtable does.
 * The floor is the pages a listing needs (one per 100 rows) at the published rate.
 */
import { performance } from 'node:perf_hooks';
import Airtable from 'airtable';
import { Client, LogLevel, collectPaginatedAPI } from '@notionhq/client';
import { Store } from '../src/store/store.js';
import { syncSource } from '../src/sync/run.js';
import type { Source } from '../src/sources/source.js';
import { FakeNotion, IDS, TOKEN, manyRows } from '../test/fakes/notion.js';
import { AIRTABLE_TOKEN, BASE_ID, FakeAirtable, manyRecords } from '../test/fakes/airtable.js';
import { serveOnLoopback } from '../test/fakes/serve.js';
import { RateWindow } from '../test/fakes/rate-limit.js';

interface Fake {
  requests: unknown[];
  limit: RateWindow | null;
  jitterMs: (() => number) | null;
  handlers(base: string): Parameters<typeof serveOnLoopback>[0];
}

interface Outcome {
  seconds: number;
  requests: number;
  '429s': number;
  rows: number | string;
}

/** One run against a fresh fake: its time, the requests the fake saw and how many it refused. */
async function against(fake: Fake, limit: RateWindow, jitter: boolean, work: (url: string) => Promise<number>): Promise<Outcome> {
  fake.limit = limit;
  fake.jitterMs = jitter ? () => Math.random() * 60 : null;
  const served = await serveOnLoopback(fake.handlers(''));
  const started = performance.now();
  let rows: number | string;
  try {
    rows = await work(served.url);
  } catch (error) {
    // A peer that gives up is a result, not a crash of the bench: say how.
    rows = `failed: ${(error as { code?: string }).code ?? (error as Error).message}`;
  }
  const seconds = (performance.now() - started) / 1000;
  await served.close();
  return { seconds, requests: fake.requests.length, '429s': limit.limited, rows };
}

function line(label: string, o: Outcome, floorS: number, beside?: Outcome) {
  const figures = [
    `${o.seconds.toFixed(1)} s`,
    `${o.requests} requests`,
    `${o['429s']} × 429`,
    `${(o.seconds / floorS).toFixed(2)}× floor`,
    ...(beside ? [`${(o.seconds / beside.seconds).toFixed(2)}× touchpoint`] : []),
    ...(typeof o.rows === 'string' ? [o.rows] : []),
  ];
  console.log(`  ${label.padEnd(44)} ${figures.join(' · ')}`);
}

export interface PeerOptions {
  /** Row counts to measure (the issue asks for 1 000 and 10 000). */
  sizes: number[];
  /** airtable.js at this many rows or more only with BENCH_SLOW_PEERS=1 (about 17 minutes a run at 10 000). */
  slowAirtableFrom: number;
  notionSource(url: string): Source;
  airtableSource(url: string): Source;
}

/** Print touchpoint and each peer, per size, without and with 0–60 ms of jitter. */
export async function benchPeers(options: PeerOptions): Promise<void> {
  const slow = process.env['BENCH_SLOW_PEERS'] === '1';
  for (const n of options.sizes) {
    for (const jitter of [false, true]) {
      const suffix = jitter ? ', 0–60 ms jitter' : '';
      const notionFloor = Math.ceil(n / 100) / 3;
      console.log(`Notion, ${n} rows${suffix} (floor ${notionFloor.toFixed(1)} s at 3/s)`);
      const tp = await against(new FakeNotion(manyRows(n)), new RateWindow(3), jitter, async (url) => {
        const { report } = await syncSource(options.notionSource(url), Store.open(':memory:'), { maxDeleteShare: 0.5 });
        return report.created;
      });
      line('touchpoint sync', tp, notionFloor);
      const sdk = await against(new FakeNotion(manyRows(n)), new RateWindow(3), jitter, async (url) => {
        const notion = new Client({ auth: TOKEN, baseUrl: url, logLevel: LogLevel.ERROR });
        return (await collectPaginatedAPI(notion.dataSources.query, { data_source_id: IDS.data_source_id })).length;
      });
      line('@notionhq/client collectPaginatedAPI', sdk, notionFloor, tp);

      const airtableFloor = Math.ceil(n / 100) / 5;
      console.log(`Airtable, ${n} records${suffix} (floor ${airtableFloor.toFixed(1)} s at 5/s; 30 s penalty after a 429)`);
      const tpA = await against(new FakeAirtable(manyRecords(n)), new RateWindow(5, 30_000), jitter, async (url) => {
        const { report } = await syncSource(options.airtableSource(url), Store.open(':memory:'), { maxDeleteShare: 0.5 });
        return report.created;
      });
      line('touchpoint sync', tpA, airtableFloor);
      if (n >= options.slowAirtableFrom && !slow) {
        console.log(`  ${'airtable.js select().all()'.padEnd(44)} skipped (BENCH_SLOW_PEERS=1 runs it: about 17 minutes)`);
        continue;
      }
      const peer = await against(new FakeAirtable(manyRecords(n)), new RateWindow(5, 30_000), jitter, async (url) => {
        const base = new Airtable({ apiKey: AIRTABLE_TOKEN, endpointUrl: url }).base(BASE_ID);
        return (await base('Interviews').select().all()).length;
      });
      line('airtable.js select().all()', peer, airtableFloor, tpA);
    }
  }
}
