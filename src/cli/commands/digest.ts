import { print } from '../output.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  deliverDigest,
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
import { mailerFrom } from '../../digest/send.js';

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
      const digest = renderDigest(digestContent(workspace, kind, { asOf: flags.asOf }));
      const dir = resolve(typeof flags.preview === 'string' ? flags.preview : 'digest-preview');
      mkdirSync(dir, { recursive: true });
      const base = join(
        dir,
        digestName(kind)
          .replace(/[^a-z0-9]+/gi, '-')
          .toLowerCase(),
      );
      writeFileSync(`${base}.html`, digest.html);
      writeFileSync(`${base}.txt`, digest.text);
      print(
        `Subject: ${digest.subject}\nWrote ${base}.html and ${base}.txt${digest.hasNews ? '' : ' (nothing new: a scheduled run would say so, or skip it if skipWhenEmpty)'}.`,
      );
      return;
    }

    const settings = which === 'exec' ? config.digests.exec : config.digests.teams.find((t) => t.team === flags.team);
    const to = flags.to
      ? flags.to
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : (settings?.to ?? []);
    if (to.length === 0)
      throw new TouchpointError(
        'config_invalid',
        `No recipients: set digests.${which === 'exec' ? 'exec' : 'teams[].'}to in the config, or pass --to a@x.example,b@x.example.`,
      );
    const schedule = settings?.schedule ?? EXEC_DIGEST_SCHEDULE;
    // A manual send counts for the current scheduled period, so the schedule will not send it again.
    const period = (previousOccurrence(schedule, config.timezone, new Date(), 32 * 24 * 3600_000) ?? new Date()).toISOString();
    const result = await deliverDigest(workspace, kind, {
      period,
      to,
      from: config.digests.from,
      mailer: mailerFrom(secrets),
      render: renderDigest,
      skipWhenEmpty: false,
      force: flags.force,
      clock: realClock,
      asOf: flags.asOf,
    });
    if (result.status === 'already') print(`The ${digestName(kind)} digest for ${period} was sent already. Add --force to send it again.`);
    else print(`${result.status === 'sent' ? 'Sent' : 'Skipped'} "${result.digest.subject}" to ${to.join(', ')} (period ${period}).`);
  } finally {
    workspace.store.close();
  }
}
