import type { Workspace } from '../workspace.js';
import type { Secrets } from '../config/env.js';
import type { Clock } from '../model/clock.js';
import { realClock } from '../model/clock.js';
import { TouchpointError } from '../errors.js';
import { syncAll } from '../sync/all.js';
import { deliverDigest } from './run.js';
import { smtpMailer, type Mailer } from './send.js';
import type { Job } from './schedule.js';

/** The mailer for SMTP_URL, or a clear error when digests are configured without it. */
export function mailerFrom(secrets: Pick<Secrets, 'smtpUrl'>): Mailer {
  if (!secrets.smtpUrl) throw new TouchpointError('digest_failed', 'SMTP_URL is not set: put the SMTP server in the environment or .env, e.g. smtps://user:password@smtp.example.com:465 (see .env.example).');
  return smtpMailer(secrets.smtpUrl);
}

/** Everything `touchpoint serve` / `touchpoint schedule` runs on a schedule: sync, then digests. */
export function scheduledJobs(workspace: Workspace, secrets: Secrets, deps: { mailer?: Mailer; clock?: Clock; log?: (line: string) => void } = {}): Job[] {
  const config = workspace.config;
  const log = deps.log ?? (() => {});
  const clock = deps.clock ?? realClock;
  const jobs: Job[] = [];
  if (config.sync.schedule) {
    jobs.push({
      name: 'sync',
      cron: config.sync.schedule,
      run: async () => {
        const results = await syncAll(config, workspace.store, { deps: { secrets, clock } });
        for (const r of results) log(r.error ? `sync ${r.source}: failed: ${r.error.message}` : `sync ${r.source}: ${r.outcome.report.read} read, ${r.outcome.report.created} new, ${r.outcome.report.updated} updated, ${r.outcome.report.deleted} deleted`);
      },
    });
  }
  const digests = config.digests;
  if (!digests) return jobs;
  const wanted = (digests.exec?.enabled ? 1 : 0) + digests.teams.length;
  if (wanted === 0) return jobs;
  const mailer = deps.mailer ?? mailerFrom(secrets);
  if (digests.exec?.enabled) {
    const exec = digests.exec;
    jobs.push({
      name: 'digest:exec',
      cron: exec.schedule,
      run: async (period) => log(`digest exec ${period}: ${(await deliverDigest(workspace, { kind: 'exec' }, { period, to: exec.to, from: digests.from, mailer, skipWhenEmpty: exec.skipWhenEmpty, clock })).status}`),
    });
  }
  for (const team of digests.teams) {
    jobs.push({
      name: `digest:team:${team.team}`,
      cron: team.schedule,
      run: async (period) => log(`digest ${team.team} ${period}: ${(await deliverDigest(workspace, { kind: 'team', team: team.team }, { period, to: team.to, from: digests.from, mailer, skipWhenEmpty: team.skipWhenEmpty, clock })).status}`),
    });
  }
  return jobs;
}
