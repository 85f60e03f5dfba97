import { isPm } from '../model/kinds.js';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import type { Targets } from '../config/schema.js';
import type { Conversation } from './conversations.js';
import { accountKey, ratio, type Window } from './window.js';
import { anyTracks, tracks, type Tracking } from './tracking.js';

/** The key of conversations whose segment or tier the source leaves empty. */
export const NOT_SET = '(not set)';

/** One slice of the market in the window. */
export interface CoverageRow {
  key: string;
  conversations: number;
  /** Distinct accounts heard from. */
  accounts: number;
  /** Share of the window's conversations; null in an empty window. */
  share: number | null;
  /** Target share from `targets.segmentMix` (segments only, where set). */
  target?: number;
  /** `share − target`: negative means under-heard. */
  gap?: number;
}

export type CoverageFlagCode = 'segment_unheard' | 'segment_below_minimum' | 'status_unheard' | 'status_below_minimum';

/** Something missing from what the organisation hears. */
export interface CoverageFlag {
  code: CoverageFlagCode;
  key: string;
  conversations: number;
  minimum: number;
  /** Last conversation with this segment or status before the as-of date, if ever. */
  lastHeard: string | null;
  /** The window the flag is about, in days. */
  windowDays: number;
}

export interface CoverageResult {
  conversations: number;
  /** Whether any source maps segment / customer status; gaps are only flagged for tracked ones. */
  tracked: { segment: boolean; customerStatus: boolean };
  bySegment: CoverageRow[];
  byStatus: CoverageRow[];
  byTier: CoverageRow[];
  flags: CoverageFlag[];
  /** Conversations per roster PM and segment in the window. */
  matrix: { segments: string[]; rows: Array<{ email: string; name: string; team: string | null; counts: number[]; total: number }> };
}

/** Statuses whose silence is a gap; `unknown` is a data problem, not a market. */
const HEARD_STATUSES: readonly CustomerStatus[] = ['current', 'former', 'prospect', 'lost'];

/**
 * Whom the organisation hears from in the window; docs/metrics.md "coverage". Every breakdown adds
 * up to the window's conversations (empty values are a `(not set)` row).
 */
