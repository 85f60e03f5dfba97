import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Store } from '../../src/store/store.js';
import { syncSource } from '../../src/sync/run.js';
import { syncAll } from '../../src/app/sync.js';
import { CsvSource } from '../../src/sources/csv/read.js';
import type { ReadOutcome, ReadRequest, Source, SourceRecord } from '../../src/sources/source.js';
import { csvConfig, onlyCsvSource } from '../helpers/config.js';
import { interview } from '../helpers/interviews.js';

const HEADER = 'Name,ID,Date,Interviewer,Customer status\n';
const rows = (n: number) => Array.from({ length: n }, (_, i) => `Row ${i + 1},R${i + 1},2026-03-0${(i % 9) + 1},Pat Lee,current\n`).join('');

function setup(text: string) {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-sync-')), 'rows.csv');
  writeFileSync(path, text);
  const config = csvConfig(path);
  const store = Store.open(':memory:');
  const source = () => new CsvSource(onlyCsvSource(config), config.roster, config.timezone);
  const run = (options: { force?: boolean } = {}) => syncSource(source(), store, { maxDeleteShare: config.sync.maxDeleteShare, ...options });
  return { path, store, run, config };
}

const counts = (r: { report: { created: number; updated: number; unchanged: number; deleted: number } }) => {
  const { created, updated, unchanged, deleted } = r.report;
  return { created, updated, unchanged, deleted };
};

describe('sync semantics on a CSV', () => {
  test('a second run on the same file reports everything unchanged', async () => {
    const { run } = setup(HEADER + rows(4));
    expect(counts(await run())).toEqual({ created: 4, updated: 0, unchanged: 0, deleted: 0 });
    expect(counts(await run())).toEqual({ created: 0, updated: 0, unchanged: 4, deleted: 0 });
  });

  test('editing one row reports one update; removing one reports one deletion', async () => {
    const { run, path, store } = setup(HEADER + rows(4));
    await run();
    writeFileSync(path, HEADER + rows(4).replace('Row 2,', 'Row 2 (edited),'));
    expect(counts(await run())).toEqual({ created: 0, updated: 1, unchanged: 3, deleted: 0 });
    writeFileSync(path, HEADER + rows(3).replace('Row 2,', 'Row 2 (edited),'));
    expect(counts(await run())).toEqual({ created: 0, updated: 0, unchanged: 3, deleted: 1 });
    expect(store.interviews().map((i) => i.title)).toEqual(['Row 1', 'Row 2 (edited)', 'Row 3']);
  });

  test('removing every row is refused by the deletion guard and changes nothing', async () => {
    const { run, path, store } = setup(HEADER + rows(4));
    await run();
    const version = store.dataVersion();
    writeFileSync(path, HEADER);
    await expect(run()).rejects.toMatchObject({ code: 'deletion_guard', message: expect.stringContaining('4 of 4') });
    expect(store.interviews()).toHaveLength(4);
    expect(store.dataVersion()).toBe(version);
    expect(store.runs()[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('--force') });
    expect(counts(await run({ force: true }))).toEqual({ created: 0, updated: 0, unchanged: 0, deleted: 4 });
    expect(store.interviews()).toEqual([]);
  });

  test('the guard allows deleting up to the configured share', async () => {
    const { run, path } = setup(HEADER + rows(4));
    await run();
    writeFileSync(path, HEADER + rows(2));
    expect(counts(await run())).toEqual({ created: 0, updated: 0, unchanged: 2, deleted: 2 });
  });

  test('a failed run leaves the previous data and bookmark intact', async () => {
    const { run, path, store } = setup(HEADER + rows(2));
    await run();
    const before = { interviews: store.interviews(), state: store.syncState('notes'), version: store.dataVersion() };
    writeFileSync(path, 'Wrong,Header\n1,2\n');
    await expect(run()).rejects.toMatchObject({ code: 'source_layout' });
    expect({ interviews: store.interviews(), state: store.syncState('notes'), version: store.dataVersion() }).toEqual(before);
  });

  test('broken rows sync the good ones and keep every finding', async () => {
    const { run, store } = setup(HEADER + 'Good,R1,2026-03-02,Pat Lee,current\nNo date,R2,,Pat Lee,current\n');
    const { report, findings } = await run();
    expect(report).toMatchObject({ read: 2, created: 2, findings: 1, excluded: 1 });
    expect(findings.map((f) => [f.recordId, f.code])).toEqual([['R2', 'missing_date']]);
    expect(store.findings().map((f) => f.code)).toEqual(['missing_date']);
  });
});

/** A source that can filter by edit time, to test bookmarks without an API. */
class FakeIncremental implements Source {
  readonly name = 'notes';
  readonly kind = 'notion' as const;
  readonly incremental = true;
  fingerprint = 'setup-1';
  fullListingEveryMs: number | null = null;
  /** Make the next incremental read fall back to a full listing, as Notion's 10 000 cap does. */
  fallBack = false;
  requests: ReadRequest[] = [];
  constructor(public records: SourceRecord[]) {}
  async probe() {
    return 'fake';
  }
  async *read(request: ReadRequest): AsyncGenerator<SourceRecord[], ReadOutcome> {
    this.requests.push(request);
    const full = request.since === null || this.fallBack;
    yield this.records.filter((r) => full || (r.editedAt ?? '') >= request.since!);
    return { listing: full ? 'full' : 'incremental', memo: { reads: this.requests.length } };
  }
  stats() {
    return { requests: this.requests.length, retries: 0, waitedMs: 0 };
  }
  async describeSchema() {
    return { source: this.name, kind: this.kind, title: 'notes', columns: [], rows: null };
  }
  async sampleValues() {
    return { rows: 0, complete: true, values: {}, people: {} };
  }
  requestLog() {
    return [];
  }
}

