import { print, printError } from '../output.js';
import { openWorkspace, runInBackground, runOnce, TouchpointError } from '../../index.js';
import { digestChannels } from '../../digest/channels.js';

/** `touchpoint run --once`: sync, send what is due, print one line each, exit 1 if anything failed. */
export async function run(flags: { config: string; once?: boolean }): Promise<void> {
  if (!flags.once)
    throw new TouchpointError(
      'usage',
      'touchpoint run needs --once: it syncs, sends the digests that are due, and exits (for cron, systemd timers and CI schedulers). `touchpoint serve` or `touchpoint schedule` keep running.',
    );
  const { workspace, secrets } = openWorkspace(flags.config);
  // Background work, as `touchpoint sync` (a timer beside a running dashboard).
  runInBackground({ wholeProcess: true });
  try {
    const result = await runOnce(workspace, secrets, { channels: digestChannels(secrets) });
    // The dashboard's first view, once per build and config (as `touchpoint sync`).
    if (result.syncs.some((s) => !s.error)) workspace.keepFirstView();
    for (const s of result.syncs) {
      if (s.error) printError(`sync ${s.source}: failed, previous data kept: ${s.error.message}`);
      else
        print(
          `sync ${s.source}: ${s.outcome.report.listing}, ${s.outcome.report.read} read, ${s.outcome.report.created} new, ${s.outcome.report.updated} updated, ${s.outcome.report.deleted} deleted`,
        );
    }
    for (const d of result.digests) {
      if (d.error) printError(`digest ${d.digest} ${d.period}: ${d.error}`);
      else if (d.period === null) print(`digest ${d.digest}: not due`);
      else print(`digest ${d.digest} ${d.period}: ${d.results.map((r) => `${r.channel} ${r.result.status}`).join(', ') || 'no channel'}`);
    }
    if (!result.ok) process.exitCode = 1;
  } finally {
    workspace.store.close();
  }
}
