// A sync killed with SIGKILL at any moment leaves the store as the last good run left it, or (killed
// after its commit) as the finished run leaves it: never a mix. A CSV source writes its rows as it
// reads them, inside one open transaction (Store.openRun), so the kills below land in the middle of
// writing, which the write-ahead log's growth shows; the file is read in threads, which die with it.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { THREADS_FROM_BYTES } from '../../src/sources/csv/threads.js';

const BIN = fileURLToPath(new URL('../../bin/touchpoint.js', import.meta.url));
const ROWS = 50_000;

/** Large enough to be read in threads (src/sources/csv/threads.ts): the kills land there too. */
function writeCsv(path: string, edition: string): void {
  const lines = ['Name,ID,Date,Interviewer,Duration'];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `${edition} call ${i} about onboarding and the weekly export,R${i},2026-03-${String(1 + (i % 28)).padStart(2, '0')},Pat Lee,${30 + (i % 4) * 15}`,
    );
  writeFileSync(path, lines.join('\n') + '\n');
  expect(statSync(path).size).toBeGreaterThan(THREADS_FROM_BYTES);
}

/** What a run decides (not when it ran): every row's hash and version, the findings, the data version. */
function state(db: string): string {
  const store = new Database(db, { readonly: true });
  try {
    return JSON.stringify([
      store.prepare('SELECT id, hash, deleted_at, written FROM interviews ORDER BY id').raw().all(),
      store.prepare('SELECT source, record_id, data FROM findings ORDER BY rowid').raw().all(),
      store.prepare("SELECT value FROM meta WHERE key = 'data_version'").pluck().get(),
    ]);
  } finally {
    store.close();
  }
}

/**
 * Empty the write-ahead log (as a checkpoint of the last good state): a killed run's pages are
 * then the only ones in it. Without it the log kept the size a run before had grown it to, and a
 * kill mid-write on a busy machine wrote less than that and looked like none.
 */
function truncateLog(db: string): void {
  const store = new Database(db);
  try {
    store.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
}

const walBytes = (db: string) => {
  try {
    return statSync(`${db}-wal`).size;
  } catch {
    return 0;
  }
};

test('a sync killed with SIGKILL while it writes leaves the previous data; the next one finishes', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-kill-'));
  const csv = join(dir, 'interviews.csv');
  const db = join(dir, 'touchpoint.db');
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `timezone: Europe/Berlin
roster:
  - { name: Pat Lee, email: pat@co.example, role: pm, team: Core }
store: { path: ./touchpoint.db }
sources:
  - name: notes
    kind: csv
    path: interviews.csv
    mapping: { id: ID, title: Name, startsAt: Date, interviewers: Interviewer, durationMinutes: Duration }
`,
  );
  writeCsv(csv, 'First');
  expect((await runBin(['sync'], dir)).code).toBe(0);
  const before = state(db);
  // Every row edited: the next run rewrites all of them.
  writeCsv(csv, 'Second');

  const outcomes: Array<{ afterMs: number; midWrite: boolean; kept: 'before' | 'after' }> = [];
  let after: string | null = null;
  // Each run is killed once its open transaction has spilled pages into the (emptied) log, at once
  // or a little later, so the kills land in the write whatever the machine's load; then one earlier.
  for (const afterMs of [0, 100, 300, 700, -1]) {
    truncateLog(db);
    const child = spawn(process.execPath, [BIN, 'sync'], { cwd: dir, env: { ...process.env, CI: 'true', NODE_OPTIONS: '' }, stdio: 'ignore' });
    let code: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve((code = c))));
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    if (afterMs < 0) await pause(150);
    else {
      while (code === undefined && walBytes(db) === 0) await pause(10);
      await pause(afterMs);
    }
    if (code !== undefined) {
      // Too late to kill: this run finished; its result is what a later kill may also leave.
      expect(code).toBe(0);
      after = state(db);
      continue;
    }
    const midWrite = walBytes(db) > 0;
    child.kill('SIGKILL');
    await exited;
    const now = state(db);
    if (now === before) outcomes.push({ afterMs, midWrite, kept: 'before' });
    else {
      // Killed after the commit (while keeping the dashboard's first view): the finished run's rows.
      after ??= now;
      expect(now).toBe(after);
      outcomes.push({ afterMs, midWrite, kept: 'after' });
    }
  }
  // At least one kill landed while rows were being written, and that store is the previous one.
  expect(outcomes.filter((o) => o.midWrite && o.kept === 'before').length, JSON.stringify(outcomes)).toBeGreaterThan(0);

  // The store opens and the next sync finishes the work: every row the new edition's.
  const next = await runBin(['sync'], dir);
  expect(next.code, next.stderr).toBe(0);
  const store = new Database(db, { readonly: true });
  // The title is the sixth field of the stored form (src/model/stored.ts).
  const titles = store.prepare("SELECT json_extract(data, '$[5]') FROM interviews WHERE deleted_at IS NULL").pluck().all() as string[];
  const problems = store.pragma('integrity_check', { simple: true });
  store.close();
  expect(problems).toBe('ok');
  expect(titles).toHaveLength(ROWS);
  expect(titles.every((t) => t.startsWith('Second call '))).toBe(true);
  if (after !== null) expect(state(db)).not.toBe(before);
});