const record = (id: string, updatedAt: string): SourceRecord => ({
  recordId: id,
  interview: interview({ id: `notes:${id}`, updatedAt }),
  findings: [],
  editedAt: updatedAt,
});

describe('bookmarks and signposts', () => {
  test('the first run lists everything; the next asks from the bookmark and detects no deletions', async () => {
    const store = Store.open(':memory:');
    const source = new FakeIncremental([record('a', '2026-03-01T10:00:00.000Z'), record('b', '2026-03-02T10:00:00.000Z')]);
    const now = () => new Date('2026-03-05T00:00:00.000Z');
    const first = await syncSource(source, store, { maxDeleteShare: 0.5, now });
    expect(first.report.listing).toBe('full');
    expect(store.syncState('notes')).toEqual({
      bookmark: '2026-03-02T10:00:00.000Z',
      lastFullAt: '2026-03-05T00:00:00.000Z',
      memo: { reads: 1 },
      fingerprint: 'setup-1',
    });

    source.records = [record('b', '2026-03-04T09:00:00.000Z')];
    const second = await syncSource(source, store, { maxDeleteShare: 0.5, now });
    expect(source.requests.map((r) => [r.since, r.memo])).toEqual([
      [null, null],
      ['2026-03-02T10:00:00.000Z', { reads: 1 }],
    ]);
    expect(second.report).toMatchObject({ listing: 'incremental', updated: 1, deleted: 0 });
    expect(store.interviews().map((i) => i.id)).toEqual(['notes:a', 'notes:b']);
  });

  test('the bookmark never moves past the signpost (a clock-skewed edit time)', async () => {
    const store = Store.open(':memory:');
    const source = new FakeIncremental([record('a', '2026-03-09T00:00:00.000Z')]);
    await syncSource(source, store, { maxDeleteShare: 0.5, now: () => new Date('2026-03-05T00:00:00.000Z') });
    expect(store.syncState('notes').bookmark).toBe('2026-03-05T00:00:00.000Z');
  });

  test('an incremental read that had to list everything detects deletions', async () => {
    const store = Store.open(':memory:');
    const source = new FakeIncremental([
      record('a', '2026-03-01T10:00:00.000Z'),
      record('b', '2026-03-02T10:00:00.000Z'),
      record('c', '2026-03-02T11:00:00.000Z'),
    ]);
    await syncSource(source, store, { maxDeleteShare: 0.5 });
    source.records = source.records.slice(0, 2);
    source.fallBack = true;
    const run = await syncSource(source, store, { maxDeleteShare: 0.5 });
    expect(run.report).toMatchObject({ listing: 'full', deleted: 1 });
  });

  test('a full listing is forced when the last one is older than the source asks', async () => {
    const store = Store.open(':memory:');
    const source = new FakeIncremental([record('a', '2026-03-01T10:00:00.000Z')]);
    source.fullListingEveryMs = 24 * 3600_000;
    await syncSource(source, store, { maxDeleteShare: 0.5, now: () => new Date('2026-03-05T00:00:00.000Z') });
    await syncSource(source, store, { maxDeleteShare: 0.5, now: () => new Date('2026-03-05T23:00:00.000Z') });
    await syncSource(source, store, { maxDeleteShare: 0.5, now: () => new Date('2026-03-06T00:00:00.000Z') });
    expect(source.requests.map((r) => r.since === null)).toEqual([true, false, true]);
  });

  test('--full lists everything even with a bookmark', async () => {
    const store = Store.open(':memory:');
    const source = new FakeIncremental([record('a', '2026-03-01T10:00:00.000Z')]);
    await syncSource(source, store, { maxDeleteShare: 0.5 });
    await syncSource(source, store, { maxDeleteShare: 0.5, full: true });
    expect(source.requests.map((r) => r.since)).toEqual([null, null]);
  });
});

describe('syncAll', () => {
  test('a failing source does not stop the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-all-'));
    writeFileSync(join(dir, 'good.csv'), HEADER + rows(1));
    const base = csvConfig(join(dir, 'good.csv'));
    const config = { ...base, sources: [{ ...onlyCsvSource(base), name: 'missing', path: join(dir, 'nope.csv') }, onlyCsvSource(base)] };
    const results = await syncAll(config, Store.open(':memory:'));
    expect(results.map((r) => [r.source, r.error ? 'failed' : r.outcome!.report.created])).toEqual([
      ['missing', 'failed'],
      ['notes', 1],
    ]);
  });

  test('an unknown --source names the configured ones', async () => {
    const config = csvConfig('/x.csv');
    await expect(syncAll(config, Store.open(':memory:'), { only: 'nope' })).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('Configured: notes'),
    });
  });
});

test('a setup change makes the next run a full listing by itself, and the report says why', async () => {
  const store = Store.open(':memory:');
  const source = new FakeIncremental([record('a', '2026-03-01T10:00:00.000Z'), record('b', '2026-03-02T10:00:00.000Z')]);
  const now = () => new Date('2026-03-05T00:00:00.000Z');
  expect((await syncSource(source, store, { maxDeleteShare: 0.5, now })).report).toMatchObject({ listing: 'full', why: 'first' });
  expect((await syncSource(source, store, { maxDeleteShare: 0.5, now })).report).toMatchObject({ listing: 'incremental', why: null });
  source.fingerprint = 'setup-2';
  expect((await syncSource(source, store, { maxDeleteShare: 0.5, now })).report).toMatchObject({ listing: 'full', why: 'setup_changed' });
  expect(source.requests.map((r) => r.since)).toEqual([null, '2026-03-02T10:00:00.000Z', null]);
  expect((await syncSource(source, store, { maxDeleteShare: 0.5, now })).report).toMatchObject({ listing: 'incremental' });
});
