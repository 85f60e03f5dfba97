import type { Workspace } from './workspace.js';
import type { Config } from '../config/schema.js';
import type { Secrets } from '../config/env.js';
import { realClock, type Clock } from '../model/clock.js';
import { syncAll } from './sync.js';
import { canSyncInThread, syncInThread } from './sync-thread.js';
import { deliverDigest, type DeliverResult, type DigestChannel, type DigestKind } from './digests.js';
import type { Job } from './scheduler.js';

/** Where one configured digest goes: e-mail recipients and/or a Slack webhook variable. */
export interface DigestTarget {
  from: string;
  to?: string[] | undefined;
  slack?: string | undefined;
}

export interface ScheduleDeps {
  /** The channels of a digest, built by the surface (digest/channels.ts): this layer sends nothing itself. */
  channels: (target: DigestTarget) => DigestChannel[];
  clock?: Clock;
  log?: (line: string) => void;
}

/** One configured digest: which, when, where, and whether to skip an empty one. */
export interface ScheduledDigest {
  kind: DigestKind;
  cron: string;
  target: DigestTarget;
  skipWhenEmpty: boolean;
}

/** Every digest the config schedules, exec first. */
export function scheduledDigests(config: Config): ScheduledDigest[] {
  const d = config.digests;
  const out: ScheduledDigest[] = [];
  if (d.exec?.enabled)
    out.push({
      kind: { kind: 'exec' },
      cron: d.exec.schedule,
      target: { from: d.from, to: d.exec.to, slack: d.exec.slack },
      skipWhenEmpty: d.exec.skipWhenEmpty,
    });
  for (const t of d.teams)
    out.push({ kind: { kind: 'team', team: t.team }, cron: t.schedule, target: { from: d.from, to: t.to, slack: t.slack }, skipWhenEmpty: t.skipWhenEmpty });
  return out;
}

/**
 * One digest for one period on each of its channels; a failing channel does not stop the others.
 * Returns each channel's result; throws the first failure after trying them all.
 */
export async function deliverEverywhere(
  workspace: Workspace,
  digest: ScheduledDigest,
  period: string,
  deps: Pick<ScheduleDeps, 'channels' | 'clock'> & { force?: boolean; asOf?: string },
): Promise<Array<{ channel: string; result: DeliverResult }>> {
  const results: Array<{ channel: string; result: DeliverResult }> = [];
  let failure: unknown = null;
  for (const channel of deps.channels(digest.target)) {
    try {
      const result = await deliverDigest(workspace, digest.kind, {
        period,
        channel,
        skipWhenEmpty: digest.skipWhenEmpty,
        clock: deps.clock ?? realClock,
        force: deps.force,
        asOf: deps.asOf,
      });
      results.push({ channel: channel.name, result });
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return results;
}

/**
 * Everything `touchpoint serve` and `touchpoint schedule` run on a schedule: `sync.schedule`
 * (every source), then each configured digest on each of its channels. This is where the
 * schedules are wired.
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
        // Under `serve` (views offloaded, real time) the run goes to a thread of its own: mapping a large
        // CSV is seconds of CPU the dashboard would otherwise wait for.
        const threaded = workspace.offloaded() && clock === realClock && canSyncInThread(workspace.store.path);
        const results = threaded
          ? await syncInThread({ config, storePath: workspace.store.path, secrets: { notionToken: secrets.notionToken, airtableToken: secrets.airtableToken } })
          : await syncAll(config, workspace.store, { deps: { secrets, clock } });
        for (const r of results)
          log(
            r.error
              ? `sync ${r.source}: failed: ${r.error.message}`
              : `sync ${r.source}: ${r.outcome.report.read} read, ${r.outcome.report.created} new, ${r.outcome.report.updated} updated, ${r.outcome.report.deleted} deleted`,
          );
      },
    });
  }
  for (const digest of scheduledDigests(config)) {
    deps.channels(digest.target); // fail at start, not at the first slot, when a channel cannot be built (SMTP_URL unset)
    const label = digest.kind.kind === 'exec' ? 'exec' : digest.kind.team;
    jobs.push({
      name: digest.kind.kind === 'exec' ? 'digest:exec' : `digest:team:${digest.kind.team}`,
      cron: digest.cron,
      run: async (period) => {
        const results = await deliverEverywhere(workspace, digest, period, { channels: deps.channels, clock });
        log(`digest ${label} ${period}: ${results.map((r) => `${r.channel} ${r.result.status}`).join(', ')}`);
      },
    });
  }
  return jobs;
}
