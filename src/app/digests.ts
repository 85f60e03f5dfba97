import type { Workspace } from './workspace.js';
import type { Clock } from '../model/clock.js';
import type { Config } from '../config/schema.js';
import type { Metrics } from '../metrics/index.js';
import { TouchpointError } from '../errors.js';
import { EXEC_DIGEST_NUGGETS } from '../config/defaults.js';
import { addDays, isoWeek, localDate, todayIn } from '../metrics/time.js';
import { redactContent, redactor, redactTermsOf, type RedactTerms } from './redact.js';
import type { Interview } from '../model/interview.js';
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
  /** The practice rates' targets, for the practice line. */
  practice: Config['targets']['practice'];
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

/** A rendered e-mail: the subject, an HTML part and a full plain-text part. */
export interface Digest {
  subject: string;
  html: string;
  text: string;
}

/** Whether a digest has anything new to say (a scheduled one may be skipped when it has not). */
export function hasNews(content: DigestContent): boolean {
  return content.kind === 'exec' ? content.conversationsLastWeek > 0 : content.conversations.length > 0;
}

/** What delivery needs of a mail transport (digest/send.ts is the SMTP adapter; tests pass fakes). */
export interface Mailer {
  send(message: { from: string; to: string[]; subject: string; html: string; text: string }): Promise<{ messageId: string }>;
  /** Connect and greet the server without sending (for `touchpoint doctor`). */
  verify?(): Promise<void>;
}

/** One message as a channel sends it: one e-mail, or one of the Slack posts a digest becomes. */
export interface ChannelMessage<Body = unknown> {
  /** A line for logs and reports: the subject, or the first words of a post. */
  summary: string;
  body: Body;
}

/**
 * Where a digest goes: e-mail (digest/send.ts) or a Slack webhook (digest/slack.ts). The channel
 * renders and posts; claiming the period, pacing, retries and the send log happen here, once.
 */
export interface DigestChannel<Body = unknown> {
  /** How the send log tells channels apart: `email`, `slack:SLACK_WEBHOOK_GROWTH`. */
  name: string;
  /** A broadcast channel (Slack) never shows participants, whatever the digest (`digests.redact`). */
  broadcast: boolean;
  /** Least time between two messages of one digest (Slack allows about one a second per channel). */
  spacingMs: number;
  render(content: DigestContent): Array<ChannelMessage<Body>>;
  /** Post one message; its id. Throws `SendFailure` to say whether, and when, to try again. */
  send(message: ChannelMessage<Body>): Promise<string>;
}

/** A send that failed, with what the channel knows about trying again. */
export class SendFailure extends Error {
  override readonly name = 'SendFailure';
  constructor(
    /** What went wrong, without any secret (no URL, no password). */
    readonly reason: string,
    /** `no`: the message itself was refused (Slack's invalid_payload); retrying will not help. */
    readonly retry: 'after' | 'backoff' | 'no',
    /** For `after`: how long the server asked to wait. */
    readonly waitMs: number | null = null,
  ) {
    super(reason);
  }
}

/** Where digest links point: `digests.dashboardUrl`, else the address the dashboard binds to. */
export function dashboardAddress(config: Workspace['config']): string {
  return config.digests.dashboardUrl ?? `http://${config.dashboard.host}:${config.dashboard.port}`;
}

/** Why digest links may not open for their readers, or null when `digests.dashboardUrl` is set. */
export function dashboardUrlWarning(config: Workspace['config']): string | null {
  if (config.digests.dashboardUrl) return null;
  return `digests.dashboardUrl is not set, so digest links point at ${dashboardAddress(config)}, which only this machine can open; set it to the address people use.`;
}

/** How many days of nuggets the exec digest shows: a quote is news for a fortnight. */
export const NUGGET_DAYS = 14;
/** How far back a team digest looks for conversations still missing a tl;dr or a debrief. */
export const MISSING_LOOKBACK_DAYS = 30;
/** A claim older than this is taken to be from a process that died mid-send. */
const STALE_CLAIM_MS = 15 * 60_000;
/** Delivery failures (SMTP, Slack) are retried here, and only here: two more attempts, after these waits. */
const SEND_RETRY_DELAYS_MS = [2_000, 8_000];
/** A server asking for a longer wait than this (a Slack 429) is waited out only this long. */
const MAX_SERVER_WAIT_MS = 60_000;

/** What a digest reads from the rows themselves: computed where the rows are (the worker, under `serve`). */
export type DigestRows =
  | { kind: 'exec'; conversationsLastWeek: number; nuggets: Nugget[]; terms: RedactTerms }
  | { kind: 'team'; conversations: ListedConversation[]; missing: ListedConversation[]; terms: RedactTerms };

