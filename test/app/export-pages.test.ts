import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { expect, test, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { InterviewSnapshot, Store } from '../../src/store/store.js';
import { Workspace } from '../../src/app/workspace.js';
import { createApp } from '../../src/web/app.js';
import { interviewsCsv } from '../../src/present/export.js';
import { interview } from '../helpers/interviews.js';
import { seed } from '../helpers/workspace.js';

const config = parseConfig({ timezone: 'Europe/Berlin', asOf: '2026-11-20' });
const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => interview({ id: `notes:r${String(from + i).padStart(5, '0')}` }));

function fileWorkspace(n: number): { workspace: Workspace; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-export-')), 'touchpoint.db');
  seed(Store.open(path), rows(n));
  return { workspace: new Workspace(config, Store.open(path)), path };
}

test('an export reads the interviews page by page from one snapshot: a sync committed meanwhile is not in it', () => {
  const { workspace, path } = fileWorkspace(5);
  const close = vi.spyOn(InterviewSnapshot.prototype, 'close');
  const pages = workspace.interviewPages(null, 2);
  const first = pages.next();
  expect(first.done).toBe(false);
  expect((first.value as ReturnType<Workspace['interviews']>).map((i) => i.id)).toEqual(['notes:r00000', 'notes:r00001']);
  // A sync commits between two pages (another connection, as `touchpoint sync` would).
  seed(Store.open(path), rows(3, 100));
  const rest = [...pages].map((page) => page.map((i) => i.id));
  expect(rest).toEqual([['notes:r00002', 'notes:r00003'], ['notes:r00004']]);
  // Its snapshot is closed once the last page is read; a new export sees the sync.
  expect(close).toHaveBeenCalledTimes(1);
  expect([...workspace.interviewPages(null, 2)].flat()).toHaveLength(8);
});

test('/export/interviews.csv over several pages is the same file as all at once', async () => {
  const { workspace } = fileWorkspace(4500);
  const res = await request(createApp({ workspace, token: null, log: () => undefined }))
    .get('/export/interviews.csv')
    .expect(200)
    .expect('content-type', /text\/csv/);
  expect(res.text).toBe(interviewsCsv(workspace.interviews()));
  expect(res.text.trim().split('\n')).toHaveLength(4501);
});

test('/export/conversations.csv reads the rows behind a count by id, a page at a time: the same file as from a store in memory', async () => {
  const { workspace } = fileWorkspace(2500);
  const inMemory = new Workspace(config, Store.open(':memory:'));
  seed(inMemory.store, rows(2500));
  const byIds = vi.spyOn(InterviewSnapshot.prototype, 'byIds');
  const url = '/export/conversations.csv?window=all&callType=all';
  const csvOf = async (w: Workspace) =>
    (
      await request(createApp({ workspace: w, token: null, log: () => undefined }))
        .get(url)
        .expect(200)
    ).text;
  const fromFile = await csvOf(workspace);
  const fromMemory = await csvOf(inMemory);
  expect(fromFile).toBe(fromMemory);
  expect(fromFile.trim().split('\n')).toHaveLength(2501);
  // Two pages of ids (2 000, then 500), each read from the file's snapshot.
  expect(byIds.mock.calls.map(([ids]) => ids.length)).toEqual([2000, 500]);
});
