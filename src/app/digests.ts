import type { Workspace } from './workspace.js';
import type { Clock } from '../model/clock.js';
import type { Metrics } from '../metrics/index.js';
import { TouchpointError } from '../errors.js';
import { EXEC_DIGEST_NUGGETS } from '../config/schema.js';
import { addDays, isoWeek, localDate, todayIn } from '../metrics/time.js';
import { collectNuggets, conversationsBetween, rosterNames, teamKeys, type ListedConversation, type Nugget } from '../metrics/lists.js';

/** Which digest: the exec one, or one team's. */
export type DigestKind = { kind: 'exec' } | { kind: 'team'; team: string };

/** The name a digest has in the send log. */
export function digestName(kind: DigestKind): string {
  return kind.kind === 'exec' ? 'exec' : `team:${kind.team}`;
}

/** What the exec digest says, as data. */
export interface ExecContent {
  kind: 'exec';
  organisation: string;
  dashboardUrl: string;
  metrics: Metrics;
  nuggets: Nugget[];
  /** Counted conversations in the last complete week. */
  conversationsLastWeek: number;
}

/** What a team digest says, as data. */
export interface TeamContent {
  kind: 'team';
  organisation: string;
  dashboardUrl: string;
  team: string;
  /** Local date the digest covers from (the last digest's period, or a week back). */
  since: string;
  metrics: Metrics;
  conversations: ListedConversation[];
  /** Recent conversations still without a tl;dr or a debrief. */
  missing: ListedConversation[];
}

export type DigestContent = ExecContent | TeamContent;

/** A rendered digest: the subject, an HTML part and a full plain-text part. */
export interface Digest {
  subject: string;
  html: string;
  text: string;
  /** False when there was nothing new to say (the caller may skip sending). */
  hasNews: boolean;
}

/** Turns content into a message (digest/compose.ts for e-mail); a port, so this layer writes no HTML. */
export type DigestRenderer = (content: DigestContent) => Digest;

/** What delivery needs of a mail transport (digest/send.ts is the SMTP adapter; tests pass fakes). */
export interface Mailer {
  send(message: { from: string; to: string[]; subject: string; html: string; text: string }): Promise<{ messageId: string }>;
  /** Connect and greet the server without sending (for `touchpoint doctor`). */
  verify?(): Promise<void>;
}

/** How many days of nuggets the exec digest shows: a quote is news for a fortnight. */
export const NUGGET_DAYS = 14;
/** How far back a team digest looks for conversations still missing a tl;dr or a debrief. */
export const MISSING_LOOKBACK_DAYS = 30;
/** A claim older than this is taken to be from a process that died mid-send. */
const STALE_CLAIM_MS = 15 * 60_000;
/** SMTP failures are retried here, and only here: two more attempts, after these waits. */
const SEND_RETRY_DELAYS_MS = [2_000, 8_000];

/**
 * A digest's content from the workspace as of a date. `since` (team digests) is the first local
 * date of news; by default the last sent period's date, else a week before the as-of date.
 */
export function digestContent(workspace: Workspace, kind: DigestKind, options: { asOf?: string; since?: string } = {}): DigestContent {
  const config = workspace.config;
  const asOf = options.asOf ?? workspace.asOf();
  const organisation = config.organisation;
  const dashboardUrl = config.digests.dashboardUrl;
  const interviews = workspace.interviews();
  const base = { targets: config.targets, timezone: config.timezone, names: rosterNames(config.roster) };
  if (kind.kind === 'exec') {
    const metrics = workspace.metrics({ asOf });
    const lastWeek = metrics.cadence.lastCompleteWeek;
    const conversationsLastWeek = conversationsBetween(interviews, { ...base, from: addDays(asOf, -14), to: asOf }).filter(
      (c) => isoWeek(c.date) === lastWeek,
    ).length;
    const nuggets = collectNuggets(interviews, {
      ...base,
      from: addDays(asOf, -(NUGGET_DAYS - 1)),
      to: asOf,
      max: config.digests.exec?.nuggets ?? EXEC_DIGEST_NUGGETS,
    });
    return { kind: 'exec', organisation, dashboardUrl, metrics, conversationsLastWeek, nuggets };
  }
  const metrics = workspace.metrics({ asOf, team: kind.team });
  const keys = teamKeys(config.roster, kind.team);
  const lastPeriod = workspace.store.lastDigestPeriod(digestName(kind));
  const since = options.since ?? (lastPeriod ? localDate(lastPeriod, config.timezone) : addDays(asOf, -7));
  const recent = conversationsBetween(interviews, { ...base, from: addDays(asOf, -MISSING_LOOKBACK_DAYS), to: asOf, keys });
  return {
    kind: 'team',
    organisation,
    dashboardUrl,
    team: kind.team,
    since,
    metrics,
    conversations: recent.filter((c) => c.date >= since),
    missing: recent.filter((c) => !c.tldr?.trim() || c.debriefed === false),
  };
}

export interface DeliverOptions {
  /** The scheduled instant this digest is for (UTC ISO); the send log's key. */
  period: string;
  to: string[];
  from: string;
  mailer: Mailer;
  render: DigestRenderer;
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
    digest = options.render(digestContent(workspace, kind, { asOf: options.asOf ?? todayIn(now(), workspace.config.timezone) }));
  } catch (error) {
    store.finishDigest(name, options.period, 'failed', now().toISOString(), `compose: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  if (!digest.hasNews && options.skipWhenEmpty) {
    store.finishDigest(name, options.period, 'skipped', now().toISOString(), 'nothing new');
    return { status: 'skipped', digest };
  }
  let lastError: unknown = null;
  for (let attempt = 0; attempt <= SEND_RETRY_DELAYS_MS.length; attempt++) {
    try {
      const { messageId } = await options.mailer.send({ from: options.from, to: options.to, subject: digest.subject, html: digest.html, text: digest.text });
      store.finishDigest(name, options.period, 'sent', now().toISOString(), `to ${options.to.join(', ')}`);
      return { status: 'sent', digest, messageId };
    } catch (error) {
      lastError = error;
      const wait = SEND_RETRY_DELAYS_MS[attempt];
      if (wait !== undefined) await options.clock.sleep(wait);
    }
  }
  const reason = smtpReason(lastError);
  store.finishDigest(name, options.period, 'failed', now().toISOString(), reason);
  const attempts = SEND_RETRY_DELAYS_MS.length + 1;
  throw new TouchpointError(
    'digest_failed',
    `The ${kind.kind === 'exec' ? 'exec' : `"${kind.team}" team`} digest for ${options.period} was not sent after ${attempts} attempts: ${reason}. Check SMTP_URL; the period stays unsent and the next run will try again.`,
    [],
    { cause: lastError },
  );
}

/** What the SMTP server or the network said, without the URL (which may hold a password). */
function smtpReason(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string } | null;
  if (e?.responseCode) return `SMTP ${e.responseCode} ${e.response ?? ''}`.trim();
  return e?.code ? `${e.code}` : (e?.message ?? 'unknown error').replace(/smtps?:\/\/[^\s]+/gi, 'SMTP_URL');
}