export function computeCoverage(
  all: readonly Conversation[],
  roster: readonly Person[],
  targets: Targets,
  window: Window,
  tracking: Tracking = {},
): CoverageResult {
  const segmentOf = (c: Conversation) => c.interview.segment ?? NOT_SET;
  // One pass over every conversation: the window's, and when each segment and status was last heard.
  const inWindow: Conversation[] = [];
  const segmentLast = new Map<string, string>();
  const statusLast = new Map<string, string>();
  for (const c of all) {
    if (c.date >= window.from && c.date <= window.to) inWindow.push(c);
    const segment = segmentOf(c);
    if ((segmentLast.get(segment) ?? '') < c.date) segmentLast.set(segment, c.date);
    const status = c.interview.customerStatus;
    if ((statusLast.get(status) ?? '') < c.date) statusLast.set(status, c.date);
  }
  const total = inWindow.length;

  // Segments: those in the target mix, plus every one ever heard, so silence shows as zero.
  const mix = targets.segmentMix ?? {};
  const mixTotal = Object.values(mix).reduce((a, b) => a + b, 0);
  const segmentKeys = new Set([...Object.keys(mix), ...segmentLast.keys()]);
  const bySegment = breakdown(inWindow, segmentOf, segmentKeys, total).map((row) => {
    const weight = mix[row.key];
    if (weight === undefined || mixTotal === 0) return row;
    const target = weight / mixTotal;
    return { ...row, target, gap: (row.share ?? 0) - target };
  });
  sortRows(bySegment);

  const byStatus = breakdown(inWindow, (c) => c.interview.customerStatus, new Set<string>(CUSTOMER_STATUSES), total);
  const byTier = breakdown(inWindow, (c) => c.interview.tier ?? NOT_SET, new Set(), total);
  sortRows(byTier);

  const flags: CoverageFlag[] = [];
  // minPerSegment is per targets.windowDays: a shorter or longer window scales it (at least 1), so
  // "fewer than 10 in 90 days" does not flag a 7-day view of a healthy segment.
  const min = Math.max(1, Math.ceil((targets.minPerSegment * window.days) / targets.windowDays));
  // Gaps are only claimed about fields some source records: silence in an unmapped column is not news.
  const segmentsTracked = anyTracksIn(tracking, all, 'segment');
  const statusTracked = anyTracksIn(tracking, all, 'customerStatus');
  for (const row of segmentsTracked ? bySegment : []) {
    if (row.key === NOT_SET) continue;
    const last = segmentLast.get(row.key) ?? null;
    if (row.conversations === 0) {
      flags.push({ code: 'segment_unheard', key: row.key, conversations: 0, minimum: min, lastHeard: last, windowDays: window.days });
    } else if (row.conversations < min) {
      flags.push({ code: 'segment_below_minimum', key: row.key, conversations: row.conversations, minimum: min, lastHeard: last, windowDays: window.days });
    }
  }
  for (const status of statusTracked ? HEARD_STATUSES : []) {
    const row = byStatus.find((r) => r.key === status)!;
    const last = statusLast.get(status) ?? null;
    if (row.conversations === 0) {
      flags.push({ code: 'status_unheard', key: status, conversations: 0, minimum: min, lastHeard: last, windowDays: window.days });
    } else if (row.conversations < min) {
      flags.push({ code: 'status_below_minimum', key: status, conversations: row.conversations, minimum: min, lastHeard: last, windowDays: window.days });
    }
  }

  const segments = bySegment.map((r) => r.key);
  const column = new Map(segments.map((s, i) => [s, i]));
  const pmRows = roster.filter(isPm).map((p) => ({ email: p.email, name: p.name, team: p.team, counts: segments.map(() => 0), total: 0 }));
  const rowOf = new Map(pmRows.map((r) => [r.email, r]));
  for (const c of inWindow) {
    const col = column.get(segmentOf(c))!;
    for (const key of c.credited) {
      const row = rowOf.get(key);
      if (!row) continue;
      row.counts[col]! += 1;
      row.total += 1;
    }
  }
  const rows = pmRows;

  return {
    conversations: total,
    tracked: { segment: segmentsTracked, customerStatus: statusTracked },
    bySegment,
    byStatus,
    byTier,
    flags,
    matrix: { segments, rows },
  };
}

/** `anyTracks` over conversations, without an array of their interviews. */
function anyTracksIn(tracking: Tracking, all: readonly Conversation[], field: 'segment' | 'customerStatus'): boolean {
  if (all.length === 0) return anyTracks(tracking, [], field);
  return all.some((c) => tracks(tracking, c.interview, field));
}

function breakdown(conversations: readonly Conversation[], keyOf: (c: Conversation) => string, always: ReadonlySet<string>, total: number): CoverageRow[] {
  const rows = new Map<string, { conversations: number; accounts: Set<string> }>();
  for (const key of always) rows.set(key, { conversations: 0, accounts: new Set() });
  for (const c of conversations) {
    const key = keyOf(c);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { conversations: 0, accounts: new Set() }));
    row.conversations += 1;
    if (c.interview.account) row.accounts.add(accountKey(c.interview.account));
  }
  return [...rows].map(([key, row]) => ({ key, conversations: row.conversations, accounts: row.accounts.size, share: ratio(row.conversations, total) }));
}

/** Most heard first; `(not set)` last; ties by name, so output does not depend on input order. */
function sortRows(rows: CoverageRow[]): void {
  rows.sort((a, b) => Number(a.key === NOT_SET) - Number(b.key === NOT_SET) || b.conversations - a.conversations || a.key.localeCompare(b.key));
}
