import { isPm } from '../model/person.js';
import type { Person } from '../model/person.js';
import type { Placed } from './conversations.js';
import { daysBetween } from './time.js';

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

/** Open and overdue promises (due before the as-of date, not done); DESIGN.md "Follow-ups". */
export function computeFollowUps(placed: readonly Placed[], roster: readonly Person[], asOf: string): FollowUpsResult {
  const items: FollowUpItem[] = [];
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
      daysOverdue: overdue ? daysBetween(due, asOf) : 0,
      owners: p.interview.interviewers.map((i) => ({ key: i.key, name: i.name })),
      url: p.interview.notesUrl ?? p.interview.source.url,
    });
  }
  items.sort((a, b) => a.due.localeCompare(b.due) || a.interviewId.localeCompare(b.interviewId));
  return {
    open: items.length,
    overdue: items.filter((i) => i.overdue).length,
    items,
    people: roster.filter(isPm).map((p) => {
      const mine = items.filter((i) => i.owners.some((o) => o.key === p.email));
      return { email: p.email, name: p.name, team: p.team, open: mine.length, overdue: mine.filter((i) => i.overdue).length };
    }),
  };
}
