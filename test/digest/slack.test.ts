import { afterEach, describe, expect, test } from 'vitest';
import { deliverDigest, digestContent } from '../../src/app/digests.js';
import { slackChannel, slackMessages } from '../../src/digest/slack.js';
import { emailChannel } from '../../src/digest/email.js';
import { syncAll } from '../../src/app/sync.js';
import { Workspace } from '../../src/app/workspace.js';
import { loadConfig } from '../../src/config/load.js';
import { Store } from '../../src/store/store.js';
import type { Clock } from '../../src/model/clock.js';
import type { Mailer } from '../../src/app/digests.js';
import { interview, person } from '../helpers/interviews.js';
import { workspaceWith } from '../helpers/workspace.js';
import { blockKitProblems, startSlack, type FakeSlack } from '../fakes/slack.js';

const config = {
  organisation: 'Acme',
  asOf: '2026-04-01',
  roster: [
    { name: 'Pat Lee', email: 'pat@co.example', role: 'pm', team: 'Core' },
    { name: 'Kim Ortiz', email: 'kim@co.example', role: 'pm', team: 'Core' },
  ],
  digests: { dashboardUrl: 'https://tp.acme.example', exec: { slack: 'SLACK_WEBHOOK_URL' }, teams: [{ team: 'Core', slack: 'SLACK_WEBHOOK_CORE' }] },
};

const conversation = (i: number, overrides: Parameters<typeof interview>[0] = {}) =>
  interview({
    id: `notes:${i}`,
    startsAt: `2026-03-${String(25 + (i % 6)).padStart(2, '0')}T10:00:00.000Z`,
    interviewers: [person(i % 2 ? 'pat@co.example' : 'kim@co.example')],
    title: `Call ${i}`,
    tldr: `Heard thing ${i}.`,
    account: `Account ${i}`,
    notesUrl: `https://docs.example/${i}`,
    nugget: i === 1 ? 'We would pay for SSO.' : null,
    ...overrides,
  });

function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) };
}

let slack: FakeSlack | null = null;
afterEach(async () => {
  await slack?.close();
  slack = null;
});

const period = '2026-03-30T07:00:00.000Z';

