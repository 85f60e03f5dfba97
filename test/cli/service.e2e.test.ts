import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { loadConfig } from '../../src/config/load.js';
import { Store } from '../../src/store/store.js';
import { syncAll } from '../../src/app/sync.js';

/** A CSV project, synced once: the store a damage case starts from. */
async function synced(): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-service-'));
  const rows = Array.from({ length: 400 }, (_, i) => `Call ${i},R${i},2026-03-${String(1 + (i % 28)).padStart(2, '0')},Pat Lee,60,${'note '.repeat(40)}`);
  writeFileSync(join(dir, 'interviews.csv'), `Name,ID,Date,Interviewer,Duration,TLDR\n${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `timezone: Europe/Berlin
asOf: 2026-04-01
roster:
  - { name: Pat Lee, email: pat@co.example, role: pm, team: Core }
store: { path: ./tp.db }
sources:
  - name: notes
    kind: csv
    path: interviews.csv
    mapping: { id: ID, title: Name, startsAt: Date, interviewers: Interviewer, durationMinutes: Duration, tldr: TLDR }
`,
  );
  // The first sync in process (the CLI's own runs are what the cases test).
  const { config } = loadConfig(join(dir, 'touchpoint.config.yaml'));
  const store = Store.open(config.store.path);
  const [result] = await syncAll(config, store);
  store.close();
  expect(result?.outcome?.report.created).toBe(400);
  return { dir, db: join(dir, 'tp.db') };
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Each command on a damaged store: one line that says what to do, exit 1, and the file as it was. */
async function expectOneLine(dir: string, db: string, args: string[], pattern: RegExp) {
  const before = digest(db);
  const result = await runCli(args, dir);
  const said = result.stderr.trim().split('\n');
  expect([args.join(' '), result.code]).toEqual([args.join(' '), 1]);
  expect(said).toHaveLength(1);
  expect(said[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |SqliteError|SyntaxError/);
  expect(digest(db)).toBe(before);
}

describe.concurrent('a damaged store', () => {
  test('pages overwritten: metrics, sync and doctor each say so in one line, and the file is left as it was', async () => {
    const { dir, db } = await synced();
    // Pages 2 to 4, whatever the store's page size (the header's bytes 16–17; 1 means 65 536).
    const header = readFileSync(db).subarray(0, 100);
    const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(3 * pageSize, 0x5a), 0, 3 * pageSize, pageSize);
    closeSync(fd);
    await expectOneLine(
      dir,
      db,
      ['metrics'],
      /^touchpoint: The store at .*tp\.db is damaged \(.*\): restore a backup, or delete it and run `touchpoint sync --full`\.$/,
    );
    await expectOneLine(dir, db, ['sync'], /^touchpoint: The store at .*tp\.db is damaged .*Nothing was written\.$|^touchpoint: The store at .*is damaged/);
    const doctor = await runCli(['doctor'], dir);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/✗ store\s+The store at .* is damaged/);
  });

  test('a dropped table: one line', async () => {
    const { dir, db } = await synced();
    const sqlite = new Database(db);
    sqlite.exec('DROP TABLE interviews');
    sqlite.close();
    await expectOneLine(dir, db, ['metrics'], /^touchpoint: The store at .*tp\.db is damaged \(no such table: interviews\)/);
  });

  test('one row whose JSON does not parse: metrics go on without it, doctor says so, and the next sync re-reads it', async () => {
    const { dir, db } = await synced();
    const sqlite = new Database(db);
    sqlite.prepare('UPDATE interviews SET data = \'{"id": "notes:R7", broken\' WHERE record_id = \'R7\'').run();
    sqlite.close();
    const metrics = await runCli(['metrics', '--json'], dir);
    expect(metrics.code).toBe(0);
    const doctor = await runCli(['doctor'], dir);
    expect(doctor.stdout).toContain('1 interview row whose data does not parse (the next sync re-reads them)');
    const sync = await runCli(['sync'], dir);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/^notes\s+full\s+400\s+0\s+1\s+399\s/m);
    const healed = new Database(db, { readonly: true });
    expect(healed.prepare("SELECT json_valid(data) FROM interviews WHERE record_id = 'R7'").pluck().get()).toBe(1);
    healed.close();
  });

  test('serve on a damaged store answers an error page with the line, and /healthz still answers', async ({ onTestFinished }) => {
    const { dir, db } = await synced();
    const sqlite = new Database(db);
    sqlite.exec('DROP TABLE findings');
    sqlite.close();
    const { child, match } = await startCli(['serve', '--port', '0'], dir, /Dashboard: (http:\/\/127\.0\.0\.1:\d+)/);
    onTestFinished(() => void child.kill());
    const page = await fetch(match[1]!);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('is damaged (no such table: findings)');
    expect((await fetch(`${match[1]!}/healthz`)).status).toBe(200);
  });
});

describe.concurrent('one sync at a time', () => {
  test('a second sync on the same store waits, then says who holds it', async () => {
    const { dir, db } = await synced();
    // This test process holds the lock, as a running sync would; the second waits a second for it.
    writeFileSync(
      join(dir, 'touchpoint.config.yaml'),
      readFileSync(join(dir, 'touchpoint.config.yaml'), 'utf8').replace('store: { path: ./tp.db }', 'store: { path: ./tp.db }\nsync: { lockWaitSeconds: 1 }'),
    );
    writeFileSync(`${db}.sync-lock`, String(process.pid));
    const before = digest(db);
    const started = Date.now();
    const second = await runCli(['sync'], dir);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `touchpoint: Another sync is running on this store (pid ${process.pid}); nothing was done. Try again when it has finished.`,
    );
    expect(digest(db)).toBe(before);
  });

  test('a lock left by a sync that was killed is taken over', async () => {
    const { dir, db } = await synced();
    writeFileSync(`${db}.sync-lock`, '999999');
    const next = await runCli(['sync'], dir);
    expect(next.code).toBe(0);
    expect(existsSync(`${db}.sync-lock`)).toBe(false);
  });
});

test('a YAML alias bomb is one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bomb-'));
  const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`);
  writeFileSync(join(dir, 'touchpoint.config.yaml'), `${levels.join('\n')}\n`);
  const result = await runCli(['metrics'], dir);
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^touchpoint: .*touchpoint\.config\.yaml cannot be read: Excessive alias count/)]);
});