/** Which rows a digest needs: its kind, as-of date and (team digests) the first date of news. */
export interface DigestRowsSpec {
  digest: DigestKind;
  asOf: string;
  since: string;
}

/** The rows of a digest; pure. */
export function digestRows(interviews: readonly Interview[], config: Config, spec: DigestRowsSpec): DigestRows {
  const { asOf, digest } = spec;
  const base = { targets: config.targets, timezone: config.timezone, names: rosterNames(config.roster) };
  const terms = redactTermsOf(interviews);
  if (digest.kind === 'exec') {
    // The last complete week: the ISO week before the one holding the as-of date.
    const lastWeek = isoWeek(addDays(asOf, -7));
    const conversationsLastWeek = conversationsBetween(interviews, { ...base, from: addDays(asOf, -14), to: asOf }).filter(
      (c) => isoWeek(c.date) === lastWeek,
    ).length;
    const nuggets = collectNuggets(interviews, {
      ...base,
      from: addDays(asOf, -(NUGGET_DAYS - 1)),
      to: asOf,
      max: config.digests.exec?.nuggets ?? EXEC_DIGEST_NUGGETS,
    });
    return { kind: 'exec', conversationsLastWeek, nuggets, terms };
  }
  const keys = teamKeys(config.roster, digest.team);
  const recent = conversationsBetween(interviews, { ...base, from: addDays(asOf, -MISSING_LOOKBACK_DAYS), to: asOf, keys });
  return {
    kind: 'team',
    conversations: recent.filter((c) => c.date >= spec.since),
    missing: recent.filter((c) => !c.tldr?.trim() || c.debriefed === false),
    terms,
  };
}

/** The metrics query and the list a digest reads, settled against the workspace (the as-of date, the last period sent). */
function digestSpec(workspace: Workspace, kind: DigestKind, options: { asOf?: string; since?: string }) {
  const config = workspace.config;
  const asOf = options.asOf ?? workspace.asOf();
  const lastPeriod = kind.kind === 'team' ? workspace.store.lastDigestPeriod(digestName(kind)) : null;
  const since = options.since ?? (lastPeriod ? localDate(lastPeriod, config.timezone) : addDays(asOf, -7));
  return {
    query: kind.kind === 'exec' ? { asOf } : { asOf, team: kind.team },
    list: { kind: 'digest' as const, rows: { digest: kind, asOf, since } },
  };
}

/**
 * Make a digest's metrics and rows ready (`Workspace.prepare`): under `serve` they are computed in
 * the worker, and `digestContent` then reads them without the rows on the event loop.
 */
export async function prepareDigest(workspace: Workspace, kind: DigestKind, options: { asOf?: string; since?: string; fresh?: boolean } = {}): Promise<void> {
  const { query, list } = digestSpec(workspace, kind, options);
  await workspace.prepare(query, list, true, options.fresh ?? false);
}

/**
 * A digest's content from the workspace as of a date. `since` (team digests) is the first local
 * date of news; by default the last sent period's date, else a week before the as-of date.
 */
export function digestContent(workspace: Workspace, kind: DigestKind, options: { asOf?: string; since?: string; broadcast?: boolean } = {}): DigestContent {
  const { query, list } = digestSpec(workspace, kind, options);
  const rows = workspace.list(list, query);
  const content = assemble(workspace, kind, workspace.metrics(query), rows, list.rows);
  // A team digest is a broadcast on every channel; the exec digest only where it is posted (Slack).
  if (content.kind === 'exec' && !options.broadcast) return content;
  const mode = workspace.config.digests.redact;
  return redactContent(content, redactor(rows.terms, mode), mode);
}

function assemble(workspace: Workspace, kind: DigestKind, metrics: Metrics, rows: DigestRows, spec: DigestRowsSpec): DigestContent {
  const config = workspace.config;
  const organisation = config.organisation;
  const dashboardUrl = dashboardAddress(config);
  if (kind.kind === 'exec' && rows.kind === 'exec') {
    return {
      kind: 'exec',
      organisation,
      dashboardUrl,
      metrics,
      conversationsLastWeek: rows.conversationsLastWeek,
      nuggets: rows.nuggets,
      practice: config.targets.practice,
    };
  }
  if (kind.kind === 'team' && rows.kind === 'team')
    return { kind: 'team', organisation, dashboardUrl, team: kind.team, since: spec.since, metrics, conversations: rows.conversations, missing: rows.missing };
  throw new Error('a digest read the rows of another kind');
}

