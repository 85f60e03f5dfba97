import { print } from '../output.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  dashboardUrlWarning,
  deliverEverywhere,
  hasNews,
  digestContent,
  EXEC_DIGEST_SCHEDULE,
  digestName,
  openWorkspace,
  previousOccurrence,
  realClock,
  TouchpointError,
  type DigestKind,
} from '../../index.js';
import { renderDigest } from '../../digest/compose.js';
import { digestChannels } from '../../digest/channels.js';
import { slackMessages } from '../../digest/slack.js';

interface DigestFlags {
  config: string;
  team?: string;
  preview?: string | boolean;
  send?: boolean;
  to?: string;
  force?: boolean;
  asOf?: string;
}

/** `touchpoint digest exec|team`: write a preview, or send the digest for the current period. */
export async function run(which: 'exec' | 'team', flags: DigestFlags): Promise<void> {
  const { workspace, secrets } = openWorkspace(flags.config);
  try {
    const config = workspace.config;
    if (which === 'team' && !flags.team)
      throw new TouchpointError('usage', `Say which team: touchpoint digest team --team NAME. Teams: ${workspace.teams().join(', ') || 'none on the roster'}.`);
    if (which === 'team' && !workspace.teams().includes(flags.team!))
      throw new TouchpointError('usage', `No team "${flags.team}" on the roster. Teams: ${workspace.teams().join(', ') || 'none'}.`);
    const kind: DigestKind = which === 'exec' ? { kind: 'exec' } : { kind: 'team', team: flags.team! };

    if (!flags.send) {
      const dir = resolve(typeof flags.preview === 'string' ? flags.preview : 'digest-preview');
      mkdirSync(dir, { recursive: true });
      const base = join(
        dir,
        digestName(kind)
          .replace(/[^a-z0-9]+/gi, '-')
          .toLowerCase(),
      );
      const content = digestContent(workspace, kind, { asOf: flags.asOf });
      const digest = renderDigest(content);
      writeFileSync(`${base}.html`, digest.html);
      writeFileSync(`${base}.txt`, digest.text);
      // Slack is a broadcast: its preview is of the redacted content, as it would be posted.
      writeFileSync(`${base}.slack.json`, `${JSON.stringify(slackMessages(digestContent(workspace, kind, { asOf: flags.asOf, broadcast: true })), null, 2)}\n`);
      const empty = hasNews(content) ? '' : ' (nothing new: a scheduled run would say so, or skip it if skipWhenEmpty)';
      print(`Subject: ${digest.subject}\nWrote ${base}.html, ${base}.txt and ${base}.slack.json${empty}.`);
      const warning = dashboardUrlWarning(config);
      if (warning) print(`Note: ${warning}`);
      return;
    }

    const settings = which === 'exec' ? config.digests.exec : config.digests.teams.find((t) => t.team === flags.team);
    const override = flags.to
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // --to sends one e-mail to those addresses instead of the configured channels.
    const target = override?.length ? { from: config.digests.from, to: override } : { from: config.digests.from, to: settings?.to, slack: settings?.slack };
    if (!target.to?.length && !('slack' in target && target.slack)) {
      throw new TouchpointError(
        'config_invalid',
        `Nowhere to send it: set digests.${which === 'exec' ? 'exec' : 'teams[]'}.to (e-mail) or .slack (a webhook variable) in the config, or pass --to a@x.example,b@x.example.`,
      );
    }
    const schedule = settings?.schedule ?? EXEC_DIGEST_SCHEDULE;
    // A manual send counts for the current scheduled period, so the schedule will not send it again.
    const period = (previousOccurrence(schedule, config.timezone, new Date(), 32 * 24 * 3600_000) ?? new Date()).toISOString();
    const digest = { kind, cron: schedule, target, skipWhenEmpty: false };
    // The same as-of date as the preview: --as-of, else the config's pinned asOf, else today.
    const results = await deliverEverywhere(workspace, digest, period, {
      channels: digestChannels(secrets),
      clock: realClock,
      force: flags.force,
      asOf: flags.asOf ?? workspace.asOf(),
    });
    for (const { channel, result } of results) {
      if (result.status === 'already') print(`The ${digestName(kind)} digest for ${period} was sent on ${channel} already. Add --force to send it again.`);
      else print(`${result.status === 'sent' ? 'Sent' : 'Skipped'} ${result.summary} on ${channel} (period ${period}).`);
    }
  } finally {
    workspace.store.close();
  }
}