test('a running serve applies an edited config without a restart, and keeps the last good one when an edit is invalid', async ({ onTestFinished }) => {
  const { dir } = await synced();
  const path = join(dir, 'touchpoint.config.yaml');
  const original = readFileSync(path, 'utf8');
  const { child, match } = await startCli(['serve', '--port', '0'], dir, /Dashboard: (http:\/\/127\.0\.0\.1:\d+)/);
  onTestFinished(() => void child.kill());
  const page = async () => (await fetch(match[1]!)).text();
  const until = async (check: (html: string) => boolean) => {
    for (let i = 0; i < 50; i++) {
      const html = await page();
      if (check(html)) return html;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the dashboard did not change');
  };
  expect(await page()).toContain('Target: 2 h a week');
  writeFileSync(path, original.replace('timezone: Europe/Berlin', 'timezone: Europe/Berlin\ntargets: { hoursPerWeek: 3 }'));
  expect(await until((html) => html.includes('Target: 3 h a week'))).not.toContain('was not applied');
  writeFileSync(path, original.replace('timezone: Europe/Berlin', 'timezone: Mars/Olympus\ntargets: { hoursPerWeek: 5 }'));
  const broken = await until((html) => html.includes('The edited config was not applied'));
  expect(broken).toContain('Target: 3 h a week');
  expect(broken).toContain('timezone: not a time zone');
});
