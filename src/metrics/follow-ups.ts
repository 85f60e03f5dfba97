import { isPm } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import type { Placed } from './conversations.js';

/** A promise made to a customer and not yet marked done. */
export interface FollowUpItem {
  interviewId: string;
  title: string;
  account: string | null;
  date: string;
  due: string;
  overdue: boolean;
  /** Days past due (0 when not overdue). */
  daysOverdue: number;
  /** What was promised, where a column holds it. */
  promise: string | null;
  /** Interviewers' keys and names: who owns the promise. */
  owners: Array<{ key: string; name: string | null }>;
  url: string | null;
}

export interface FollowUpsResult {
  open: number;
  overdue: number;
  /** Open promises, oldest due date first. */
  items: FollowUpItem[];
  /** Per roster PM, including those with none. */
  people: Array<{ email: string; name: string; team: string | null; open: number; overdue: number }>;
}

/** Open and overdue promises (due before the as-of date, not done); docs/metrics.md "followUps". */
export function computeFollowUps(placed: readonly Placed[], roster: readonly Person[], asOf: string): FollowUpsResult {
  const items: FollowUpItem[] = [];
  const today = dayNumber(asOf);
  for (const p of placed) {
    const { due, done } = p.interview.followUps;
    if (!due || done === true) continue;
    const overdue = due < asOf;
    items.push({
      interviewId: p.interview.id,
      title: p.interview.title,
      account: p.interview.account,
      date: p.date,
      due,
      overdue,
      daysOverdue: overdue ? today - dayNumber(due) : 0,
      promise: p.interview.followUps.text?.trim() || null,
      owners: p.interview.interviewers.map((i) => ({ key: i.key, name: i.name })),
      url: p.interview.notesUrl ?? p.interview.source.url,
    });
  }
  // ISO dates and ids sort by code point: no locale rules in a sort over every open promise.
  items.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.interviewId < b.interviewId ? -1 : a.interviewId > b.interviewId ? 1 : 0));
  const owned = new Map<string, { open: number; overdue: number }>();
  let overdue = 0;
  for (const item of items) {
    if (item.overdue) overdue += 1;
    for (const key of new Set(item.owners.map((o) => o.key))) {
      const mine = owned.get(key) ?? { open: 0, overdue: 0 };
      mine.open += 1;
      if (item.overdue) mine.overdue += 1;
      owned.set(key, mine);
    }
  }
  return {
    open: items.length,
    overdue,
    items,
    people: roster.filter(isPm).map((p) => ({ email: p.email, name: p.name, team: p.team, ...(owned.get(p.email) ?? { open: 0, overdue: 0 }) })),
  };
}

/** Days since 1970-01-01 of an ISO date (or the date part of an instant): day arithmetic on integers. */
function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}
