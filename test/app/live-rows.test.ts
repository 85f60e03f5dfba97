import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { Store, type RunCommit } from '../../src/store/store.js';
import { compareIds, LiveRows } from '../../src/app/live-rows.js';
import { interview } from '../helpers/interviews.js';

function run(upserts: string[], deletes: string[] = [], title = 'v'): RunCommit<object> {
  return {
    source: 'notes',
    startedAt: '2026-03-10T10:00:00.000Z',
    finishedAt: '2026-03-10T10:00:01.000Z',
    upserts: upserts.map((record) => ({ interview: interview({ id: `notes:${record}`, title: `${title} ${record}` }), hash: `${title}${record}` })),
    deletes,
    findings: { replace: 'all', items: [] },
    state: { bookmark: null, lastFullAt: null, memo: null },
    report: {},
  };
}

function storeAt(): { store: Store; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-live-')), 'touchpoint.db');
  return { store: Store.open(path), path };
}

describe('LiveRows: the live interviews, one data version after another', () => {
  test('after a sync only the rows it wrote are read, and the result is what a full read gives', () => {
    const { store } = storeAt();
    store.commitRun(run(['r1', 'r3', 'r5', 'r7']));
    const rows = new LiveRows(store);
    const first = rows.current();
    expect(first.interviews.map((i) => i.id)).toEqual(['notes:r1', 'notes:r3', 'notes:r5', 'notes:r7']);
    expect(rows.lastRead).toEqual({ version: first.version, mode: 'full', read: 4 });

    // An update, an insert in the middle, one at the end, a deletion.
    store.commitRun(run(['r3', 'r4', 'r9'], ['r5'], 'w'));
    const second = rows.current();
    expect(rows.lastRead).toEqual({ version: first.version + 1, mode: 'changes', read: 4 });
    expect(second.interviews).toEqual(store.interviews());
    expect(second.interviews.map((i) => i.title)).toEqual(['v r1', 'w r3', 'w r4', 'v r7', 'w r9']);
    // Unchanged rows are the same objects; the list is a new one.
    expect(second.interviews[0]).toBe(first.interviews[0]);
    expect(second.interviews).not.toBe(first.interviews);

    // Nothing new: nothing read.
    const before = rows.lastRead;
    expect(rows.current().interviews).toBe(second.interviews);
    expect(rows.lastRead).toBe(before);
  });

  test('a row that does not parse is left out; a count that does not add up is read in full', () => {
    const { store, path } = storeAt();
    store.commitRun(run(['r1', 'r2', 'r3']));
    const raw = new Database(path);
    raw.prepare("UPDATE interviews SET data = '{broken' WHERE id = 'notes:r2'").run();
    const rows = new LiveRows(store);
    expect(rows.current().interviews.map((i) => i.id)).toEqual(['notes:r1', 'notes:r3']);

    // A sync rewrites the broken row (its hash no longer matched) and adds one.
    store.commitRun(run(['r2', 'r4'], [], 'w'));
    expect(rows.current().interviews).toEqual(store.interviews());
    expect(rows.current().interviews.map((i) => i.id)).toEqual(['notes:r1', 'notes:r2', 'notes:r3', 'notes:r4']);

    // A row written outside a run (no `written` mark): the live count no longer adds up.
    raw.prepare("UPDATE interviews SET deleted_at = '2026-03-11' WHERE id = 'notes:r1'").run();
    store.commitRun(run(['r4'], [], 'x'));
    expect(rows.current().interviews).toEqual(store.interviews());
    expect(rows.lastRead?.mode).toBe('full');
    raw.close();
  });
});

describe('compareIds', () => {
  // SQLite orders TEXT by its UTF-8 bytes.
  const utf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  test.each([
    ['a', 'b'],
    ['a', 'ab'],
    ['', 'a'],
    ['notes:r10', 'notes:r9'],
    ['\uFFFD', '\u{1F600}'],
    ['x\u{1F600}', 'x\uE000'],
    ['\u00E9', 'z'],
  ])('%j against %j is in the order of their UTF-8 bytes', (a, b) => {
    expect(Math.sign(compareIds(a, b))).toBe(utf8(a, b));
    expect(Math.sign(compareIds(b, a))).toBe(utf8(b, a));
  });
});
