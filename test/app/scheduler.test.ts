import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Scheduler, previousOccurrence, type Job } from '../../src/app/scheduler.js';
import { scheduledJobs } from '../../src/app/schedules.js';
import { digestChannels } from '../../src/digest/channels.js';
import type { Secrets } from '../../src/config/env.js';
import type { Mailer } from '../../src/digest/send.js';
import { Store } from '../../src/store/store.js';
import { Workspace } from '../../src/app/workspace.js';
import { parseConfig } from '../../src/config/load.js';
import { interview } from '../helpers/interviews.js';
import { seed } from '../helpers/workspace.js';

const NO_SECRETS: Secrets = { notionToken: null, airtableToken: null, smtpUrl: null, dashboardToken: null, slackWebhooks: {} };
const HOUR = 3600_000;
const schedulers: Scheduler[] = [];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  vi.useRealTimers();
});

function recorder(cron: string) {
  const periods: string[] = [];
  const job: Job = { name: 'probe', cron, run: async (period) => void periods.push(period) };
  return { job, periods };
}

async function start(jobs: Job[], graceMs = 0) {
  const scheduler = new Scheduler(jobs, { timezone: 'Europe/Berlin', graceMs });
  schedulers.push(scheduler);
  await scheduler.start();
  return scheduler;
}

describe('scheduler', () => {
  test('fires at 08:00 local time on both sides of the daylight-saving change', async () => {
    vi.setSystemTime(new Date('2026-10-23T12:00:00.000Z')); // Friday; summer time ends Sunday 25 October
    const { job, periods } = recorder('0 8 * * *');
    await start([job]);
    await vi.advanceTimersByTimeAsync(4 * 24 * HOUR);
    expect(periods).toEqual(['2026-10-24T06:00:00.000Z', '2026-10-25T07:00:00.000Z', '2026-10-26T07:00:00.000Z', '2026-10-27T07:00:00.000Z']);
  });

  test('previousOccurrence finds the last scheduled minute, in local time', () => {
    expect(previousOccurrence('0 8 * * 1', 'Europe/Berlin', new Date('2026-11-23T09:30:00.000Z'), 24 * HOUR)?.toISOString()).toBe('2026-11-23T07:00:00.000Z');
    expect(previousOccurrence('0 8 * * 1', 'Europe/Berlin', new Date('2026-11-23T06:59:00.000Z'), 24 * HOUR)).toBeNull();
  });

  test('a run missed while down is made on start within the grace period, not after it', async () => {
    vi.setSystemTime(new Date('2026-11-23T09:00:00.000Z')); // Monday 10:00 in Berlin, two hours after 08:00
    const within = recorder('0 8 * * 1');
    await start([within.job], 12 * HOUR);
    expect(within.periods).toEqual(['2026-11-23T07:00:00.000Z']);
    const late = recorder('0 8 * * 1');
    await start([late.job], 1 * HOUR);
    expect(late.periods).toEqual([]);
  });

  test('a job still running is not started again', async () => {
    vi.setSystemTime(new Date('2026-11-23T10:00:30.000Z'));
    let runs = 0;
    let release: () => void = () => {};
    const job: Job = { name: 'slow', cron: '* * * * *', run: () => ((runs += 1), new Promise<void>((resolve) => (release = resolve))) };
    await start([job]);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(runs).toBe(1);
    release();
  });
});

