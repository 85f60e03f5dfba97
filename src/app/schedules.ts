import type { Workspace } from './workspace.js';
import type { Secrets } from '../config/env.js';
import { realClock, type Clock } from '../model/clock.js';
import { syncAll } from './sync.js';
import { deliverDigest, type DigestRenderer, type Mailer } from './digests.js';
import type { Job } from './scheduler.js';

export interface ScheduleDeps {
  /** The mail transport, made only when a digest is scheduled (SMTP_URL may be unset otherwise). */
  mailer: () => Mailer;
  render: DigestRenderer;
  clock?: Clock;
  log?: (line: string) => void;
}

/**
 * Everything `touchpoint serve` and `touchpoint schedule` run on a schedule: `sync.schedule`
 * (every source), then each configured digest. This is where the schedules are wired.
 */
export function scheduledJobs(workspace: Workspace, secrets: Secrets, deps: ScheduleDeps): Job[] {
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
        for (const r of results)
          log(
            r.error
              ? `sync ${r.source}: failed: ${r.error.message}`
              : `sync ${r.source}: ${r.outcome.report.read} read, ${r.outcome.report.created} new, ${r.outcome.report.updated} updated, ${r.outcome.report.deleted} deleted`,
          );
      },
    });
  }
  const digests = config.digests;
  if (!digests || (!digests.exec?.enabled && digests.teams.length === 0)) return jobs;
  const mailer = deps.mailer();
  const base = { from: digests.from, mailer, render: deps.render, clock };
  if (digests.exec?.enabled) {
    const exec = digests.exec;
    jobs.push({
      name: 'digest:exec',
      cron: exec.schedule,
      run: async (period) =>
        log(
          `digest exec ${period}: ${(await deliverDigest(workspace, { kind: 'exec' }, { ...base, period, to: exec.to, skipWhenEmpty: exec.skipWhenEmpty })).status}`,
        ),
    });
  }
  for (const team of digests.teams) {
    jobs.push({
      name: `digest:team:${team.team}`,
      cron: team.schedule,
      run: async (period) =>
        log(
          `digest ${team.team} ${period}: ${(await deliverDigest(workspace, { kind: 'team', team: team.team }, { ...base, period, to: team.to, skipWhenEmpty: team.skipWhenEmpty })).status}`,
        ),
    });
  }
  return jobs;
}
