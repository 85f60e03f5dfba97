import { isPm } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import { FOLLOW_UP_OPEN, type Placement, type Rows } from './conversations.js';
import { dateOfDay, dayOfDate } from './time.js';

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
export function computeFollowUps(placement: Placement, all: Rows, roster: readonly Person[], asOf: string): FollowUpsResult {
  const items: FollowUpItem[] = [];
  const today = dayOfDate(asOf);
  const { flags } = placement;
  for (const r of all) {
    if (!(flags[r]! & FOLLOW_UP_OPEN)) continue;
    const i = placement.rows[r]!;
    const due = i.followUps.due!;
    const overdue = due < asOf;
    items.push({
      interviewId: i.id,
      title: i.title,
      account: i.account,
      date: dateOfDay(placement.day[r]!),
      due,
      overdue,
      daysOverdue: overdue ? today - dayOfDate(due) : 0,
      promise: i.followUps.text?.trim() || null,
      owners: i.interviewers.map((p) => ({ key: p.key, name: p.name })),
      url: i.notesUrl ?? i.source.url,
    });
  }
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
