import type { Interview } from '../model/interview.js';
import type { Person } from '../model/person.js';
import type { Finding } from '../model/finding.js';
import type { Targets } from '../config/schema.js';
import { COUNTED, credits, markPeople, placeInterviews, releasePlacement, rowsWhere, type Placement, type Rows } from './conversations.js';
import { computeCadence, type CadenceResult } from './cadence.js';
import { computeCoverage, type CoverageResult } from './coverage.js';
import { computeStudies, type StudyRow } from './studies.js';
import { computeQuality, type QualityResult } from './quality.js';
import type { Tracking } from './tracking.js';
import { computeFollowUps, type FollowUpsResult } from './follow-ups.js';
import { computeAccounts, type AccountsResult } from './accounts.js';
import { computeThemes, type ThemesResult } from './themes.js';
import { windowEndingOn } from './window.js';

export * from './cadence.js';
export * from './conversations.js';
export * from './coverage.js';
export * from './studies.js';
export * from './quality.js';
export * from './tracking.js';
export * from './follow-ups.js';
export * from './accounts.js';
export * from './themes.js';
export * from './time.js';
export * from './window.js';

/** Everything metrics need; time comes in as `asOf`, never from a clock. */
export interface MetricsInput {
  interviews: readonly Interview[];
  roster: readonly Person[];
  targets: Targets;
  timezone: string;
  asOf: string;
  /** Window length in days; default `targets.windowDays`. */
  windowDays?: number;
  /** Only this team's roster, and the interviews that credit someone on it. */
  team?: string | null;
  /** Which quality fields each source maps (see `Tracking`). */
  tracking?: Tracking;
  /** Findings from the last syncs, listed with the metrics' own. */
  findings?: readonly Finding[];
  /**
   * `interviews` already placed (`placeInterviews` with the same targets, zone and as-of date): a
   * caller that keeps them per data version spares every filter the pass over every row.
   */
  placed?: Placement;
}

/** The metrics document: `touchpoint metrics --json`, the dashboard and the digests. */
export interface Metrics {
  asOf: string;
  timezone: string;
  team: string | null;
  window: { days: number; from: string; to: string };
  cadence: CadenceResult;
  coverage: CoverageResult;
  studies: StudyRow[];
  quality: QualityResult;
  followUps: FollowUpsResult;
  accounts: AccountsResult;
  themes: ThemesResult;
  findings: FindingsResult;
}

/** Every row left out of a metric, and why. */
export interface FindingsResult {
  total: number;
  /** Rows kept out of every metric (no date, no id, unreadable). */
  excluded: number;
  byCode: Record<string, number>;
  items: Finding[];
}

/** Compute every metric as of a date; pure. */
export function computeMetrics(input: MetricsInput): Metrics {
  const team = input.team ?? null;
  const roster = team === null ? input.roster : input.roster.filter((p) => p.team === team);
  const placement = input.placed ?? placeInterviews(input.interviews, input.targets, input.timezone, input.asOf);
  let placed: Rows = placement.everyRow;
  let conversations: Rows = placement.conversations;
  if (team !== null) {
    const marks = markPeople(placement, new Set(roster.map((p) => p.email)));
    const mine = rowsWhere(placement, (r) => credits(placement, r, marks));
    placed = mine;
    conversations = mine.filter((r) => (placement.flags[r]! & COUNTED) !== 0);
  }
  const window = windowEndingOn(input.asOf, input.windowDays ?? input.targets.windowDays);
  const tracking = input.tracking ?? {};
  const metrics: Metrics = {
    asOf: input.asOf,
    timezone: input.timezone,
    team,
    window: { days: window.days, from: window.from, to: window.to },
    cadence: computeCadence(placement, conversations, roster, input.targets, input.asOf, window.days),
    coverage: computeCoverage(placement, conversations, roster, input.targets, window, tracking),
    studies: computeStudies(placement, conversations, input.targets),
    quality: computeQuality(placement, placed, roster, window, tracking, input.targets.practice),
    followUps: computeFollowUps(placement, placed, roster, input.asOf),
    accounts: computeAccounts(placement, conversations, roster, input.targets, window),
    themes: computeThemes(placement, conversations, window),
    findings: summariseFindings(input.findings ?? []),
  };
  // Placed here, read by nothing else (the document holds no column): its buffer serves the next.
  if (input.placed === undefined) releasePlacement(placement);
  return metrics;
}

/** The findings of the last syncs as a metrics document lists them: counted by code, every item. */
export function summariseFindings(findings: readonly Finding[]): FindingsResult {
  const byCode: Record<string, number> = {};
  for (const f of findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
  return {
    total: findings.length,
    excluded: new Set(findings.filter((f) => f.severity === 'excluded').map((f) => `${f.source}\u0000${f.recordId}`)).size,
    byCode,
    items: [...findings],
  };
}
