import { print, printError } from '../output.js';
import { openWorkspace, Scheduler, scheduledJobs, TouchpointError, type Secrets, type Workspace } from '../../index.js';
import { digestChannels } from '../../digest/channels.js';

const stamp = (line: string) => `[${new Date().toISOString()}] ${line}`;

/** The configured schedules (sync, digests) for a workspace, not yet started; null when none is configured. */
export function makeScheduler(workspace: Workspace, secrets: Secrets): Scheduler | null {
  const log = (line: string) => print(stamp(line));
  const jobs = scheduledJobs(workspace, secrets, { log, channels: digestChannels(secrets) });
  if (jobs.length === 0) return null;
  return new Scheduler(jobs, { timezone: workspace.config.timezone, graceMs: workspace.config.digests.graceHours * 3600_000, log });
}

/** Start a scheduler and say what it runs. */
export async function startScheduler(scheduler: Scheduler, workspace: Workspace): Promise<void> {
  await scheduler.start();
  print(
    stamp(
      `scheduled: ${scheduler
        .state()
        .jobs.map((j) => j.name)
        .join(', ')} (${workspace.config.timezone})`,
    ),
  );
}

/**
 * A service outlives its jobs: a promise nobody awaited that rejects is logged (without secrets)
 * and the process goes on. A thrown exception still ends it — its state may be broken — for a
 * supervisor (systemd, a container runtime) to restart; docs/RELIABILITY.md says why.
 */
export function keepRunningOnRejections(): void {
  process.on('unhandledRejection', (reason) =>
    printError(stamp(`unhandled rejection (the service goes on): ${reason instanceof Error ? reason.message : String(reason)}`)),
  );
}

/** `touchpoint schedule`: run the schedules without the dashboard, until stopped. */
export async function run(flags: { config: string }): Promise<void> {
  const { workspace, secrets } = openWorkspace(flags.config);
  const scheduler = makeScheduler(workspace, secrets);
  if (!scheduler) {
    workspace.store.close();
    throw new TouchpointError('config_invalid', 'Nothing to schedule: set sync.schedule and/or digests (exec, teams) in the config.');
  }
  keepRunningOnRejections();
  await startScheduler(scheduler, workspace);
  const stop = () => void scheduler.stop().then(() => workspace.store.close());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
