import { afterEach, describe, expect, test } from 'vitest';
import { deliverDigest } from '../../src/app/digests.js';
import { emailChannel } from '../../src/digest/email.js';
import { smtpMailer } from '../../src/digest/send.js';
import type { Clock } from '../../src/model/clock.js';
import { interview, person } from '../helpers/interviews.js';
import { workspaceWith } from '../helpers/workspace.js';
import { startSmtp } from '../helpers/smtp.js';

const XSS = '<img src=x onerror=alert(1)>';
const config = {
  organisation: 'Acme',
  asOf: '2026-04-01',
  roster: [
    { name: 'Pat Lee', email: 'pat@co.example', role: 'pm', team: 'Core' },
    { name: 'Kim Ortiz', email: 'kim@co.example', role: 'pm', team: 'Core' },
  ],
  digests: { from: 'touchpoint <tp@acme.example>', dashboardUrl: 'https://tp.acme.example', exec: { to: ['cpo@acme.example', 'vp@acme.example'] } },
};
const data = [
  interview({
    id: 'notes:1',
    startsAt: '2026-03-24T10:00:00.000Z',
    durationMinutes: 120,
    title: XSS,
    tldr: 'They want SSO.',
    nugget: `"${XSS}"`,
    account: 'Acme',
    notesUrl: 'https://docs.example/1',
  }),
  interview({
    id: 'notes:2',
    startsAt: '2026-03-25T10:00:00.000Z',
    interviewers: [person('kim@co.example')],
    title: 'Birch check-in',
    followUps: { due: '2026-03-26', done: false },
    notesUrl: 'https://docs.example/2',
  }),
];
const noWait: Clock = { now: () => Date.now(), sleep: async () => {} };
const period = '2026-03-30T06:00:00.000Z';

let smtp: Awaited<ReturnType<typeof startSmtp>> | null = null;
afterEach(async () => {
  await smtp?.close();
  smtp = null;
});

describe('sending digests over SMTP', () => {
  test('the exec digest arrives with subject, recipients, both parts, escaped values and links', async () => {
    smtp = await startSmtp();
    const workspace = workspaceWith({ config, interviews: data });
    const result = await deliverDigest(
      workspace,
      { kind: 'exec' },
      {
        period,
        channel: emailChannel(smtpMailer(smtp.url), { from: config.digests.from, to: config.digests.exec.to }),
        skipWhenEmpty: false,
        clock: noWait,
        asOf: '2026-04-01',
      },
    );
    expect(result.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    const { envelope, mail } = smtp.received[0]!;
    expect(envelope).toEqual({ from: 'tp@acme.example', to: ['cpo@acme.example', 'vp@acme.example'] });
    expect(mail.subject).toBe('Acme, week of 23 Mar: 1 of 2 PMs met their customer-conversation target');
    expect(mail.from?.value).toEqual([{ name: 'touchpoint', address: 'tp@acme.example' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('cpo@acme.example, vp@acme.example');
    expect(mail.text).toContain('1 of 2 PMs met the target of 2 h a week in the week of 23 Mar');
    expect(mail.text).toContain('https://docs.example/2');
    const html = String(mail.html);
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('href="https://docs.example/2"');
    expect(html).toContain('href="https://tp.acme.example"');
    expect(workspace.store.digestLog()).toMatchObject([
      { digest: 'exec', period, status: 'sent', attempts: 1, detail: expect.stringMatching(/^to cpo@acme.example, vp@acme.example: "Acme, week of 23 Mar: /) },
    ]);
  });

  test('the same period is never sent twice, unless forced', async () => {
    smtp = await startSmtp();
    const workspace = workspaceWith({ config, interviews: data });
    const send = (force = false) =>
      deliverDigest(
        workspace,
        { kind: 'exec' },
        {
          period,
          channel: emailChannel(smtpMailer(smtp!.url), { from: 'tp@acme.example', to: ['cpo@acme.example'] }),
          skipWhenEmpty: false,
          force,
          clock: noWait,
        },
      );
    expect((await send()).status).toBe('sent');
    expect((await send()).status).toBe('already');
    expect((await send(true)).status).toBe('sent');
    expect(smtp.received).toHaveLength(2);
  });

  test('an SMTP failure is retried; after three failures the period stays unsent and the error says why', async () => {
    smtp = await startSmtp();
    const workspace = workspaceWith({ config, interviews: data });
    const sleeps: number[] = [];
    const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) };
    const send = () =>
      deliverDigest(
        workspace,
        { kind: 'exec' },
        { period, channel: emailChannel(smtpMailer(smtp!.url), { from: 'tp@acme.example', to: ['cpo@acme.example'] }), skipWhenEmpty: false, clock },
      );

    smtp.failNext(2);
    expect((await send()).status).toBe('sent');
    expect(sleeps).toEqual([2000, 8000]);
    expect(smtp.received).toHaveLength(1);

    const second = '2026-04-06T06:00:00.000Z';
    smtp.failNext(3);
    await expect(
      deliverDigest(
        workspace,
        { kind: 'exec' },
        { period: second, channel: emailChannel(smtpMailer(smtp.url), { from: 'tp@acme.example', to: ['cpo@acme.example'] }), skipWhenEmpty: false, clock },
      ),
    ).rejects.toMatchObject({
      code: 'digest_failed',
      message: expect.stringContaining('was not sent on email after 3 attempts: SMTP 451'),
    });
    expect(workspace.store.digestLog().find((e) => e.period === second)).toMatchObject({ status: 'failed', attempts: 1 });
    const retried = await deliverDigest(
      workspace,
      { kind: 'exec' },
      { period: second, channel: emailChannel(smtpMailer(smtp.url), { from: 'tp@acme.example', to: ['cpo@acme.example'] }), skipWhenEmpty: false, clock },
    );
    expect(retried.status).toBe('sent');
    expect(workspace.store.digestLog().find((e) => e.period === second)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  test('a team digest with nothing new is skipped when configured so, and logged', async () => {
    smtp = await startSmtp();
    const workspace = workspaceWith({ config, interviews: [] });
    const result = await deliverDigest(
      workspace,
      { kind: 'team', team: 'Core' },
      { period, channel: emailChannel(smtpMailer(smtp.url), { from: 'tp@acme.example', to: ['core@acme.example'] }), skipWhenEmpty: true, clock: noWait },
    );
    expect(result.status).toBe('skipped');
    expect(smtp.received).toHaveLength(0);
    expect(workspace.store.digestLog()).toMatchObject([{ digest: 'team:Core', status: 'skipped', detail: 'nothing new' }]);
  });
});
