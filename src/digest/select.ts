import type { Interview } from '../model/interview.js';
import type { Person } from '../model/person.js';
import type { Targets } from '../config/schema.js';
import { placeInterviews } from '../metrics/conversations.js';

/** A conversation as a digest lists it. */
export interface DigestConversation {
  date: string;
  title: string;
  account: string | null;
  people: string[];
  callType: string;
  tldr: string | null;
  debriefed: boolean | null;
  url: string | null;
}

/** A quote worth forwarding to executives. */
export interface Nugget {
  quote: string;
  date: string;
  account: string | null;
  people: string[];
  url: string | null;
}

const web = (url: string | null | undefined) => (url && /^https?:\/\/\S+$/i.test(url) ? url : null);

/** Roster names by key: a digest names people as the roster does, whatever the source wrote. */
export type Names = ReadonlyMap<string, string>;

export function rosterNames(roster: readonly Person[]): Names {
  return new Map(roster.map((p) => [p.email, p.name]));
}

const nameOf = (names: Names, p: Interview['interviewers'][number]) => names.get(p.key) ?? p.name ?? p.email ?? p.key;

function toDigestConversation(i: Interview, date: string, names: Names): DigestConversation {
  return {
    date,
    title: i.title || '(untitled)',
    account: i.account,
    people: i.interviewers.map((p) => nameOf(names, p)),
    callType: i.callType,
    tldr: i.tldr,
    debriefed: i.debriefed,
    url: web(i.notesUrl) ?? web(i.source.url),
  };
}

/** Conversations dated in [from, to] (local dates), optionally only those crediting `keys`; newest first. */
export function conversationsBetween(
  interviews: readonly Interview[],
  options: { targets: Targets; timezone: string; from: string; to: string; names: Names; keys?: ReadonlySet<string> },
): DigestConversation[] {
  return placeInterviews(interviews, options.targets, options.timezone, options.to)
    .filter((p) => p.counted && p.date >= options.from && (!options.keys || p.credited.some((k) => options.keys!.has(k))))
    .sort((a, b) => b.date.localeCompare(a.date) || a.interview.id.localeCompare(b.interview.id))
    .map((p) => toDigestConversation(p.interview, p.date, options.names));
}

/** The newest nuggets in [from, to], at most `max`, one per account so no single customer dominates. */
export function collectNuggets(interviews: readonly Interview[], options: { targets: Targets; timezone: string; from: string; to: string; max: number; names: Names }): Nugget[] {
  const seen = new Set<string>();
  const out: Nugget[] = [];
  const placed = placeInterviews(interviews, options.targets, options.timezone, options.to)
    .filter((p) => p.date >= options.from && p.interview.nugget?.trim())
    .sort((a, b) => b.date.localeCompare(a.date) || a.interview.id.localeCompare(b.interview.id));
  for (const p of placed) {
    const account = p.interview.account?.trim().toLowerCase() ?? `#${p.interview.id}`;
    if (seen.has(account)) continue;
    seen.add(account);
    out.push({ quote: p.interview.nugget!.trim(), date: p.date, account: p.interview.account, people: p.interview.interviewers.map((x) => nameOf(options.names, x)), url: web(p.interview.notesUrl) ?? web(p.interview.source.url) });
    if (out.length >= options.max) break;
  }
  return out;
}

/** Roster e-mails of a team. */
export function teamKeys(roster: readonly Person[], team: string): Set<string> {
  return new Set(roster.filter((p) => p.team === team).map((p) => p.email));
}
