import { copyFileSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { describe, expect, test } from 'vitest';
import { runBin, runCli, startCli } from '../helpers/cli.js';
import { VERSION } from '../../src/version.js';
import { startSmtp } from '../helpers/smtp.js';
import { MetricsDocument } from '../../src/metrics/contract.js';

const HEADER = 'Name,ID,Date,Interviewer,Duration\n';
const ROWS = ['Acme,R1,2026-03-24,Pat Lee,120', 'Birch,R2,2026-03-25,Pat Lee,30', 'Cedar,R3,2026-03-26,Kim Ortiz,60'];

function project(rows = ROWS): { dir: string; csv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tp-cli-'));
  const csv = join(dir, 'interviews.csv');
  writeFileSync(csv, HEADER + rows.join('\n') + '\n');
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `timezone: Europe/Berlin
roster:
  - { name: Pat Lee, email: pat@co.example, role: pm, team: Core }
  - { name: Kim Ortiz, email: kim@co.example, role: pm, team: Core }
sources:
  - name: notes
    kind: csv
    path: interviews.csv
    mapping: { id: ID, title: Name, startsAt: Date, interviewers: Interviewer, durationMinutes: Duration }
`,
  );
  return { dir, csv };
}

/** The report row of one source: the numbers after its name. */
function reportRow(stdout: string, source = 'notes'): Record<string, string> {
  const lines = stdout.split('\n');
  const header = lines[0]!.trim().split(/\s{2,}/);
  const row = lines
    .find((l) => l.startsWith(`${source} `))!
    .trim()
    .split(/\s{2,}/);
  return Object.fromEntries(header.map((h, i) => [h, row[i]!]));
}

