import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSmtp } from '../helpers/smtp.js';
import { startSlack } from '../fakes/slack.js';

/**
 * `touchpoint run --once` as cron would run it: sync, send what is due over real SMTP (loopback)
 * and a loopback Slack webhook, exit 0; again at once: nothing sent, exit 0; with a source
 * failing: exit 1, and still nothing sent twice.
 */
test('run --once syncs, sends each due digest once per channel, and says when a source failed', async () => {
  const smtp = await startSmtp();
  const slack = await startSlack();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'tp-once-'));
    const csv = join(dir, 'interviews.csv');
    writeFileSync(csv, 'Name,ID,Date,Interviewer,Duration\nAcme,R1,2026-03-24,Pat Lee,120\nBirch,R2,2026-03-25,Kim Ortiz,60\n');
    // Daily at midnight with two days of grace: a slot is always due, and the same one all day.
    writeFileSync(
      join(dir, 'touchpoint.config.yaml'),
      `timezone: Europe/Berlin
organisation: Acme
asOf: 2026-04-01
roster:
  - { name: Pat Lee, email: pat@co.example, role: pm, team: Core }
  - { name: Kim Ortiz, email: kim@co.example, role: pm, team: Core }
digests:
  from: tp@acme.example
  graceHours: 48
  exec: { schedule: '0 0 * * *', to: [cpo@acme.example], slack: SLACK_WEBHOOK_URL }
  teams: [{ team: Core, schedule: '0 0 * * *', slack: SLACK_WEBHOOK_CORE, skipWhenEmpty: false }]
sources:
  - name: notes
    kind: csv
    path: interviews.csv
    mapping: { id: ID, title: Name, startsAt: Date, interviewers: Interviewer, durationMinutes: Duration }
`,
    );
    const env = { SMTP_URL: smtp.url, SLACK_WEBHOOK_URL: slack.url, SLACK_WEBHOOK_CORE: `${slack.url}/core` };

    const first = await runCli(['run', '--once'], dir, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^sync notes: full, 2 read, 2 new, 0 updated, 0 deleted$/m);
    expect(first.stdout).toMatch(/^digest exec \S+T\S+Z: email sent, slack:SLACK_WEBHOOK_URL sent$/m);
    expect(first.stdout).toMatch(/^digest team:Core \S+Z: slack:SLACK_WEBHOOK_CORE sent$/m);
    expect(smtp.received.map((r) => r.envelope.to)).toEqual([['cpo@acme.example']]);
    expect(slack.posts.map((p) => p.path.endsWith('/core'))).toEqual([false, true]);

    const again = await runCli(['run', '--once'], dir, env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^digest exec \S+Z: email already, slack:SLACK_WEBHOOK_URL already$/m);
    expect(smtp.received).toHaveLength(1);
    expect(slack.posts).toHaveLength(2);

    rmSync(csv);
    const broken = await runCli(['run', '--once'], dir, env);
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim()).toMatch(/^sync notes: failed, previous data kept: Source "notes": cannot read .*interviews\.csv \(ENOENT\)/);
    expect(broken.stdout).toMatch(/^digest team:Core \S+Z: slack:SLACK_WEBHOOK_CORE already$/m);
    expect([smtp.received.length, slack.posts.length]).toEqual([1, 2]);

    // The secrets in the environment appear in no output.
    for (const out of [first, again, broken]) expect(out.stdout + out.stderr).not.toMatch(/SECRET|xoxSecret|smtp:\/\//);
  } finally {
    await smtp.close();
    await slack.close();
  }
});

test('run without --once says what it is for', async () => {
  const result = await runCli(['run'], mkdtempSync(join(tmpdir(), 'tp-once-')));
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toMatch(/^touchpoint: touchpoint run needs --once: it syncs, sends the digests that are due, and exits/);
});
