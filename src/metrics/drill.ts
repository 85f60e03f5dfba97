import type { CallType, CustomerStatus } from '../model/interview.js';
import type { Placed } from './conversations.js';
import { NOT_SET } from './coverage.js';
import { accountKey } from './window.js';

/**
 * What `/conversations` is filtered by: the rows behind any count the dashboard shows. Each
 * criterion reads the interview exactly as the metric that made the count does, so a count and
 * the rows behind its link cannot disagree (docs/metrics.md, "Drill-down").
 */
export interface ConversationFilter {
  /** Local dates, inclusive; `from: null` is since the first conversation. */
  from: string | null;
  to: string;
  /** Roster keys of the team filter: rows crediting one of them (as every metric filters a team). */
  teamKeys?: ReadonlySet<string> | null;
  /** Credited (led, or attended when attendees are credited): cadence, quality, the matrix. */
  person?: string | null;
  /** Led: who owns a follow-up. */
  led?: string | null;
  /** Led or attended, credited or not: practice quality, a person's own list. */
  present?: string | null;
  /** A segment or tier, `(not set)` for rows that leave it empty. */
  segment?: string | null;
  tier?: string | null;
  status?: CustomerStatus | null;
  /** An account, compared as `accountKey` compares them. */
  account?: string | null;
  study?: string | null;
  /** A tag, compared case-insensitively as Themes counts them. */
  tag?: string | null;
  /** One call type (counted or not), or every call type; unset is the counted ones: a conversation. */
  callType?: CallType | 'all' | null;
  /** Rows with an open promise, or with one past due on `asOf`. */
  followUp?: 'open' | 'overdue' | null;
  /** The as-of date overdue promises are judged on. */
  asOf?: string;
}

/** The placed interviews a filter selects, newest first (ties by id): pure. */
export function selectConversations(placed: readonly Placed[], filter: ConversationFilter): Placed[] {
  const account = filter.account ? accountKey(filter.account) : null;
  const tag = filter.tag ? filter.tag.trim().toLowerCase() : null;
  const study = filter.study ? filter.study.trim() : null;
  const out: Placed[] = [];
  for (const p of placed) {
    const i = p.interview;
    if (p.date > filter.to || (filter.from !== null && p.date < filter.from)) continue;
    if (filter.callType === undefined || filter.callType === null ? !p.counted : filter.callType !== 'all' && i.callType !== filter.callType) continue;
    if (filter.teamKeys && !p.credited.some((k) => filter.teamKeys!.has(k))) continue;
    if (filter.person && !p.credited.includes(filter.person)) continue;
    if (filter.led && !i.interviewers.some((x) => x.key === filter.led)) continue;
    if (filter.present && !i.interviewers.some((x) => x.key === filter.present) && !i.attendees.some((x) => x.key === filter.present)) continue;
    if (filter.segment && (i.segment ?? NOT_SET) !== filter.segment) continue;
    if (filter.tier && (i.tier ?? NOT_SET) !== filter.tier) continue;
    if (filter.status && i.customerStatus !== filter.status) continue;
    if (account !== null && (!i.account?.trim() || accountKey(i.account) !== account)) continue;
    if (study !== null && i.study?.trim() !== study) continue;
    if (tag !== null && !i.tags.some((t) => t.trim().toLowerCase() === tag)) continue;
    if (filter.followUp) {
      const { due, done } = i.followUps;
      if (!due || done === true) continue;
      if (filter.followUp === 'overdue' && !(due < (filter.asOf ?? filter.to))) continue;
    }
    out.push(p);
  }
  // ISO dates and ids sort by code point: no locale rules in a sort that may hold every row.
  return out.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.interview.id < b.interview.id ? -1 : a.interview.id > b.interview.id ? 1 : 0));
}