// Each test has its own folder and processes, so they run concurrently.
describe.concurrent('touchpoint CLI', () => {
  test('--help lists the commands; each command has its own help; the binary says its version', async () => {
    const version = await runBin(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const unknown = await runBin(['metrics', '--bogus']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("error: unknown option '--bogus'\n(add --help for usage)\n");
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['sync', 'metrics', 'serve', 'demo']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const sync = await runCli(['sync', '--help']);
    expect(sync.stdout).toContain('--full');
    expect(sync.stdout).toContain('--force');
  });

  test('sync twice reports unchanged; an edit is one update; a removal one deletion; removing all is refused', async () => {
    const { dir, csv } = project();
    const first = await runCli(['sync'], dir);
    expect(first.code).toBe(0);
    expect(reportRow(first.stdout)).toMatchObject({ listing: 'full', read: '3', created: '3', updated: '0', unchanged: '0', deleted: '0' });

    const second = await runCli(['sync'], dir);
    expect(reportRow(second.stdout)).toMatchObject({ created: '0', updated: '0', unchanged: '3', deleted: '0' });

    writeFileSync(csv, HEADER + [ROWS[0], ROWS[1]!.replace('Birch', 'Birch & Co'), ROWS[2]].join('\n'));
    expect(reportRow((await runCli(['sync'], dir)).stdout)).toMatchObject({ updated: '1', unchanged: '2' });

    writeFileSync(csv, HEADER + [ROWS[0], ROWS[2]].join('\n'));
    expect(reportRow((await runCli(['sync'], dir)).stdout)).toMatchObject({ deleted: '1', unchanged: '2' });

    writeFileSync(csv, HEADER);
    const refused = await runCli(['sync'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^touchpoint: Refused: this run would mark 2 of 2 "notes" interviews deleted/m);
    const metrics = JSON.parse((await runCli(['metrics', '--json', '--as-of', '2026-03-27'], dir)).stdout);
    expect(metrics.cadence.people.map((p: { name: string; weeks: Array<{ conversations: number }> }) => [p.name, p.weeks.at(-1)!.conversations])).toEqual([
      ['Pat Lee', 1],
      ['Kim Ortiz', 1],
    ]);
  });

  test('broken rows become a setup checklist after the report: decisions with YAML, fixes with rows; the good ones are stored', async () => {
    const strangers = Array.from({ length: 4 }, (_, i) => `Stranger ${i},S${i},2026-03-26,Zed Unknown,60`);
    const { dir } = project([...ROWS, 'No date,R4,,Pat Lee,60', 'Also no date,R6,,Pat Lee,60', ...strangers]);
    const result = await runCli(['sync'], dir);
    expect(result.code).toBe(0);
    expect(reportRow(result.stdout)).toMatchObject({ read: '9', created: '9', findings: '6' });
    const checklist = result.stdout.slice(result.stdout.indexOf('Setup checklist'));
    expect(checklist.split('\n').slice(0, 6)).toEqual([
      'Setup checklist (6 findings in 2 groups):',
      '  decide  notes: Zed Unknown leads 4 rows and is not on the roster: add them, or leave them out (their conversations credit no one on the roster).',
      '          - { name: Zed Unknown, email: someone@example.com, role: pm, team: … }   # under roster:',
      '  fix     notes: 2 rows have no date in "Date" (not counted until then): fill it in the source.',
      '          rows: No date (line 5), Also no date (line 6)',
      '',
    ]);
  });

  test('metrics prints the cadence table as of a date', async () => {
    const { dir } = project();
    await runCli(['sync'], dir);
    const result = await runCli(['metrics', '--as-of', '2026-04-01'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CADENCE — as of 2026-04-01 (Europe/Berlin); target 2 h a week; 2026-W14 is in progress.');
    for (const area of ['COVERAGE', 'STUDIES', 'PRACTICE QUALITY', 'FOLLOW-UPS', 'ACCOUNTS', 'THEMES', 'FINDINGS']) expect(result.stdout).toContain(area);
    expect(result.stdout).toMatch(/^Pat Lee\s+pm\s+Core\s+0\s+0\s+0\s+0\s+2.5\s+0\s+off track\s+1\s+1\/12\s+7 days ago$/m);
    expect(result.stdout).toContain('PMs on target in 2026-W13: 1 of 2.');
  });

  test('bad input gets one line that says what to do, and exit 1', async () => {
    const { dir } = project();
    writeFileSync(join(dir, 'touchpoint.config.yaml'), 'timezone: Mars/Olympus\nsourcs: []\n');
    // The installed binary, as a user runs it: its exit code and its output are the process's own.
    const config = await runBin(['sync'], dir);
    expect(config.code).toBe(1);
    expect(config.stderr).toContain('touchpoint.config.yaml has 2 problems');
    expect(config.stderr).toContain('  - timezone: not a time zone; use an IANA name such as "Europe/Berlin"');
    expect(config.stderr).toContain('  - sourcs: unknown key; did you mean "sources"?');
    expect(config.stderr).not.toMatch(/at .*\.ts:\d+/);

    for (const day of ['yesterday', '2026-02-30']) {
      const date = await runCli(['metrics', '--as-of', day], dir);
      expect(date.code).toBe(1);
      expect(date.stderr).toContain(`option '--as-of <date>' argument '${day}' is invalid. use a date that exists, like 2026-11-20.`);
    }
  });

  test('a busy port is one line that says what to do', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = busy.address();
    const port = String(typeof address === 'object' && address ? address.port : 0);
    try {
      const result = await runCli(['demo', '--port', port], mkdtempSync(join(tmpdir(), 'tp-busy-')));
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `touchpoint: port ${port} is in use on 127.0.0.1; stop what runs there, or pick another with --port (or dashboard.port).`,
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  test('npm start with no config serves the demo on 127.0.0.1 within 10 s', async ({ onTestFinished }) => {
    const empty = mkdtempSync(join(tmpdir(), 'tp-start-'));
    const started = Date.now();
    const { child, match, output } = await startCli(['serve', '--port', '0'], empty, /Dashboard \(DEMO DATA\): (http:\/\/127\.0\.0\.1:\d+)/);
    onTestFinished(() => void child.kill());
    const page = await fetch(match[1]!);
    const html = await page.text();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(page.status).toBe(200);
    expect(output()).toContain('No touchpoint.config.yaml here, so touchpoint serves its bundled DEMO data.');
    expect(html).toContain('Demo data.');
    expect(html).toContain('Northwind Analytics (demo)');
    for (const pm of ['Amara Okafor', 'Priya Raman', 'Hannah Schmidt']) expect(html).toContain(pm);
    expect(html.match(/<td class="cell /g)!.length).toBe(12 * 12);
  });

  test('the demo data on disk is what the generator makes', () => {
    const csv = readFileSync(new URL('../../examples/demo/interviews.csv', import.meta.url), 'utf8');
    expect(csv.startsWith('\uFEFFName,ID,Date,')).toBe(true);
    expect(csv.split('\n').length).toBeGreaterThan(400);
  });

  test('metrics --json on the demo data matches the documented contract', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-contract-'));
    const demo = new URL('../../examples/demo/', import.meta.url);
    copyFileSync(new URL('interviews.csv', demo), join(dir, 'interviews.csv'));
    writeFileSync(
      join(dir, 'touchpoint.config.yaml'),
      readFileSync(new URL('touchpoint.config.yaml', demo), 'utf8').replace('$schema: ../../touchpoint.schema.json', 'store: { path: ./demo.db }'),
    );
    expect((await runCli(['sync'], dir)).code).toBe(0);
    const result = await runCli(['metrics', '--json'], dir);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document)).toEqual([
      'asOf',
      'timezone',
      'team',
      'window',
      'cadence',
      'coverage',
      'studies',
      'quality',
      'followUps',
      'accounts',
      'themes',
      'findings',
    ]);
    const parsed = MetricsDocument.safeParse(document);
    expect(parsed.success ? [] : parsed.error.issues.slice(0, 5)).toEqual([]);
    // The demo is built to show each kind of finding the product exists for.
    expect(document.asOf).toBe('2026-11-20');
    expect(document.cadence.people.filter((p: { role: string }) => p.role === 'pm')).toHaveLength(12);
    expect(document.coverage.flags.map((f: { code: string; key: string }) => `${f.code}:${f.key}`)).toContain('segment_unheard:Public sector');
    expect(new Set(document.studies.map((s: { level: string }) => s.level))).toEqual(new Set(['anecdotal', 'emerging', 'solid']));
    expect(document.followUps.overdue).toBeGreaterThan(0);
    expect(document.quality.team.learningVsSales.sales).toBeGreaterThan(0);
  });

  test('--area prints one area; --window and --team narrow it; a wrong team names the teams', async () => {
    const { dir } = project();
    await runCli(['sync'], dir);
    const coverage = await runCli(['metrics', '--area', 'coverage', '--as-of', '2026-04-01', '--window', '2w'], dir);
    expect(coverage.stdout).toMatch(/^COVERAGE — 3 conversations, last 14 days \(2026-03-19 – 2026-04-01\)$/m);
    expect(coverage.stdout).not.toContain('CADENCE');
    // This CSV maps no customer status: no "never heard" claims about it.
    expect(coverage.stdout).toContain('Gaps: none.');
    const team = await runCli(['metrics', '--json', '--team', 'Core', '--as-of', '2026-04-01'], dir);
    expect(JSON.parse(team.stdout)).toMatchObject({ team: 'Core', window: { days: 90 } });
    const wrong = await runCli(['metrics', '--team', 'Nope'], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('No team "Nope" on the roster. Teams: Core.');
    const area = await runCli(['metrics', '--area', 'everything'], dir);
    expect(area.stderr).toContain('Allowed choices are cadence, coverage, studies, quality, followups, accounts, themes, findings.');
  });

  test('digest: --preview writes HTML and text; --send sends once for the period; --force sends again', async () => {
    const { dir } = project();
    writeFileSync(
      join(dir, 'touchpoint.config.yaml'),
      readFileSync(join(dir, 'touchpoint.config.yaml'), 'utf8').replace(
        'timezone: Europe/Berlin',
        'timezone: Europe/Berlin\norganisation: Acme\ndigests:\n  from: tp@acme.example\n  exec: { to: [cpo@acme.example] }',
      ),
    );
    await runCli(['sync'], dir);
    const preview = await runCli(['digest', 'exec', '--preview', 'out', '--as-of', '2026-04-01'], dir);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('Subject: Acme, week of 23 Mar: 1 of 2 PMs met their customer-conversation target');
    // Without digests.dashboardUrl the links point at 127.0.0.1, which only this machine opens: said once.
    expect(preview.stdout).toContain('Note: digests.dashboardUrl is not set, so digest links point at http://127.0.0.1:3000');
    expect(readFileSync(join(dir, 'out', 'exec.html'), 'utf8')).toContain('<!doctype html>');
    expect(readFileSync(join(dir, 'out', 'exec.txt'), 'utf8')).toContain('CADENCE (week of 23 Mar');

    const smtp = await startSmtp();
    try {
      const env = { SMTP_URL: smtp.url };
      const first = await runCli(['digest', 'exec', '--send'], dir, env);
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(/^Sent to cpo@acme\.example: ".*" on email \(period \d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z\)\.$/m);
      const again = await runCli(['digest', 'exec', '--send'], dir, env);
      expect(again.stdout).toContain('was sent on email already. Add --force to send it again.');
      const forced = await runCli(['digest', 'exec', '--send', '--force', '--to', 'me@acme.example'], dir, env);
      expect(forced.stdout).toContain('to me@acme.example');
      expect(smtp.received.map((r) => r.envelope.to)).toEqual([['cpo@acme.example'], ['me@acme.example']]);
      const missing = await runCli(['digest', 'exec', '--send', '--force'], dir, { SMTP_URL: '' });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('SMTP_URL is not set');
    } finally {
      await smtp.close();
    }
  });
});

test('export round-trips: the JSON holds every interview of the store with every field; the CSV is neutralised', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-export-'));
  copyFileSync('examples/demo/interviews.csv', join(dir, 'interviews.csv'));
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    readFileSync('examples/demo/touchpoint.config.yaml', 'utf8')
      .replace(/^\$schema.*$/m, '')
      .replace('path: interviews.csv', `path: ${join(dir, 'interviews.csv')}`) + `store: { path: ${join(dir, 'tp.db')} }\n`,
  );
  expect((await runCli(['sync'], dir)).code).toBe(0);
  const json = await runCli(['export', '--out', 'out'], dir);
  expect(json.code).toBe(0);
  const interviews = JSON.parse(readFileSync(join(dir, 'out', 'interviews.json'), 'utf8')) as Array<Record<string, unknown>>;
  const { Store } = await import('../../src/store/store.js');
  const store = Store.open(join(dir, 'tp.db'));
  const stored = store.interviews();
  store.close();
  expect(interviews).toHaveLength(stored.length);
  expect(interviews).toEqual(stored);
  expect(Object.keys(interviews[0]!).sort()).toEqual(Object.keys(stored[0]!).sort());
  expect(json.stdout).toMatch(new RegExp(`^Wrote ${stored.length} interviews and \\d+ findings to .*out \\(interviews\\.json, findings\\.json\\)\\.$`, 'm'));
  const csv = await runCli(['export', '--format', 'csv', '--out', 'csv'], dir);
  expect(csv.code).toBe(0);
  const text = readFileSync(join(dir, 'csv', 'interviews.csv'), 'utf8');
  expect(text.split('\n')[0]).toContain('id,source,source kind,record id,source url,title,starts at');
  expect(text.trim().split('\n').length).toBeGreaterThan(stored.length);
  const bad = await runCli(['export', '--format', 'xml'], dir);
  expect(bad.stderr.trim()).toBe('touchpoint: --format takes json or csv, not "xml".');
});
