import { isPm } from '../model/kinds.js';
import type { Interview } from '../model/interview.js';
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
  // One owners list per set of interviewers, shared by their promises (read only): at 1 000 000
  // interviews a list each was 7 MB of every run's 23 MB that outlived its young collections.
  const ownerLists = new Map<string, { owners: FollowUpItem['owners']; keys: string[] }>();
  const ownersOf = (people: Interview['interviewers']) => {
    let id = '';
    for (const p of people) id += `${p.key}\u0000${p.name ?? ''}\u0001`;
    let list = ownerLists.get(id);
    if (!list) {
      const owners = people.map((p) => ({ key: p.key, name: p.name }));
      ownerLists.set(id, (list = { owners, keys: [...new Set(owners.map((o) => o.key))] }));
    }
    return list;
  };
  const owned = new Map<string, { open: number; overdue: number }>();
  let overdue = 0;
  for (const r of all) {
    if (!(flags[r]! & FOLLOW_UP_OPEN)) continue;
    const i = placement.rows[r]!;
    const due = i.followUps.due!;
    const late = due < asOf;
    const { owners, keys } = ownersOf(i.interviewers);
    if (late) overdue += 1;
    for (const key of keys) {
      const mine = owned.get(key) ?? { open: 0, overdue: 0 };
      mine.open += 1;
      if (late) mine.overdue += 1;
      owned.set(key, mine);
    }
    items.push({
      interviewId: i.id,
      title: i.title,
      account: i.account,
      date: dateOfDay(placement.day[r]!),
      due,
      overdue: late,
      daysOverdue: late ? today - dayOfDate(due) : 0,
      promise: i.followUps.text?.trim() || null,
      owners,
      url: i.notesUrl ?? i.source.url,
    });
  }
  items.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.interviewId < b.interviewId ? -1 : a.interviewId > b.interviewId ? 1 : 0));
  return {
    open: items.length,
    overdue,
    items,
    people: roster.filter(isPm).map((p) => ({ email: p.email, name: p.name, team: p.team, ...(owned.get(p.email) ?? { open: 0, overdue: 0 }) })),
  };
}
