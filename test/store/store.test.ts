import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { Store, type RunCommit } from '../../src/store/store.js';
import { MIGRATIONS, STORED_FORM } from '../../src/store/migrations.js';
import type { Finding } from '../../src/model/finding.js';
import { interview } from '../helpers/interviews.js';
import { fromStored, hashStored, storedForm } from '../../src/model/stored.js';
import { hashInterview } from '../../src/sync/run.js';

const finding = (recordId: string): Finding => ({
  code: 'missing_date',
  severity: 'excluded',
  source: 'notes',
  recordId,
  field: 'Date',
  value: null,
  url: null,
  row: 2,
});

function commit(overrides: Partial<RunCommit<{ n: number }>> = {}): RunCommit<{ n: number }> {
  return {
    source: 'notes',
    startedAt: '2026-03-10T10:00:00.000Z',
    finishedAt: '2026-03-10T10:00:01.000Z',
    upserts: [],
    deletes: [],
    findings: { replace: 'all', items: [] },
    state: { bookmark: null, lastFullAt: '2026-03-10T10:00:00.000Z', memo: null },
    report: { n: 1 },
    ...overrides,
  };
}

describe('Store', () => {
  test('migrates a new file to the latest schema and reopens it without re-running migrations', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tp-store-')), 'nested', 'touchpoint.db');
    const store = Store.open(path);
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
    store.commitRun(commit({ upserts: [{ interview: interview(), hash: 'h1' }] }));
    store.close();
    const again = Store.open(path);
    expect(again.schemaVersion()).toBe(MIGRATIONS.length);
    expect(again.interviews().map((i) => i.id)).toEqual(['notes:r1']);
    again.close();
  });

  test('migrates a store of schema 1 to the latest, keeping its rows', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tp-store-')), 'touchpoint.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO sync_state (source, bookmark, last_full_at) VALUES ('notes', '2026-01-01T00:00:00.000Z', NULL)").run();
    db.close();
    const store = Store.open(path);
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
    expect(store.syncState('notes')).toEqual({ bookmark: '2026-01-01T00:00:00.000Z', lastFullAt: null, memo: null, fingerprint: null });
    store.close();
  });

  test('converts the object rows of a store before the stored form, hashed as the sync hashes them, and keeps the data version', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tp-store-')), 'touchpoint.db');
    const db = new Database(path);
    for (const sql of MIGRATIONS.slice(0, STORED_FORM)) db.exec(sql);
    db.pragma(`user_version = ${STORED_FORM}`);
    const old = [interview({ id: 'notes:r1' }), interview({ id: 'notes:r2', followUps: { due: '2026-03-11', done: false, text: 'Send the export' } })];
    const insert = db.prepare(
      "INSERT INTO interviews (id, source, record_id, data, hash, synced_at, written) VALUES (?, 'notes', ?, ?, 'old', '2026-03-10', 3)",
    );
    for (const row of old) insert.run(row.id, row.source.recordId, JSON.stringify(row));
    insert.run('notes:r3', 'r3', '{broken');
    db.prepare("UPDATE meta SET value = '3' WHERE key = 'data_version'").run();
    db.close();

    const store = Store.open(path);
    expect(store.dataVersion()).toBe(3);
    expect(store.interviews()).toEqual(old);
    expect(store.recordHashes('notes').get('r2')?.hash).toBe(hashInterview(old[1]!));
    store.close();
    const raw = new Database(path, { readonly: true });
    const rows = raw.prepare('SELECT id, data, hash FROM interviews ORDER BY id').all() as Array<{ id: string; data: string; hash: string }>;
    raw.close();
    expect(rows.map((r) => r.data)).toEqual([storedForm(old[0]!), storedForm(old[1]!), '{broken']);
    expect(rows.map((r) => r.hash)).toEqual([hashStored(storedForm(old[0]!)), hashStored(storedForm(old[1]!)), 'old']);
  });

  test('the stored form gives back the interview it was made of', () => {
    const rows = [
      interview(),
      interview({
        interviewers: [{ key: 'pat@co.example', name: 'Pat', email: 'Pat@Co.example', onRoster: true }],
        attendees: [{ key: 'name:sam', name: 'Sam', email: null, onRoster: false }],
        followUps: { due: null, done: null, text: 'Call back' },
        debriefed: null,
        tags: ['a', 'b'],
      }),
    ];
    for (const row of rows) expect(fromStored(storedForm(row))).toStrictEqual(row);
    expect(Object.keys(fromStored(storedForm(rows[0]!))!.followUps)).toEqual(['due', 'done']);
    expect(fromStored(JSON.stringify(rows[0]))).toEqual(rows[0]);
    expect([fromStored('{broken'), fromStored('[1,2]'), fromStored('7'), fromStored('null')]).toEqual([null, null, null, null]);
  });

  test('refuses a store written by a newer version', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tp-store-')), 'touchpoint.db');
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => Store.open(path)).toThrow(expect.objectContaining({ code: 'store_failed', message: expect.stringContaining('newer touchpoint') }));
  });

  test('upserts by id, soft-deletes, and restores a row that comes back', () => {
    const store = Store.open(':memory:');
    store.commitRun(
      commit({
        upserts: [
          { interview: interview({ id: 'notes:a' }), hash: 'a1' },
          { interview: interview({ id: 'notes:b' }), hash: 'b1' },
        ],
      }),
    );
    store.commitRun(commit({ upserts: [{ interview: interview({ id: 'notes:a', title: 'renamed' }), hash: 'a2' }], deletes: ['b'] }));
    expect(store.interviews().map((i) => [i.id, i.title])).toEqual([['notes:a', 'renamed']]);
    expect(store.recordHashes('notes')).toEqual(
      new Map([
        ['a', { hash: 'a2', deleted: false, rawHash: null, offRoster: [] }],
        ['b', { hash: 'b1', deleted: true, rawHash: null, offRoster: [] }],
      ]),
    );
    store.commitRun(commit({ upserts: [{ interview: interview({ id: 'notes:b' }), hash: 'b1' }] }));
    expect(store.interviews().map((i) => i.id)).toEqual(['notes:a', 'notes:b']);
  });

  test("a run's deletions and kept raw hashes touch its own source's rows only, where another source has the same record ids", () => {
    const store = Store.open(':memory:');
    for (const source of ['notes', 'calls']) {
      store.commitRun(
        commit({
          source,
          upserts: ['a', 'b'].map((id) => ({ interview: interview({ id: `${source}:${id}` }), hash: `${id}1`, rawHash: `raw-${id}` })),
        }),
      );
    }
    store.commitRun(commit({ source: 'calls', deletes: ['b'], rawHashes: [{ recordId: 'a', rawHash: 'raw-a2', offRoster: ['Kim'] }] }));
    expect(store.recordHashes('calls')).toEqual(
      new Map([
        ['a', { hash: 'a1', deleted: false, rawHash: 'raw-a2', offRoster: ['Kim'] }],
        ['b', { hash: 'b1', deleted: true, rawHash: null, offRoster: [] }],
      ]),
    );
    expect(store.recordHashes('notes')).toEqual(
      new Map([
        ['a', { hash: 'a1', deleted: false, rawHash: 'raw-a', offRoster: [] }],
        ['b', { hash: 'b1', deleted: false, rawHash: 'raw-b', offRoster: [] }],
      ]),
    );
    expect(store.interviews().map((i) => i.id)).toEqual(['calls:a', 'notes:a', 'notes:b']);
  });

  test('findings are replaced whole on a full listing, per record on an incremental one', () => {
    const store = Store.open(':memory:');
    store.commitRun(commit({ findings: { replace: 'all', items: [finding('a'), finding('b')] } }));
    store.commitRun(commit({ findings: { replace: ['a'], items: [] } }));
    expect(store.findings().map((f) => f.recordId)).toEqual(['b']);
    store.commitRun(commit({ findings: { replace: 'all', items: [finding('c')] } }));
    expect(store.findings('notes').map((f) => f.recordId)).toEqual(['c']);
    expect(store.findings('other')).toEqual([]);
  });

  test('keeps sync state and a run log; a failure is logged without touching data', () => {
    const store = Store.open(':memory:');
    store.commitRun(
      commit({
        upserts: [{ interview: interview(), hash: 'h' }],
        state: { bookmark: '2026-03-09T00:00:00.000Z', lastFullAt: '2026-03-10T10:00:00.000Z', memo: { ids: ['x'] } },
      }),
    );
    const version = store.dataVersion();
    store.recordFailure('notes', '2026-03-11T00:00:00.000Z', '2026-03-11T00:00:02.000Z', 'boom');
    expect(store.dataVersion()).toBe(version);
    expect(store.syncState('notes')).toEqual({
      bookmark: '2026-03-09T00:00:00.000Z',
      lastFullAt: '2026-03-10T10:00:00.000Z',
      memo: { ids: ['x'] },
      fingerprint: null,
    });
    expect(store.syncState('unknown')).toEqual({ bookmark: null, lastFullAt: null, memo: null, fingerprint: null });
    expect(store.runs().map((r) => [r.status, r.report, r.error])).toEqual([
      ['failed', null, 'boom'],
      ['ok', { n: 1 }, null],
    ]);
    expect(store.interviews()).toHaveLength(1);
  });

  test('every commit bumps the data version', () => {
    const store = Store.open(':memory:');
    expect(store.dataVersion()).toBe(0);
    store.commitRun(commit());
    store.commitRun(commit());
    expect(store.dataVersion()).toBe(2);
  });
});
