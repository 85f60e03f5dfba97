import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import Database from 'better-sqlite3';
import { Store } from '../../src/store/store.js';
import { syncSource } from '../../src/sync/run.js';
import { syncAll } from '../../src/app/sync.js';
import { CsvSource } from '../../src/sources/csv/read.js';
import type { ReadOutcome, ReadRequest, Source, SourceRecord } from '../../src/sources/source.js';
import { csvConfig, onlyCsvSource } from '../helpers/config.js';
import { interview } from '../helpers/interviews.js';

const HEADER = 'Name,ID,Date,Interviewer,Customer status\n';
const rows = (n: number) => Array.from({ length: n }, (_, i) => `Row ${i + 1},R${i + 1},2026-03-0${(i % 9) + 1},Pat Lee,current\n`).join('');

function setup(text: string, store = Store.open(':memory:')) {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-sync-')), 'rows.csv');
  writeFileSync(path, text);
  const config = csvConfig(path);
  const source = () => new CsvSource(onlyCsvSource(config), config.roster, config.timezone);
  const run = (options: { force?: boolean; full?: boolean; onProgress?: () => void } = {}) =>
    syncSource(source(), store, { maxDeleteShare: config.sync.maxDeleteShare, ...options });
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

  test('rows written as they were read are undone when the run is refused at the end', async () => {
    // A file on disk: a second connection sees what the first has committed, and only that.
    const dir = mkdtempSync(join(tmpdir(), 'tp-sync-'));
    const { run, path, store } = setup(HEADER + rows(4), Store.open(join(dir, 'store.db')));
    await run();
    const version = store.dataVersion();
    // Row 1 edited (written while reading), rows 2-4 gone: 75 % deletions, refused after the write.
    writeFileSync(path, HEADER + rows(1).replace('Row 1,', 'Row 1 (edited),'));
    await expect(run()).rejects.toMatchObject({ code: 'deletion_guard' });
    const other = Store.open(join(dir, 'store.db'));
    for (const s of [store, other]) {
      expect(s.interviews().map((i) => i.title)).toEqual(['Row 1', 'Row 2', 'Row 3', 'Row 4']);
      expect(s.dataVersion()).toBe(version);
    }
    other.close();
    // The connection is usable again: the next run (forced) writes and commits.
    expect(counts(await run({ force: true }))).toEqual({ created: 0, updated: 1, unchanged: 0, deleted: 3 });
    expect(store.interviews().map((i) => i.title)).toEqual(['Row 1 (edited)']);
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

describe('a file re-read: rows whose raw cells are unchanged are not assembled again', () => {
  /** Every record the CSV source hands the sync, split into assembled and skipped ids. */
  async function readWith(source: CsvSource, known: ReadonlyMap<string, string>) {
    const out: SourceRecord[] = [];
    for await (const batch of source.read({ since: null, memo: null, stored: () => ({ known, complete: false }) })) out.push(...batch);
    return { assembled: out.filter((r) => r.interview).map((r) => r.recordId), skipped: out.filter((r) => r.unchanged).map((r) => r.recordId) };
  }
  const raw = (store: Store) => new Map([...store.recordHashes('notes')].flatMap(([id, r]) => (r.rawHash ? [[id, r.rawHash] as const] : [])));
  // Row 2 names someone not on the roster (a finding, and the report's off-roster list); row 3 has no date.
  const TEXT = `${HEADER}Row 1,R1,2026-03-02,Pat Lee,current\nRow 2,R2,2026-03-03,Sam Stranger,current\nRow 3,R3,,Pat Lee,current\n`;

  test('the second run assembles nothing, and leaves the store, the findings and the report as a full run does', async () => {
    const { run, store, path, config } = setup(TEXT);
    const first = await run();
    const before = { rows: store.interviews(), findings: store.findings('notes') };
    const source = new CsvSource(onlyCsvSource(config), config.roster, config.timezone);
    expect(await readWith(source, raw(store))).toEqual({ assembled: [], skipped: ['R1', 'R2', 'R3'] });
    const second = await run();
    expect(counts(second)).toEqual({ created: 0, updated: 0, unchanged: 3, deleted: 0 });
    expect({ read: second.report.read, findings: second.report.findings, offRoster: second.report.offRoster, excluded: second.report.excluded }).toEqual({
      read: first.report.read,
      findings: first.report.findings,
      offRoster: [{ name: 'Sam Stranger', rows: 1 }],
      excluded: first.report.excluded,
    });
    expect({ rows: store.interviews(), findings: store.findings('notes') }).toEqual(before);
    // An edited row is assembled again, alone.
    writeFileSync(path, TEXT.replace('Row 1,R1,2026-03-02', 'Row 1,R1,2026-03-09'));
    expect(await readWith(source, raw(store))).toEqual({ assembled: ['R1'], skipped: ['R2', 'R3'] });
    expect(counts(await run())).toEqual({ created: 0, updated: 1, unchanged: 2, deleted: 0 });
    expect(store.interviews().find((i) => i.id === 'notes:R1')!.startsAt).toBe('2026-03-09');
  });

  test('a new setup (a value map, a roster entry) reads every row again: the raw hash covers it', async () => {
    const { store, run, config } = setup(TEXT);
    await run();
    const withSam = { ...config, roster: [...config.roster, { name: 'Sam Stranger', email: 'sam@co.example', role: 'pm', team: null, since: null }] };
    const source = new CsvSource(onlyCsvSource(withSam), withSam.roster, withSam.timezone);
    expect(await readWith(source, raw(store))).toEqual({ assembled: ['R1', 'R2', 'R3'], skipped: [] });
  });

  test('a stored row that does not parse is read again, not skipped', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tp-raw-')), 'tp.db');
    const { run, config } = setup(TEXT, Store.open(path));
    await run();
    const sqlite = new Database(path);
    sqlite.prepare("UPDATE interviews SET data = '{broken' WHERE record_id = 'R1'").run();
    sqlite.close();
    const store = Store.open(path);
    const source = new CsvSource(onlyCsvSource(config), config.roster, config.timezone);
    expect((await readWith(source, raw(store))).assembled).toEqual(['R1']);
    expect(counts(await run())).toEqual({ created: 0, updated: 1, unchanged: 2, deleted: 0 });
    expect(store.interviews().map((i) => i.id)).toEqual(['notes:R1', 'notes:R2', 'notes:R3']);
  });
});

describe('the same file again: not parsed at all', () => {
  // Row 2 names someone off the roster, row 3 has no date, line 5 has no id (a finding of its own).
  const TEXT = `${HEADER}Row 1,R1,2026-03-02,Pat Lee,current\nRow 2,R2,2026-03-03,Sam Stranger,current\nRow 3,R3,,Pat Lee,current\nRow 4,,2026-03-04,Pat Lee,current\n`;

  test('the source answers from its memo; rows, findings and the report stand as a full read leaves them', async () => {
    const { run, store, config, path } = setup(TEXT);
    const first = await run();
    const before = { rows: store.interviews(), findings: store.findings('notes') };
    const memo = store.syncState('notes').memo;
    expect(memo).toEqual({ content: expect.any(String) });
    const source = new CsvSource(onlyCsvSource(config), config.roster, config.timezone);
    const known = new Map([...store.recordHashes('notes')].flatMap(([id, r]) => (r.rawHash ? [[id, r.rawHash] as const] : [])));
    const reading = source.read({ since: null, memo, stored: () => ({ known, complete: true }) });
    expect(await reading.next()).toEqual({ done: true, value: { listing: 'full', memo, unchanged: true } });
    // Without `complete` (a stored row not readable) it reads the rows.
    expect((await source.read({ since: null, memo, stored: () => ({ known, complete: false }) }).next()).done).toBe(false);

    const second = await run();
    const { durationMs: _d, startedAt: _s, ...again } = second.report;
    const { durationMs: _d1, startedAt: _s1, ...firstReport } = first.report;
    expect(again).toEqual({ ...firstReport, created: 0, unchanged: 3 });
    expect(second.findings).toEqual(first.findings);
    expect({ rows: store.interviews(), findings: store.findings('notes') }).toEqual(before);
    // One byte changed, and the rows are read again.
    writeFileSync(path, TEXT.replace('Row 1,', 'Row 1!,'));
    expect(counts(await run())).toEqual({ created: 0, updated: 1, unchanged: 2, deleted: 0 });
  });

  test('--full, or a stored row that does not parse, reads the rows again', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tp-same-')), 'tp.db');
    const { run, store } = setup(TEXT, Store.open(path));
    await run();
    // Rows read are reported as progress: none when the file is answered from the memo.
    let progress = 0;
    const onProgress = () => void (progress += 1);
    expect(counts(await run({ onProgress }))).toEqual({ created: 0, updated: 0, unchanged: 3, deleted: 0 });
    expect(progress).toBe(0);
    expect(counts(await run({ full: true, onProgress }))).toEqual({ created: 0, updated: 0, unchanged: 3, deleted: 0 });
    expect(progress).toBeGreaterThan(0);
    progress = 0;
    const sqlite = new Database(path);
    sqlite.prepare("UPDATE interviews SET data = '{broken' WHERE record_id = 'R2'").run();
    sqlite.close();
    expect(counts(await run({ onProgress }))).toEqual({ created: 0, updated: 1, unchanged: 2, deleted: 0 });
    expect(progress).toBeGreaterThan(0);
    expect(store.interviews().map((i) => i.id)).toEqual(['notes:R1', 'notes:R2', 'notes:R3']);
  });
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
