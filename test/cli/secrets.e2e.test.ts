import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli, startCli, type CliResult } from '../helpers/cli.js';
import { FakeNotion, IDS } from '../fakes/notion.js';
import { BASE_ID, FakeAirtable } from '../fakes/airtable.js';
import { serveOnLoopback } from '../fakes/serve.js';
import { startSlack } from '../fakes/slack.js';
import { startSmtp } from '../helpers/smtp.js';

/**
 * Distinctive secrets in every variable; then every command, page, export, API answer, digest
 * preview, server log line, the store file and every file beside it (WAL, kept view) are searched
 * for them, plain, URL-encoded and as the password inside a URL.
 */
test('planted secrets appear in no output, page, export, digest, log or store', async ({ onTestFinished }) => {
  const notion = await serveOnLoopback(new FakeNotion().handlers(''));
  const airtable = await serveOnLoopback(new FakeAirtable().handlers(''));
  const slack = await startSlack();
  const smtp = await startSmtp();
  onTestFinished(async () => {
    await notion.close();
    await airtable.close();
    await slack.close();
    await smtp.close();
  });
  const PASSWORD = 'PLANTED/smtp@pass';
  const secrets = {
    NOTION_TOKEN: 'ntn_PLANTED-notion-token-7Qx9Zz',
    AIRTABLE_TOKEN: 'patPLANTEDairtable.3f9a8b7c6d',
    SMTP_URL: smtp.url.replace('smtp://', `smtp://planted-user:${encodeURIComponent(PASSWORD)}@`),
    SLACK_WEBHOOK_URL: slack.url,
    DASHBOARD_TOKEN: 'PLANTED-dashboard-token-0123456789abcdef',
  };
  const forms = [
    ...Object.values(secrets),
    ...Object.values(secrets).map(encodeURIComponent),
    PASSWORD,
    encodeURIComponent(PASSWORD),
    new URL(slack.url).pathname,
  ];

  const dir = mkdtempSync(join(tmpdir(), 'tp-secrets-'));
  writeFileSync(join(dir, 'interviews.csv'), 'Name,ID,Date,Interviewer,Duration\nAcme,R1,2026-03-24,Pat Lee,120\nBirch,R2,2026-03-25,Pat Lee,30\n');
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `timezone: Europe/Berlin
organisation: Acme
asOf: 2026-04-01
roster:
  - { name: Pat Lee, email: pat@co.example, role: pm, team: Core }
store: { path: ./tp.db }
digests:
  from: tp@acme.example
  graceHours: 48
  exec: { schedule: '0 0 * * *', to: [cpo@acme.example], slack: SLACK_WEBHOOK_URL }
sources:
  - name: notes
    kind: csv
    path: interviews.csv
    mapping: { id: ID, title: Name, startsAt: Date, interviewers: Interviewer, durationMinutes: Duration }
  - name: wiki
    kind: notion
    database: ${IDS.database_url}
    apiBaseUrl: ${notion.url}
    maxRetries: 0
    mapping: { title: Name, startsAt: Date }
  - name: base
    kind: airtable
    baseId: ${BASE_ID}
    table: Interviews
    endpointUrl: ${airtable.url}
    maxRetries: 0
    mapping: { title: Name, startsAt: Date }
`,
  );

  const outputs: Array<[string, string]> = [];
  const run = async (args: string[], env: Record<string, string> = secrets): Promise<CliResult> => {
    const result = await runCli(args, dir, env);
    outputs.push([args.join(' '), result.stdout + result.stderr]);
    return result;
  };
  // The API sources reject these tokens (401): error paths are where secrets leak.
  expect((await run(['sync', '--verbose'])).stderr).toContain('Notion rejected the token (401)');
  await run(['doctor']);
  await run(['metrics']);
  await run(['metrics', '--json']);
  await run(['digest', 'exec', '--preview', 'preview']);
  expect((await run(['digest', 'exec', '--send'])).code).toBe(0);
  expect(smtp.received).toHaveLength(1);
  await run(['run', '--once']);
  // A malformed SMTP_URL: nodemailer's own error would print it whole.
  const badUrl = { ...secrets, SMTP_URL: 'smtp://planted-user:PLANTEDbadUrlPass@bad host:25' };
  forms.push(badUrl.SMTP_URL, 'PLANTEDbadUrlPass');
  expect((await run(['digest', 'exec', '--send', '--force'], badUrl)).stderr).toContain('SMTP_URL is not a valid URL (its value is not shown)');

  // The dashboard: pages, exports, the API, a failed sign-in (logged), and its log.
  const { child, match, output } = await startCli(['serve', '--port', '0'], dir, /Dashboard: (http:\/\/127\.0\.0\.1:\d+)/, secrets);
  onTestFinished(() => void child.kill());
  const base = match[1]!;
  const auth = { authorization: `Bearer ${secrets.DASHBOARD_TOKEN}` };
  const bodies: Array<[string, string]> = [];
  for (const path of [
    '/',
    '/people',
    '/coverage',
    '/data-quality',
    '/sync',
    '/digests',
    '/digests/exec',
    '/api/v1/overview',
    '/api/v1/sync',
    '/export/findings.csv',
    '/export/runs.csv',
    '/export/interviews.csv',
    '/export/conversations.csv?window=all&callType=all',
    '/healthz',
  ]) {
    const res = await fetch(`${base}${path}`, { headers: auth });
    bodies.push([path, await res.text()]);
  }
  await fetch(`${base}/api/v1/overview`, { headers: { authorization: `Bearer ${secrets.DASHBOARD_TOKEN}-wrong` } });
  await fetch(`${base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(secrets.DASHBOARD_TOKEN.slice(0, -1))}&next=/`,
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  outputs.push(['serve', output()]);

  const previews = readdirSync(join(dir, 'preview')).map((f): [string, string] => [`preview/${f}`, readFileSync(join(dir, 'preview', f), 'utf8')]);
  // The store and every file beside it (its WAL, the dashboard's kept first view).
  const stored = readdirSync(dir)
    .filter((f) => f.startsWith('tp.db'))
    .map((f): [string, string] => [f, readFileSync(join(dir, f)).toString('latin1')]);
  expect(stored.map(([f]) => f)).toEqual(expect.arrayContaining(['tp.db', 'tp.db-view.json']));
  const everything = [...outputs, ...bodies, ...previews, ...stored];
  expect(everything.length).toBeGreaterThan(20);
  for (const [where, text] of everything) {
    for (const secret of forms) expect(text.includes(secret), `${where} holds ${secret}`).toBe(false);
  }
  // The sweep looked at real content: the pages rendered and the failures were reported.
  expect(bodies.find(([p]) => p === '/')![1]).toContain('Are we talking to customers?');
  expect(outputs.find(([c]) => c === 'serve')![1]).toMatch(/bearer token failed from/);
});
