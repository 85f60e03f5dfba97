import type { CallType, CustomerStatus } from '../model/interview.js';
import { CALL_TYPES, CUSTOMER_STATUSES } from '../model/kinds.js';
import { COUNTED, credits, FOLLOW_UP_OPEN, hasPerson, keyOfValue, markPeople, newestFirst, NONE, type Placement } from './conversations.js';
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

/** The rows of a placement a filter selects, newest first (ties by id): pure. A list builds only the rows it shows (`placedAt`). */
export function selectConversations(placement: Placement, filter: ConversationFilter): number[] {
  const from = filter.from === null ? null : dayOfDate(filter.from);
  const to = dayOfDate(filter.to);
  const asOf = filter.asOf ?? filter.to;
  const team = filter.teamKeys ? markPeople(placement, filter.teamKeys) : null;
  const person = filter.person ? placement.people.find(filter.person) : null;
  const present = filter.present ? placement.people.find(filter.present) : null;
  // A person no row names is in no row.
  if (person === -1 || present === -1) return [];
  const callType = filter.callType && filter.callType !== 'all' ? CALL_TYPES.indexOf(filter.callType) : -1;
  const status = filter.status ? CUSTOMER_STATUSES.indexOf(filter.status) : -1;
  // A call type or status no row can have.
  if ((filter.callType && filter.callType !== 'all' && callType === -1) || (filter.status && status === -1)) return [];
  // Which numbered values match, decided once per value, not once per row.
  const which = (values: readonly string[], test: (value: string) => boolean) => Uint8Array.from(values, (v, id) => (id !== NONE && test(v) ? 1 : 0));
  const key = filter.account ? accountKey(filter.account) : null;
  const accounts = key === null ? null : which(placement.accounts.values, (a) => a.trim() !== '' && accountKey(a) === key);
  const tag = filter.tag ? filter.tag.trim().toLowerCase() : null;
  const tags = tag === null ? null : which(placement.tagNames.values, (t) => t.trim().toLowerCase() === tag);
  const study = filter.study ? filter.study.trim() : null;
  // A blank study (`NONE` in the column) is matched only by a filter that trims to nothing: read the row then.
  const studies = study === null || study === '' ? null : which(placement.studies.values, (s) => s.trim() === study);
  const { day, flags } = placement;
  const picked: number[] = [];
  for (let r = 0; r < placement.rows.length; r++) {
    const d = day[r]!;
    if (d > to || (from !== null && d < from)) continue;
    if (filter.callType === undefined || filter.callType === null ? !(flags[r]! & COUNTED) : callType !== -1 && placement.callType[r] !== callType) continue;
    if (team && !credits(placement, r, team)) continue;
    if (person !== null && !hasPerson(placement, r, person, true)) continue;
    if (filter.led && !placement.rows[r]!.interviewers.some((x) => x.key === filter.led)) continue;
    if (present !== null && !hasPerson(placement, r, present)) continue;
    if (filter.segment && placement.segments.values[keyOfValue(placement.segment[r]!)] !== filter.segment) continue;
    if (filter.tier && placement.tiers.values[keyOfValue(placement.tier[r]!)] !== filter.tier) continue;
    if (status !== -1 && placement.status[r] !== status) continue;
    if (accounts && accounts[placement.account[r]!] !== 1) continue;
    if (studies ? studies[placement.study[r]!] !== 1 : study !== null && placement.rows[r]!.study?.trim() !== study) continue;
    if (tags && !hasTag(placement, r, tags)) continue;
    if (filter.followUp) {
      if (!(flags[r]! & FOLLOW_UP_OPEN)) continue;
      if (filter.followUp === 'overdue' && !(placement.rows[r]!.followUps.due! < asOf)) continue;
    }
    picked.push(r);
  }
  return picked.sort(newestFirst(placement));
}

/** Whether one of row `r`'s tags is marked in `tags` (by tag number). */
function hasTag(placement: Placement, r: number, tags: Uint8Array): boolean {
  for (let k = placement.tagFrom[r]!; k < placement.tagFrom[r + 1]!; k++) if (tags[placement.tags[k]!] === 1) return true;
  return false;
}
