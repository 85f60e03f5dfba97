import { print } from '../output.js';
import { openWorkspace, Scheduler, scheduledJobs, TouchpointError, type Secrets, type Workspace } from '../../index.js';
import { digestChannels } from '../../digest/channels.js';

/** Start the configured schedules (sync, digests) for a workspace; null when none is configured. */
export async function startSchedules(workspace: Workspace, secrets: Secrets): Promise<Scheduler | null> {
  const log = (line: string) => print(`[${new Date().toISOString()}] ${line}`);
  const jobs = scheduledJobs(workspace, secrets, { log, channels: digestChannels(secrets) });
  if (jobs.length === 0) return null;
  const scheduler = new Scheduler(jobs, { timezone: workspace.config.timezone, graceMs: workspace.config.digests.graceHours * 3600_000, log });
  await scheduler.start();
  log(`scheduled: ${jobs.map((j) => `${j.name} (${j.cron}, ${workspace.config.timezone})`).join('; ')}`);
  return scheduler;
}

/** `touchpoint schedule`: run the schedules without the dashboard, until stopped. */
export async function run(flags: { config: string }): Promise<void> {
  const { workspace, secrets } = openWorkspace(flags.config);
  const scheduler = await startSchedules(workspace, secrets);
  if (!scheduler) {
    workspace.store.close();
    throw new TouchpointError('config_invalid', 'Nothing to schedule: set sync.schedule and/or digests (exec, teams) in the config.');
  }
  const stop = () => void scheduler.stop().then(() => workspace.store.close());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
