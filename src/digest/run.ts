import type { Workspace } from '../workspace.js';
import type { Clock } from '../model/clock.js';
import { TouchpointError } from '../errors.js';
import { addDays, isoWeek, localDate, todayIn } from '../metrics/time.js';
import { composeExec, composeTeam, type Digest } from './compose.js';
import { collectNuggets, conversationsBetween, rosterNames, teamKeys } from './select.js';
import type { Mailer } from './send.js';

/** Which digest: the exec one, or one team's. */
export type DigestKind = { kind: 'exec' } | { kind: 'team'; team: string };

/** The name a digest has in the send log. */
export function digestName(kind: DigestKind): string {
  return kind.kind === 'exec' ? 'exec' : `team:${kind.team}`;
}

/** A claim older than this is taken to be from a process that died mid-send. */
const STALE_CLAIM_MS = 15 * 60_000;
const SEND_ATTEMPTS = 3;
const RETRY_DELAYS_MS = [2_000, 8_000];

/**
 * Compose a digest from the workspace as of a date. `since` (team digests) is the first local
 * date of news; by default the last sent period's date, else a week before the as-of date.
 */
export function composeDigest(workspace: Workspace, kind: DigestKind, options: { asOf?: string; since?: string } = {}): Digest {
  const config = workspace.config;
  const asOf = options.asOf ?? workspace.asOf();
  const organisation = config.organisation;
  const dashboardUrl = config.digests?.dashboardUrl ?? 'http://127.0.0.1:3000';
  const interviews = workspace.interviews();
  const base = { targets: config.targets, timezone: config.timezone, names: rosterNames(config.roster) };
  if (kind.kind === 'exec') {
    const metrics = workspace.metrics({ asOf });
    const lastWeek = metrics.cadence.lastCompleteWeek;
    const conversationsLastWeek = conversationsBetween(interviews, { ...base, from: addDays(asOf, -14), to: asOf }).filter((c) => isoWeek(c.date) === lastWeek).length;
    // Nuggets from the last two weeks: a quote is news for a fortnight.
    const nuggets = collectNuggets(interviews, { ...base, from: addDays(asOf, -13), to: asOf, max: config.digests?.exec?.nuggets ?? 5 });
    return composeExec({ organisation, dashboardUrl, metrics, conversationsLastWeek, nuggets });
  }
  const metrics = workspace.metrics({ asOf, team: kind.team });
  const keys = teamKeys(config.roster, kind.team);
  const lastPeriod = workspace.store.lastDigestPeriod(digestName(kind));
  const since = options.since ?? (lastPeriod ? localDate(lastPeriod, config.timezone) : addDays(asOf, -7));
  const recent = conversationsBetween(interviews, { ...base, from: addDays(asOf, -30), to: asOf, keys });
  return composeTeam({
    organisation,
    dashboardUrl,
    team: kind.team,
    since,
    metrics,
    conversations: recent.filter((c) => c.date >= since),
    missing: recent.filter((c) => !c.tldr?.trim() || c.debriefed === false),
  });
}


export interface DeliverOptions {
  /** The scheduled instant this digest is for (UTC ISO); the send log's key. */
  period: string;
  to: string[];
  from: string;
  mailer: Mailer;
  skipWhenEmpty: boolean;
  /** Send even if this period was sent already. */
  force?: boolean;
  clock: Clock;
  now?: () => Date;
  asOf?: string;
}

export type DeliverResult = { status: 'sent'; digest: Digest; messageId: string } | { status: 'skipped'; digest: Digest } | { status: 'already' };

/**
 * Send one digest for one period, exactly once: claim the period in the store's send log, compose,
 * send (retrying SMTP failures twice), and record the outcome. A failure releases the period so a
 * later run can send it, and is raised with what went wrong.
 */
export async function deliverDigest(workspace: Workspace, kind: DigestKind, options: DeliverOptions): Promise<DeliverResult> {
  const now = options.now ?? (() => new Date());
  const name = digestName(kind);
  const store = workspace.store;
  if (!store.claimDigest(name, options.period, now().toISOString(), STALE_CLAIM_MS, options.force)) return { status: 'already' };
  let digest: Digest;
  try {
    digest = composeDigest(workspace, kind, { asOf: options.asOf ?? todayIn(now(), workspace.config.timezone) });
  } catch (error) {
    store.finishDigest(name, options.period, 'failed', now().toISOString(), `compose: ${(error as Error).message}`);
    throw error;
  }
  if (!digest.hasNews && options.skipWhenEmpty) {
    store.finishDigest(name, options.period, 'skipped', now().toISOString(), 'nothing new');
    return { status: 'skipped', digest };
  }
  let lastError: unknown = null;
  for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
    try {
      const { messageId } = await options.mailer.send({ from: options.from, to: options.to, subject: digest.subject, html: digest.html, text: digest.text });
      store.finishDigest(name, options.period, 'sent', now().toISOString(), `to ${options.to.join(', ')}`);
      return { status: 'sent', digest, messageId };
    } catch (error) {
      lastError = error;
      const wait = RETRY_DELAYS_MS[attempt];
      if (wait !== undefined) await options.clock.sleep(wait);
    }
  }
  const reason = smtpReason(lastError);
  store.finishDigest(name, options.period, 'failed', now().toISOString(), reason);
  throw new TouchpointError('digest_failed', `The ${kind.kind === 'exec' ? 'exec' : `"${kind.team}" team`} digest for ${options.period} was not sent after ${SEND_ATTEMPTS} attempts: ${reason}. Check SMTP_URL; the period stays unsent and the next run will try again.`, [], { cause: lastError });
}

/** What the SMTP server or the network said, without the URL (which may hold a password). */
function smtpReason(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string } | null;
  if (e?.responseCode) return `SMTP ${e.responseCode} ${e.response ?? ''}`.trim();
  return e?.code ? `${e.code}` : (e?.message ?? 'unknown error').replace(/smtps?:\/\/[^\s]+/gi, 'SMTP_URL');
}
