import type { Targets } from '../config/schema.js';
import { accountKeysOf, NONE, type Placement, type Rows } from './conversations.js';
import { dateOfDay } from './time.js';

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

/** A study's counts: accounts by key number, segments by number, first and last day. */
interface StudyTally {
  conversations: number;
  accounts: Set<number>;
  segments: Set<number>;
  first: number;
  last: number;
}

/**
 * Evidence per study, over all conversations up to the as-of date (a study outlives any window).
 * Thresholds: the seeds — three interviews are anecdotes; 10–15 answer a question; 20+ are
 * stable patterns.
 */
export function computeStudies(placement: Placement, conversations: Rows, targets: Targets): StudyRow[] {
  const { keyOf } = accountKeysOf(placement);
  const names = placement.studies.values.map((name) => name.trim());
  const studies = new Map<string, StudyTally>();
  // By study number; several numbers may be one study ("Onboarding", "Onboarding ").
  const byId: Array<StudyTally | undefined> = [];
  const { study, account, segment, day } = placement;
  for (const r of conversations) {
    const id = study[r]!;
    if (id === NONE || !names[id]) continue;
    const d = day[r]!;
    let s = byId[id];
    if (!s) {
      const name = names[id]!;
      s = studies.get(name);
      if (!s) studies.set(name, (s = { conversations: 0, accounts: new Set(), segments: new Set(), first: d, last: d }));
      byId[id] = s;
    }
    s.conversations += 1;
    const a = account[r]!;
    if (a !== NONE) s.accounts.add(keyOf[a]!);
    const seg = segment[r]!;
    if (seg !== NONE && placement.segments.values[seg]) s.segments.add(seg);
    if (d < s.first) s.first = d;
    if (d > s.last) s.last = d;
  }
  const { emerging, solid } = targets.evidence;
  return [...studies]
    .map(([study, s]): StudyRow => {
      const level: EvidenceLevel = s.conversations >= solid ? 'solid' : s.conversations >= emerging ? 'emerging' : 'anecdotal';
      return {
        study,
        conversations: s.conversations,
        accounts: s.accounts.size,
        segments: [...s.segments].map((seg) => placement.segments.values[seg]!).sort(),
        level,
        toNextLevel: level === 'solid' ? null : (level === 'emerging' ? solid : emerging) - s.conversations,
        first: dateOfDay(s.first),
        last: dateOfDay(s.last),
      };
    })
    .sort((a, b) => b.conversations - a.conversations || a.study.localeCompare(b.study));
}