describe('digests on Slack', () => {
  test('the exec digest arrives as one valid Block Kit message: headline, cadence, gaps, quotes, the dashboard', async () => {
    slack = await startSlack();
    const workspace = workspaceWith({ config, interviews: [conversation(1), conversation(2)] });
    const result = await deliverDigest(
      workspace,
      { kind: 'exec' },
      { period, channel: slackChannel('SLACK_WEBHOOK_URL', slack.url), skipWhenEmpty: false, clock: recordingClock(), asOf: '2026-04-01' },
    );
    expect(result).toMatchObject({ status: 'sent', messages: 1 });
    expect(slack.posts).toHaveLength(1);
    const post = slack.posts[0]!.body;
    expect(blockKitProblems(post)).toEqual([]);
    const text = JSON.stringify(post.blocks);
    expect(post.text).toMatch(/^Acme: \d of 2 PMs met their customer-conversation target in the week of 23 Mar$/);
    expect(text).toContain('We would pay for SSO.');
    expect(text).toContain('<https://tp.acme.example|Open the dashboard>');
    expect(workspace.store.digestLog()).toMatchObject([{ digest: 'exec@slack:SLACK_WEBHOOK_URL', period, status: 'sent' }]);
  });

  test('a long team digest is split into messages of at most 40 conversations, a second apart', async () => {
    slack = await startSlack();
    const workspace = workspaceWith({ config, interviews: Array.from({ length: 90 }, (_, i) => conversation(i + 1)) });
    const clock = recordingClock();
    const result = await deliverDigest(
      workspace,
      { kind: 'team', team: 'Core' },
      { period, channel: slackChannel('SLACK_WEBHOOK_CORE', slack.url), skipWhenEmpty: true, clock, asOf: '2026-04-01' },
    );
    expect(result).toMatchObject({ status: 'sent', messages: 3 });
    expect(slack.posts.map((p) => p.body.blocks!.filter((b) => b['type'] === 'section').length)).toEqual([40, 40, 10]);
    expect(slack.posts.map((p) => p.body.text)).toEqual(
      [1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^Core: 90 new customer conversations since .* \\(${n} of 3\\)$`))),
    );
    for (const p of slack.posts) expect(blockKitProblems(p.body)).toEqual([]);
    expect(clock.sleeps).toEqual([1100, 1100]);
  });

  test('a 429 waits as long as Retry-After says, then posts; a 500 backs off', async () => {
    slack = await startSlack();
    slack.script.push({ status: 429, retryAfter: 3 }, { status: 500 });
    const clock = recordingClock();
    const workspace = workspaceWith({ config, interviews: [conversation(1)] });
    const result = await deliverDigest(
      workspace,
      { kind: 'exec' },
      { period, channel: slackChannel('SLACK_WEBHOOK_URL', slack.url), skipWhenEmpty: false, clock },
    );
    expect(result.status).toBe('sent');
    expect(clock.sleeps).toEqual([3000, 8000]);
    expect(slack.posts).toHaveLength(1);
  });

  test('invalid_payload fails at once, says so without the webhook URL, and leaves the period unsent', async () => {
    slack = await startSlack();
    slack.script.push({ status: 400, body: 'invalid_payload' });
    const workspace = workspaceWith({ config, interviews: [conversation(1)] });
    const clock = recordingClock();
    const error = await deliverDigest(
      workspace,
      { kind: 'exec' },
      { period, channel: slackChannel('SLACK_WEBHOOK_URL', slack.url), skipWhenEmpty: false, clock },
    ).catch((e: Error) => e);
    expect(error).toMatchObject({
      code: 'digest_failed',
      message: expect.stringContaining('was not sent on slack:SLACK_WEBHOOK_URL after 1 attempt: Slack answered 400 invalid_payload'),
    });
    expect((error as Error).message).not.toContain('SECRET');
    expect(clock.sleeps).toEqual([]);
    expect(workspace.store.digestLog()).toMatchObject([{ status: 'failed' }]);
  });

  test('sent once per period and channel, across restarts', async () => {
    slack = await startSlack();
    const store = Store.open(':memory:');
    const first = workspaceWith({ config, interviews: [conversation(1)], store });
    const send = (ws: Workspace) =>
      deliverDigest(ws, { kind: 'exec' }, { period, channel: slackChannel('SLACK_WEBHOOK_URL', slack!.url), skipWhenEmpty: false, clock: recordingClock() });
    expect((await send(first)).status).toBe('sent');
    const restarted = new Workspace(first.config, store);
    expect((await send(restarted)).status).toBe('already');
    // E-mail is another channel with its own entry in the send log.
    const mails: string[] = [];
    const mailer: Mailer = { send: async (m) => (mails.push(m.subject), { messageId: 'x' }) };
    expect(
      (
        await deliverDigest(
          restarted,
          { kind: 'exec' },
          { period, channel: emailChannel(mailer, { from: 'tp@acme.example', to: ['cpo@acme.example'] }), skipWhenEmpty: false, clock: recordingClock() },
        )
      ).status,
    ).toBe('sent');
    expect(slack.posts).toHaveLength(1);
    expect(mails).toHaveLength(1);
  });

  test.each([
    ['a channel mention', '<!channel> read this', '&lt;!channel&gt; read this'],
    ['a link in disguise', '<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['a user mention and an ampersand', 'Ask <@U123> & co', 'Ask &lt;@U123&gt; &amp; co'],
  ])('%s from a source arrives inert', async (_name, value, escaped) => {
    slack = await startSlack();
    const workspace = workspaceWith({ config, interviews: [conversation(1, { title: value, tldr: value, notesUrl: 'javascript:alert(1)' })] });
    await deliverDigest(
      workspace,
      { kind: 'team', team: 'Core' },
      { period, channel: slackChannel('SLACK_WEBHOOK_CORE', slack.url), skipWhenEmpty: false, clock: recordingClock(), asOf: '2026-04-01' },
    );
    const posted = JSON.stringify(slack.posts[0]!.body);
    expect(posted).toContain(escaped);
    expect(posted).not.toContain(value);
    expect(posted).not.toContain('javascript:');
  });
});

describe('privacy in broadcasts', () => {
  test('with redact: participants, no participant name or e-mail of the demo appears in any team digest, by e-mail or Slack', async () => {
    const { config: demo } = loadConfig('examples/demo/touchpoint.config.yaml');
    const store = Store.open(':memory:');
    await syncAll(demo, store);
    const workspace = new Workspace(demo, store, { demo: true });
    expect(demo.digests.redact).toBe('participants');
    const participants = new Set(workspace.interviews().flatMap((i) => [i.participant.name, i.participant.email].filter((x): x is string => Boolean(x))));
    expect(participants.size).toBeGreaterThan(20);
    // The demo's notes do name participants (every fourth tl;dr or quote), so there is something to hide.
    expect(workspace.interviews().filter((i) => i.participant.name && i.tldr?.includes(i.participant.name)).length).toBeGreaterThan(20);
    const { renderDigest } = await import('../../src/digest/compose.js');
    for (const team of workspace.teams()) {
      // A month of news, so every recent conversation is listed.
      const content = digestContent(workspace, { kind: 'team', team }, { since: '2026-10-20' });
      expect(content.kind === 'team' && content.conversations.length).toBeGreaterThan(0);
      const rendered = [JSON.stringify(slackMessages(content)), renderDigest(content).html, renderDigest(content).text].join('\n');
      for (const p of participants) expect(rendered.toLowerCase(), `${team}: ${p}`).not.toContain(p.toLowerCase());
    }
    // The exec e-mail goes to executives and keeps its quotes as written; on Slack it is a broadcast.
    const slackExec = JSON.stringify(slackMessages(digestContent(workspace, { kind: 'exec' }, { broadcast: true })));
    for (const p of participants) expect(slackExec.toLowerCase()).not.toContain(p.toLowerCase());
  });

  test('redact: accounts also leaves out account names; none keeps everything', () => {
    const data = [
      conversation(1, {
        participant: { name: 'Jane Doe', email: 'jane@client.example', role: 'CFO' },
        tldr: 'Jane Doe (jane@client.example) at Account 1 wants SSO.',
      }),
    ];
    const team = (redact: 'participants' | 'accounts' | 'none') => {
      const ws = workspaceWith({ config: { ...config, digests: { ...config.digests, redact } }, interviews: data });
      return JSON.stringify(slackMessages(digestContent(ws, { kind: 'team', team: 'Core' }, { since: '2026-03-01' })));
    };
    expect(team('participants')).toContain('the participant (e-mail withheld) at Account 1 wants SSO.');
    expect(team('participants')).not.toMatch(/Jane|jane@/);
    expect(team('accounts')).toContain('the participant (e-mail withheld) at an account wants SSO.');
    expect(team('accounts')).not.toContain('Account 1');
    expect(team('none')).toContain('Jane Doe (jane@client.example) at Account 1 wants SSO.');
  });
});
