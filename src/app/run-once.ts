import type { Workspace } from './workspace.js';
import type { Secrets } from '../config/env.js';
import { realClock, type Clock } from '../model/clock.js';
import { syncAll, type SourceResult } from './sync.js';
import { previousOccurrence } from './scheduler.js';
import { deliverEverywhere, scheduledDigests, type ScheduleDeps } from './schedules.js';
import { digestName, type DeliverResult } from './digests.js';

/** What one digest did in a `run --once`. */
export interface DigestRun {
  digest: string;
  /** The scheduled slot it was due for, or null when none fell within the grace period. */
  period: string | null;
  results: Array<{ channel: string; result: DeliverResult }>;
  error: string | null;
}

export interface RunOnceResult {
  syncs: SourceResult[];
  digests: DigestRun[];
  /** False when a source or a digest failed: the process should exit non-zero. */
  ok: boolean;
}

/**
 * `touchpoint run --once`, for cron, systemd timers and CI schedulers: sync every source, then
 * send each digest whose latest slot lies within `digests.graceHours`, on each channel, unless
 * the send log says it went out already. Runs that come late (a CI scheduler's are) catch up
 * within the grace period; runs that come twice send nothing twice. A failing source keeps its
 * previous data, the digests still go out on it, and the result says it failed.
 */
export async function runOnce(
  workspace: Workspace,
  secrets: Secrets,
  deps: Pick<ScheduleDeps, 'channels' | 'clock'> & { now?: () => Date },
): Promise<RunOnceResult> {
  const config = workspace.config;
  const clock: Clock = deps.clock ?? realClock;
  const now = deps.now ?? (() => new Date(clock.now()));
  const syncs = config.sources.length > 0 ? await syncAll(config, workspace.store, { deps: { secrets, clock } }) : [];
  const graceMs = config.digests.graceHours * 3600_000;
  const digests: DigestRun[] = [];
  for (const digest of scheduledDigests(config)) {
    const name = digestName(digest.kind);
    const due = previousOccurrence(digest.cron, config.timezone, now(), graceMs);
    if (!due) {
      digests.push({ digest: name, period: null, results: [], error: null });
      continue;
    }
    const period = due.toISOString();
    try {
      digests.push({ digest: name, period, results: await deliverEverywhere(workspace, digest, period, { channels: deps.channels, clock }), error: null });
    } catch (error) {
      digests.push({ digest: name, period, results: [], error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { syncs, digests, ok: syncs.every((s) => !s.error) && digests.every((d) => d.error === null) };
}
