import type { CallType, CustomerStatus } from '../model/interview.js';
import { COUNTED, credits, FOLLOW_UP_OPEN, hasPerson, keyOfValue, markPeople, newestFirst, placedAt, type Placed, type Placement } from './conversations.js';
import { dayOfDate } from './time.js';
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
export function selectConversations(placement: Placement, filter: ConversationFilter): Placed[] {
  const account = filter.account ? accountKey(filter.account) : null;
  const tag = filter.tag ? filter.tag.trim().toLowerCase() : null;
  const study = filter.study ? filter.study.trim() : null;
  const from = filter.from === null ? null : dayOfDate(filter.from);
  const to = dayOfDate(filter.to);
  const asOf = filter.asOf ?? filter.to;
  const team = filter.teamKeys ? markPeople(placement, filter.teamKeys) : null;
  const person = filter.person ? placement.people.find(filter.person) : null;
  const present = filter.present ? placement.people.find(filter.present) : null;
  // A person no row names is in no row.
  if (person === -1 || present === -1) return [];
  const { day, flags } = placement;
  const picked: number[] = [];
  for (let r = 0; r < placement.rows.length; r++) {
    const d = day[r]!;
    if (d > to || (from !== null && d < from)) continue;
    const i = placement.rows[r]!;
    if (filter.callType === undefined || filter.callType === null ? !(flags[r]! & COUNTED) : filter.callType !== 'all' && i.callType !== filter.callType)
      continue;
    if (team && !credits(placement, r, team)) continue;
    if (person !== null && !hasPerson(placement, r, person, true)) continue;
    if (filter.led && !i.interviewers.some((x) => x.key === filter.led)) continue;
    if (present !== null && !hasPerson(placement, r, present)) continue;
    if (filter.segment && placement.segments.values[keyOfValue(placement.segment[r]!)] !== filter.segment) continue;
    if (filter.tier && placement.tiers.values[keyOfValue(placement.tier[r]!)] !== filter.tier) continue;
    if (filter.status && i.customerStatus !== filter.status) continue;
    if (account !== null && (!i.account?.trim() || accountKey(i.account) !== account)) continue;
    if (study !== null && i.study?.trim() !== study) continue;
    if (tag !== null && !i.tags.some((t) => t.trim().toLowerCase() === tag)) continue;
    if (filter.followUp) {
      if (!(flags[r]! & FOLLOW_UP_OPEN)) continue;
      if (filter.followUp === 'overdue' && !(i.followUps.due! < asOf)) continue;
    }
    picked.push(r);
  }
  picked.sort(newestFirst(placement));
  return picked.map((r) => placedAt(placement, r));
}