describe('digests on schedule', () => {
  const config = parseConfig({
    timezone: 'Europe/Berlin',
    asOf: '2026-11-20',
    organisation: 'Acme',
    roster: [{ name: 'Pat Lee', email: 'pat@co.example', role: 'pm', team: 'Core' }],
    digests: { graceHours: 12, exec: { to: ['cpo@acme.example'], schedule: '0 8 * * 1' } },
  });
  const path = () => join(mkdtempSync(join(tmpdir(), 'tp-digest-')), 'touchpoint.db');

  function fakeMailer(failures = 0) {
    const sent: string[] = [];
    let left = failures;
    const mailer: Mailer = {
      async send(message) {
        if (left > 0) {
          left -= 1;
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        }
        sent.push(message.subject);
        return { messageId: `<${sent.length}@test>` };
      },
    };
    return { mailer, sent };
  }

  function boot(storePath: string, mailer: Mailer) {
    const store = Store.open(storePath);
    const workspace = new Workspace(config, store);
    const log: string[] = [];
    const jobs = scheduledJobs(workspace, NO_SECRETS, {
      channels: digestChannels(NO_SECRETS, { mailer: () => mailer }),
      clock: { now: () => Date.now(), sleep: async () => {} },
      log: (l) => log.push(l),
    });
    return { store, jobs, log, scheduler: new Scheduler(jobs, { timezone: config.timezone, graceMs: 12 * HOUR, log: (l) => log.push(l) }) };
  }

  test('sends at Monday 08:00 local, and a restart does not send the same week again', async () => {
    const storePath = path();
    seed(Store.open(storePath), [
      interview({
        id: 'notes:1',
        startsAt: '2026-11-17T10:00:00.000Z',
        interviewers: [{ key: 'pat@co.example', name: 'Pat', email: 'pat@co.example', onRoster: true }],
      }),
    ]);
    vi.setSystemTime(new Date('2026-11-23T06:58:00.000Z'));
    const { mailer, sent } = fakeMailer();
    const first = boot(storePath, mailer);
    schedulers.push(first.scheduler);
    await first.scheduler.start();
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(sent).toEqual(['Acme, week of 16 Nov: 0 of 1 PMs met their customer-conversation target']);
    await first.scheduler.stop();
    first.store.close();

    vi.setSystemTime(new Date('2026-11-23T07:30:00.000Z')); // restarted half an hour later, within the grace period
    const second = boot(storePath, mailer);
    schedulers.push(second.scheduler);
    await second.scheduler.start();
    expect(sent).toHaveLength(1);
    expect(second.log).toEqual(['digest exec 2026-11-23T07:00:00.000Z: email already']);
    expect(second.store.digestLog()).toMatchObject([{ digest: 'exec', period: '2026-11-23T07:00:00.000Z', status: 'sent' }]);
  });

  test('SMTP down: retried, reported, the period not marked sent; the next start sends it', async () => {
    const storePath = path();
    vi.setSystemTime(new Date('2026-11-23T07:05:00.000Z'));
    const down = fakeMailer(3);
    const first = boot(storePath, down.mailer);
    schedulers.push(first.scheduler);
    await first.scheduler.start();
    expect(down.sent).toEqual([]);
    expect(first.log[0]).toMatch(
      /^digest:exec 2026-11-23T07:00:00\.000Z: The exec digest for 2026-11-23T07:00:00\.000Z was not sent on email after 3 attempts: ECONNREFUSED/,
    );
    expect(first.store.digestLog()).toMatchObject([{ status: 'failed', attempts: 1, detail: 'ECONNREFUSED' }]);
    await first.scheduler.stop();
    first.store.close();

    const up = fakeMailer();
    const second = boot(storePath, up.mailer);
    schedulers.push(second.scheduler);
    await second.scheduler.start();
    expect(up.sent).toHaveLength(1);
    expect(second.store.digestLog()).toMatchObject([{ status: 'sent', attempts: 2 }]);
  });

  test('digests configured without SMTP_URL say what to set', () => {
    const workspace = new Workspace(config, Store.open(':memory:'));
    expect(() => scheduledJobs(workspace, NO_SECRETS, { channels: digestChannels(NO_SECRETS) })).toThrow(
      expect.objectContaining({ code: 'digest_failed', message: expect.stringContaining('SMTP_URL is not set') }),
    );
  });
});

describe('a service outlives its jobs', () => {
  test('a job that throws is logged, the service says degraded, and the next slot runs', async () => {
    vi.setSystemTime(new Date('2026-11-23T08:59:30+01:00'));
    let calls = 0;
    const log: string[] = [];
    const failing: Job = {
      name: 'sync',
      cron: '* * * * *',
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('Notion answered 500');
      },
    };
    const scheduler = new Scheduler([failing], { timezone: 'Europe/Berlin', graceMs: 0, log: (l) => log.push(l) });
    schedulers.push(scheduler);
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(log).toEqual([expect.stringMatching(/^sync 2026-11-23T08:00:00\.000Z: Notion answered 500$/)]);
    expect(scheduler.state()).toMatchObject({ status: 'degraded', jobs: [{ name: 'sync', running: false, lastError: 'Notion answered 500' }] });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(2);
    expect(scheduler.state()).toMatchObject({ status: 'ok', jobs: [{ lastError: null }] });
  });

  test('a job that hangs past its deadline is given up on, and the next slot runs', async () => {
    vi.setSystemTime(new Date('2026-11-23T08:59:30+01:00'));
    const started: string[] = [];
    const log: string[] = [];
    const hanging: Job = { name: 'sync', cron: '*/5 * * * *', deadlineMs: 2 * 60_000, run: (period) => (started.push(period), new Promise(() => {})) };
    const scheduler = new Scheduler([hanging], { timezone: 'Europe/Berlin', graceMs: 0, log: (l) => log.push(l) });
    schedulers.push(scheduler);
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000); // 09:00: starts, hangs
    expect(scheduler.state().jobs[0]).toMatchObject({ running: true, since: expect.any(String) });
    await vi.advanceTimersByTimeAsync(2 * 60_000); // past its deadline
    expect(scheduler.state()).toMatchObject({
      status: 'degraded',
      jobs: [{ running: false, lastError: expect.stringContaining('did not finish within 2 min') }],
    });
    await vi.advanceTimersByTimeAsync(3 * 60_000); // 09:05: the next slot runs
    expect(started).toEqual(['2026-11-23T08:00:00.000Z', '2026-11-23T08:05:00.000Z']);
  });

  test('a run still going at its next slot is reported, and that slot skipped', async () => {
    vi.setSystemTime(new Date('2026-11-23T08:59:30+01:00'));
    let release: () => void = () => {};
    const slow: Job = { name: 'sync', cron: '* * * * *', deadlineMs: 10 * 60_000, run: () => new Promise<void>((resolve) => (release = resolve)) };
    const scheduler = new Scheduler([slow], { timezone: 'Europe/Berlin', graceMs: 0 });
    schedulers.push(scheduler);
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(scheduler.state()).toMatchObject({ status: 'degraded', jobs: [{ running: true, lastError: expect.stringContaining('still running since') }] });
    release();
  });
});
