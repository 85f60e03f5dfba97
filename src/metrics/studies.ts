import type { Targets } from '../config/schema.js';
import type { Conversation } from './conversations.js';
import { accountKey } from './window.js';

export type EvidenceLevel = 'anecdotal' | 'emerging' | 'solid';

export interface StudyRow {
  study: string;
  conversations: number;
  accounts: number;
  segments: string[];
  level: EvidenceLevel;
  /** Conversations still needed for the next level; null once solid. */
  toNextLevel: number | null;
  first: string;
  last: string;
}

/**
 * Evidence per study, over all conversations up to the as-of date (a study outlives any window).
 * Thresholds: the seeds — three interviews are anecdotes; 10–15 answer a question; 20+ are
 * stable patterns.
 */
export function computeStudies(conversations: readonly Conversation[], targets: Targets): StudyRow[] {
  const studies = new Map<string, { conversations: number; accounts: Set<string>; segments: Set<string>; first: string; last: string }>();
  for (const c of conversations) {
    const name = c.interview.study?.trim();
    if (!name) continue;
    let s = studies.get(name);
    if (!s) studies.set(name, (s = { conversations: 0, accounts: new Set(), segments: new Set(), first: c.date, last: c.date }));
    s.conversations += 1;
    if (c.interview.account) s.accounts.add(accountKey(c.interview.account));
    if (c.interview.segment) s.segments.add(c.interview.segment);
    if (c.date < s.first) s.first = c.date;
    if (c.date > s.last) s.last = c.date;
  }
  const { emerging, solid } = targets.evidence;
  return [...studies]
    .map(([study, s]): StudyRow => {
      const level: EvidenceLevel = s.conversations >= solid ? 'solid' : s.conversations >= emerging ? 'emerging' : 'anecdotal';
      return {
        study,
        conversations: s.conversations,
        accounts: s.accounts.size,
        segments: [...s.segments].sort(),
        level,
        toNextLevel: level === 'solid' ? null : (level === 'emerging' ? solid : emerging) - s.conversations,
        first: s.first,
        last: s.last,
      };
    })
    .sort((a, b) => b.conversations - a.conversations || a.study.localeCompare(b.study));
}
