import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type IncomingWebhookSendArguments } from '@slack/webhook';
import type { DigestChannel, DigestContent, ExecContent, TeamContent } from '../index.js';
import { SendFailure } from '../index.js';
import { escapeMrkdwn, firstWebUrl, slackLink } from '../present/escape.js';
import { format } from '../present/format.js';
import { flagSentence } from '../present/sentences.js';
import { isPm } from '../model/person.js';

/** What a Slack message carries: a plain-text fallback and Block Kit blocks. */
export type SlackMessage = Required<Pick<IncomingWebhookSendArguments, 'text' | 'blocks'>>;
type Block = SlackMessage['blocks'][number];

/** Slack allows 50 blocks a message; a team digest with more conversations goes out in parts. */
const BLOCKS_PER_MESSAGE = 40;
/** A section's text may hold 3000 characters. */
const SECTION_CHARS = 2900;
/** Slack allows about one message a second per channel (https://api.slack.com/docs/rate-limits). */
const SPACING_MS = 1100;
const QUOTES = 3;

const clip = (text: string, max = SECTION_CHARS) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const section = (mrkdwn: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clip(mrkdwn) } });
const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: clip(text, 150), emoji: false } });
const context = (mrkdwn: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(mrkdwn) }] });
const url = (c: { notesUrl: string | null; sourceUrl: string | null }) => firstWebUrl(c.notesUrl, c.sourceUrl);

/** The exec digest as one Slack message: headline, cadence summary, gaps, a few quotes, the dashboard. */
function execMessages(c: ExecContent): SlackMessage[] {
  const m = c.metrics;
  const cadence = m.cadence;
  const last = cadence.team.trend.find((t) => t.week === cadence.lastCompleteWeek);
  const week = `the week of ${format.weekDay(cadence.lastCompleteWeek)}`;
  const headline = last ? `${last.met} of ${last.of} PMs met their customer-conversation target in ${week}` : `No PMs on the roster`;
  const byStatus = (status: 'on_track' | 'at_risk' | 'off_track') =>
    cadence.people
      .filter(isPm)
      .filter((p) => p.status === status)
      .map((p) => escapeMrkdwn(p.name));
  const lines = (['on_track', 'at_risk', 'off_track'] as const).flatMap((s) =>
    byStatus(s).length ? [`*${format.status(s)}:* ${byStatus(s).join(', ')}`] : [],
  );
  const blocks: Block[] = [
    header(`${c.organisation}: ${headline}`),
    section(
      `${cadence.team.talkedLast30Days.count} of ${cadence.team.talkedLast30Days.of} people on the roster talked to a customer in the last 30 days; ${m.followUps.overdue} promise${m.followUps.overdue === 1 ? ' is' : 's are'} overdue.`,
    ),
  ];
  if (lines.length) blocks.push(section(lines.join('\n')));
  if (m.coverage.flags.length)
    blocks.push(section(`*Gaps in whom we hear from*\n${m.coverage.flags.map((f) => `• ${escapeMrkdwn(flagSentence(f))}`).join('\n')}`));
  for (const n of c.nuggets.slice(0, QUOTES)) {
    const who = [n.account, format.date(n.date)].filter(Boolean).map((x) => escapeMrkdwn(String(x)));
    blocks.push(section(`>${escapeMrkdwn(n.quote).replace(/\n/g, '\n>')}\n${who.join(' · ')}${url(n) ? ` · ${slackLink('notes', url(n))}` : ''}`));
  }
  blocks.push(context(slackLink('Open the dashboard', c.dashboardUrl)));
  return [{ text: `${c.organisation}: ${headline}`, blocks }];
}

/** A team digest: every new conversation with its tl;dr and notes link, split into messages of at most 40 blocks. */
function teamMessages(c: TeamContent): SlackMessage[] {
  const title = c.conversations.length
    ? `${c.team}: ${c.conversations.length} new customer conversation${c.conversations.length === 1 ? '' : 's'} since ${format.date(c.since)}`
    : `${c.team}: no new customer conversations since ${format.date(c.since)}`;
  const items = c.conversations.map((v) => {
    const meta = [format.date(v.date), v.people.join(', ') || 'no interviewer', v.account].filter(Boolean).map((x) => escapeMrkdwn(String(x)));
    return section(`*${slackLink(v.title, url(v))}*\n${meta.join(' · ')}\n${v.tldr ? escapeMrkdwn(v.tldr) : '_No tl;dr yet._'}`);
  });
  const dashboard = `${c.dashboardUrl.replace(/\/+$/, '')}/?team=${encodeURIComponent(c.team)}`;
  const footer = context(
    `${c.missing.length ? `${c.missing.length} recent conversation${c.missing.length === 1 ? '' : 's'} still without a tl;dr or a debrief · ` : ''}${slackLink(`Open ${c.team} on the dashboard`, dashboard)}`,
  );
  const chunks: Block[][] = [];
  for (let i = 0; i < items.length; i += BLOCKS_PER_MESSAGE) chunks.push(items.slice(i, i + BLOCKS_PER_MESSAGE));
  if (chunks.length === 0) chunks.push([]);
  return chunks.map((chunk, i) => {
    const part = chunks.length > 1 ? ` (${i + 1} of ${chunks.length})` : '';
    return { text: `${title}${part}`, blocks: [header(`${title}${part}`), ...chunk, ...(i === chunks.length - 1 ? [footer] : [])] };
  });
}

/** A digest as the Slack messages it becomes. Every source value is escaped for mrkdwn; links only to web addresses. */
export function slackMessages(content: DigestContent): SlackMessage[] {
  return content.kind === 'exec' ? execMessages(content) : teamMessages(content);
}

/**
 * A Slack incoming webhook, through Slack's own client. Its fetch is ours only to read
 * `Retry-After`, which the client does not expose; retries happen in the delivery policy.
 * Errors never carry the webhook URL, which is a secret.
 */
export function slackChannel(variable: string, webhookUrl: string, options: { timeoutMs?: number; fetch?: typeof fetch } = {}): DigestChannel<SlackMessage> {
  let retryAfter: string | null = null;
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  const webhook = new IncomingWebhook(webhookUrl, {
    timeout: options.timeoutMs ?? 15_000,
    fetch: async (input, init) => {
      const response = await send(input, init);
      retryAfter = response.headers.get('retry-after');
      return response;
    },
  });
  return {
    name: `slack:${variable}`,
    broadcast: true,
    spacingMs: SPACING_MS,
    render: (content) => slackMessages(content).map((body) => ({ summary: body.text, body })),
    async send(message) {
      try {
        return (await webhook.send(message.body)).text ?? 'ok';
      } catch (error) {
        throw slackFailure(error, retryAfter);
      }
    },
  };
}

/** What a failed post means for the next try, in words without the webhook URL. */
function slackFailure(error: unknown, retryAfter: string | null): SendFailure {
  if (error instanceof IncomingWebhookHTTPError) {
    const said = `Slack answered ${error.statusCode} ${error.body.trim().slice(0, 60) || error.statusMessage}`;
    if (error.statusCode === 429) {
      const seconds = Number(retryAfter);
      return new SendFailure(`${said} (rate limited)`, 'after', Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null);
    }
    return new SendFailure(said, error.statusCode >= 500 ? 'backoff' : 'no');
  }
  if (error instanceof IncomingWebhookRequestError) {
    const cause = (error.original as { cause?: { code?: unknown } }).cause;
    return new SendFailure(`could not reach Slack (${typeof cause?.code === 'string' ? cause.code : error.original.name})`, 'backoff');
  }
  return new SendFailure('could not post to Slack', 'backoff');
}
