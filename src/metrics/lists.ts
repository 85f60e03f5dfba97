import type { Interview } from '../model/interview.js';
import type { Person } from '../model/person.js';
import type { Targets } from '../config/schema.js';
import { COUNTED, credits, hasPerson, markPeople, newestFirst, placedAt, placeInterviews, rowsWhere, type Placed, type Placement } from './conversations.js';
import { dayOfDate } from './time.js';

/**
 * The conversations behind the numbers, as lists: what a digest lists as news, the nuggets it
 * forwards, a person's recent conversations. Pure, like every metric: links come out raw, and the
 * presenter decides which are safe to follow.
 */

/** A conversation as a list shows it. */
export interface ListedConversation {
  id: string;
  date: string;
  title: string;
  account: string | null;
  /** Interviewers, named as the roster names them. */
  people: string[];
  callType: Interview['callType'];
  tldr: string | null;
  debriefed: boolean | null;
  counted: boolean;
  hours: number;
  notesUrl: string | null;
  sourceUrl: string | null;
}

/** A quote worth forwarding to executives. */
export interface Nugget {
  quote: string;
  date: string;
  account: string | null;
  people: string[];
  notesUrl: string | null;
  sourceUrl: string | null;
}

/** Roster names by key: lists name people as the roster does, whatever the source wrote. */
export type Names = ReadonlyMap<string, string>;

export function rosterNames(roster: readonly Person[]): Names {
  return new Map(roster.map((p) => [p.email, p.name]));
}

/** Roster e-mails of a team. */
export function teamKeys(roster: readonly Person[], team: string): Set<string> {
  return new Set(roster.filter((p) => p.team === team).map((p) => p.email));
}

/** A person as a list names them: by the roster's name, else what the source wrote. */
export const nameOf = (names: Names, p: Interview['interviewers'][number]) => names.get(p.key) ?? p.name ?? p.email ?? p.key;

interface ListOptions {
  targets: Targets;
  timezone: string;
  /** Local dates, inclusive. */
  from: string;
  to: string;
  names: Names;
}

/** A placed interview as a list shows it. */
export function listConversation(p: Placed, names: Names): ListedConversation {
  const i = p.interview;
  return {
    id: i.id,
    date: p.date,
    title: i.title || '(untitled)',
    account: i.account,
    people: i.interviewers.map((x) => nameOf(names, x)),
    callType: i.callType,
    tldr: i.tldr,
    debriefed: i.debriefed,
    counted: p.counted,
    hours: p.hours,
    notesUrl: i.notesUrl,
    sourceUrl: i.source.url,
  };
}

/** Counted conversations dated in [from, to], optionally only those crediting `keys`; newest first. */
export function conversationsBetween(interviews: readonly Interview[], options: ListOptions & { keys?: ReadonlySet<string> }): ListedConversation[] {
  const placement = placeInterviews(interviews, options.targets, options.timezone, options.to);
  const from = dayOfDate(options.from);
  const marks = options.keys ? markPeople(placement, options.keys) : null;
  return rowsWhere(placement, (r) => (placement.flags[r]! & COUNTED) !== 0 && placement.day[r]! >= from && (!marks || credits(placement, r, marks)))
    .sort(newestFirst(placement))
    .map((r) => listConversation(placedAt(placement, r), options.names));
}

/** A quote reduced to its letters and digits, lower case: how one quote is recognised in two rows. */
const quoteKey = (quote: string) =>
  quote
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The newest nuggets in [from, to], at most `max`, one per account so no single customer
 * dominates, and each quote once (a quote copied into a second row, or quoted inside a longer
 * note, is the same quote).
 */
export function collectNuggets(interviews: readonly Interview[], options: ListOptions & { max: number }): Nugget[] {
  const seen = new Set<string>();
  const quotes: string[] = [];
  const out: Nugget[] = [];
  const placement = placeInterviews(interviews, options.targets, options.timezone, options.to);
  const from = dayOfDate(options.from);
  const rows = rowsWhere(placement, (r) => placement.day[r]! >= from && Boolean(placement.rows[r]!.nugget?.trim())).sort(newestFirst(placement));
  for (const p of rows.map((r) => placedAt(placement, r))) {
    const account = p.interview.account?.trim().toLowerCase() ?? `#${p.interview.id}`;
    const key = quoteKey(p.interview.nugget!);
    if (seen.has(account) || (key !== '' && quotes.some((q) => q.includes(key) || key.includes(q)))) continue;
    seen.add(account);
    if (key !== '') quotes.push(key);
    const c = listConversation(p, options.names);
    out.push({ quote: p.interview.nugget!.trim(), date: c.date, account: c.account, people: c.people, notesUrl: c.notesUrl, sourceUrl: c.sourceUrl });
    if (out.length >= options.max) break;
  }
  return out;
}

/** A person's latest conversations up to `asOf` (counted or not, led or attended), newest first. */
export function personConversations(
  interviews: readonly Interview[],
  options: { targets: Targets; timezone: string; asOf: string; key: string; limit: number; names: Names; placed?: Placement },
): Array<ListedConversation & { led: boolean }> {
  const key = options.key;
  const placement = options.placed ?? placeInterviews(interviews, options.targets, options.timezone, options.asOf);
  const id = placement.people.find(key);
  if (id < 0) return [];
  // Sorted as numbers, and only the rows the list shows are built.
  const mine = rowsWhere(placement, (r) => hasPerson(placement, r, id));
  return mine
    .sort(newestFirst(placement))
    .slice(0, options.limit)
    .map((r) => {
      const p = placedAt(placement, r);
      return { ...listConversation(p, options.names), led: p.interview.interviewers.some((i) => i.key === key) };
    });
}