export interface DeliverOptions<Body = unknown> {
  /** The scheduled instant this digest is for (UTC ISO); the send log's key with the channel. */
  period: string;
  channel: DigestChannel<Body>;
  skipWhenEmpty: boolean;
  /** Send even if this period was sent already. */
  force?: boolean;
  clock: Clock;
  now?: () => Date;
  asOf?: string;
}

export type DeliverResult = { status: 'sent'; summary: string; messages: number } | { status: 'skipped'; summary: string } | { status: 'already' };

/** The send-log name of a digest on a channel: e-mail keeps the plain name, others add theirs. */
export function sendLogName(kind: DigestKind, channel: Pick<DigestChannel, 'name'>): string {
  return channel.name === 'email' ? digestName(kind) : `${digestName(kind)}@${channel.name}`;
}

/**
 * Send one digest for one period on one channel, exactly once: claim the period in the store's
 * send log, compose, send each message (spaced as the channel needs, each retried by one policy:
 * the server's wait where it names one, else 2 s then 8 s), and record the outcome. A failure
 * releases the period so a later run can send it, and is raised with what went wrong.
 */
export async function deliverDigest<Body>(workspace: Workspace, kind: DigestKind, options: DeliverOptions<Body>): Promise<DeliverResult> {
  const now = options.now ?? (() => new Date());
  const { channel, clock } = options;
  const name = sendLogName(kind, channel);
  const store = workspace.store;
  if (!store.claimDigest(name, options.period, now().toISOString(), STALE_CLAIM_MS, options.force)) return { status: 'already' };
  let messages: Array<ChannelMessage<Body>>;
  let news: boolean;
  try {
    const asOf = options.asOf ?? todayIn(now(), workspace.config.timezone);
    // Under `serve` the rows are read in the worker, on the data as it is now.
    await prepareDigest(workspace, kind, { asOf, fresh: true });
    const content = digestContent(workspace, kind, { asOf, broadcast: channel.broadcast });
    news = hasNews(content);
    messages = channel.render(content);
  } catch (error) {
    store.finishDigest(name, options.period, 'failed', now().toISOString(), `compose: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  const summary = messages[0]?.summary ?? '';
  if (!news && options.skipWhenEmpty) {
    store.finishDigest(name, options.period, 'skipped', now().toISOString(), 'nothing new');
    return { status: 'skipped', summary };
  }
  for (const [index, message] of messages.entries()) {
    if (index > 0) await clock.sleep(channel.spacingMs);
    const sent = await sendWithRetries(channel, message, clock);
    if ('failure' in sent) {
      const reason = sent.failure instanceof SendFailure ? sent.failure.reason : smtpReason(sent.failure);
      const part = messages.length > 1 ? ` (message ${index + 1} of ${messages.length})` : '';
      store.finishDigest(name, options.period, 'failed', now().toISOString(), `${reason}${part}`);
      const what = kind.kind === 'exec' ? 'exec' : `"${kind.team}" team`;
      const tries = `${sent.attempts} attempt${sent.attempts === 1 ? '' : 's'}`;
      throw new TouchpointError(
        'digest_failed',
        `The ${what} digest for ${options.period} was not sent on ${channel.name}${part} after ${tries}: ${reason}. The period stays unsent and the next run will try again.`,
        [],
        { cause: sent.failure },
      );
    }
  }
  store.finishDigest(name, options.period, 'sent', now().toISOString(), `${summary}${messages.length > 1 ? ` (${messages.length} messages)` : ''}`);
  return { status: 'sent', summary, messages: messages.length };
}

/** One message, retried by the one delivery policy: its id, or the last failure and how many attempts were made. */
async function sendWithRetries<Body>(
  channel: DigestChannel<Body>,
  message: ChannelMessage<Body>,
  clock: Clock,
): Promise<{ id: string } | { failure: unknown; attempts: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { id: await channel.send(message) };
    } catch (error) {
      const failure = error instanceof SendFailure ? error : null;
      const delay = SEND_RETRY_DELAYS_MS[attempt];
      if (failure?.retry === 'no' || delay === undefined) return { failure: error, attempts: attempt + 1 };
      await clock.sleep(failure?.retry === 'after' && failure.waitMs !== null ? Math.min(failure.waitMs, MAX_SERVER_WAIT_MS) : delay);
    }
  }
}

/** What the SMTP server or the network said, without the URL (which may hold a password). */
function smtpReason(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string } | null;
  if (e?.responseCode) return `SMTP ${e.responseCode} ${e.response ?? ''}`.trim();
  return e?.code ? `${e.code}` : (e?.message ?? 'unknown error').replace(/smtps?:\/\/[^\s]+/gi, 'SMTP_URL');
}
