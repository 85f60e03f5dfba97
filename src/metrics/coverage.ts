import { isPm } from '../model/kinds.js';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import type { Targets } from '../config/schema.js';
import { accountKeysOf, keyOfValue, NONE, NOT_SET, positionsOf, type Narrow, type Placement, type Rows } from './conversations.js';
import { dateOfDay, dayOfDate, NO_DAY } from './time.js';
import { ratio, type Window } from './window.js';

import { anyTracks, sourceTracks, type Tracking } from './tracking.js';

export { NOT_SET } from './conversations.js';

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
  placement: Placement,
  all: Rows,
  roster: readonly Person[],
  targets: Targets,
  window: Window,
  tracking: Tracking = {},
): CoverageResult {
  const { day, segment, status, tier, account } = placement;
  const from = dayOfDate(window.from);
  const to = dayOfDate(window.to);
  const { keyOf } = accountKeysOf(placement);
  // One pass over every conversation: the window's, and when each segment and status was last heard
  // (segments in the order first heard, as the rows are listed before sorting).
  const windowRows: number[] = [];
  const segmentLast = new Int32Array(placement.segments.values.length).fill(NO_DAY);
  const segmentsHeard: number[] = [];
  const statusLast = new Int32Array(CUSTOMER_STATUSES.length).fill(NO_DAY);
  for (const r of all) {
    const d = day[r]!;
    if (d >= from && d <= to) windowRows.push(r);
    const s = keyOfValue(segment[r]!);
    if (segmentLast[s] === NO_DAY) segmentsHeard.push(s);
    if (d > segmentLast[s]!) segmentLast[s] = d;
    if (d > statusLast[status[r]!]!) statusLast[status[r]!] = d;
  }
  const total = windowRows.length;
  const lastOf = (d: number | undefined) => (d === undefined || d === NO_DAY ? null : dateOfDay(d));

  // Segments: those in the target mix, plus every one ever heard, so silence shows as zero.
  const mix = targets.segmentMix ?? {};
  const mixTotal = Object.values(mix).reduce((a, b) => a + b, 0);
  const segmentKeys = new Set([...Object.keys(mix), ...segmentsHeard.map((s) => placement.segments.values[s]!)]);
  const bySegment = breakdown(windowRows, (r) => keyOfValue(segment[r]!), placement.segments.values, account, keyOf, segmentKeys, total).map((row) => {
    const weight = mix[row.key];
    if (weight === undefined || mixTotal === 0) return row;
    const target = weight / mixTotal;
    return { ...row, target, gap: (row.share ?? 0) - target };
  });
  sortRows(bySegment);

  const byStatus = breakdown(windowRows, (r) => status[r]!, CUSTOMER_STATUSES, account, keyOf, new Set<string>(CUSTOMER_STATUSES), total);
  const byTier = breakdown(windowRows, (r) => keyOfValue(tier[r]!), placement.tiers.values, account, keyOf, new Set(), total);
  sortRows(byTier);

  const flags: CoverageFlag[] = [];
  // minPerSegment is per targets.windowDays: a shorter or longer window scales it (at least 1), so
  // "fewer than 10 in 90 days" does not flag a 7-day view of a healthy segment.
  const min = Math.max(1, Math.ceil((targets.minPerSegment * window.days) / targets.windowDays));
  // Gaps are only claimed about fields some source records: silence in an unmapped column is not news.
  const segmentsTracked = anyTracksIn(tracking, placement, all, 'segment');
  const statusTracked = anyTracksIn(tracking, placement, all, 'customerStatus');
  for (const row of segmentsTracked ? bySegment : []) {
    if (row.key === NOT_SET) continue;
    const id = placement.segments.find(row.key);
    const last = lastOf(id < 0 ? undefined : segmentLast[id]);
    if (row.conversations === 0) {
      flags.push({ code: 'segment_unheard', key: row.key, conversations: 0, minimum: min, lastHeard: last, windowDays: window.days });
    } else if (row.conversations < min) {
      flags.push({ code: 'segment_below_minimum', key: row.key, conversations: row.conversations, minimum: min, lastHeard: last, windowDays: window.days });
    }
  }
  for (const key of statusTracked ? HEARD_STATUSES : []) {
    const row = byStatus.find((r) => r.key === key)!;
    const last = lastOf(statusLast[CUSTOMER_STATUSES.indexOf(key)]);
    if (row.conversations === 0) {
      flags.push({ code: 'status_unheard', key, conversations: 0, minimum: min, lastHeard: last, windowDays: window.days });
    } else if (row.conversations < min) {
      flags.push({ code: 'status_below_minimum', key, conversations: row.conversations, minimum: min, lastHeard: last, windowDays: window.days });
    }
  }

  const segments = bySegment.map((r) => r.key);
  const columnOf = new Int32Array(placement.segments.values.length).fill(-1);
  segments.forEach((key, column) => {
    const id = placement.segments.find(key);
    if (id >= 0) columnOf[id] = column;
  });
  const rows = roster.filter(isPm).map((p) => ({ email: p.email, name: p.name, team: p.team, counts: segments.map(() => 0), total: 0 }));
  // A key listed twice on the roster counts on its last row.
  const rowOf = positionsOf(
    placement,
    rows.map((r) => r.email),
  );
  const { present, presentFrom, credited } = placement;
  for (const r of windowRows) {
    const column = columnOf[keyOfValue(segment[r]!)]!;
    for (let k = presentFrom[r]!, end = k + credited[r]!; k < end; k++) {
      const row = rows[rowOf[present[k]!]!];
      if (!row) continue;
      row.counts[column]! += 1;
      row.total += 1;
    }
  }

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

/** `anyTracks` over placed rows, decided once per source. */
function anyTracksIn(tracking: Tracking, placement: Placement, all: Rows, field: 'segment' | 'customerStatus'): boolean {
  if (all.length === 0) return anyTracks(tracking, [], field);
  const tracked = placement.sources.values.map((name) => sourceTracks(tracking, name, field));
  return all.some((r) => tracked[placement.source[r]!]!);
}

/**
 * Conversations and distinct accounts per key (`keyAt` a row's number, `names` their strings), the
 * `always` keys first, then the others as first met.
 */
function breakdown(
  rows: Rows,
  keyAt: (row: number) => number,
  names: readonly string[],
  account: Narrow,
  keyOf: Int32Array,
  always: ReadonlySet<string>,
  total: number,
): CoverageRow[] {
  const counts = new Map<string, { conversations: number; accounts: Set<number> }>();
  for (const key of always) counts.set(key, { conversations: 0, accounts: new Set() });
  const byId: Array<{ conversations: number; accounts: Set<number> } | undefined> = [];
  for (const r of rows) {
    const id = keyAt(r);
    let row = byId[id];
    if (!row) {
      const key = names[id]!;
      row = counts.get(key);
      if (!row) counts.set(key, (row = { conversations: 0, accounts: new Set() }));
      byId[id] = row;
    }
    row.conversations += 1;
    const a = account[r]!;
    if (a !== NONE) row.accounts.add(keyOf[a]!);
  }
  return [...counts].map(([key, row]) => ({ key, conversations: row.conversations, accounts: row.accounts.size, share: ratio(row.conversations, total) }));
}

/** Most heard first; `(not set)` last; ties by name, so output does not depend on input order. */
function sortRows(rows: CoverageRow[]): void {
  rows.sort((a, b) => Number(a.key === NOT_SET) - Number(b.key === NOT_SET) || b.conversations - a.conversations || a.key.localeCompare(b.key));
}
