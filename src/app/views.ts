import type { Config } from '../config/schema.js';
import type { Finding } from '../model/finding.js';
import type { Interview } from '../model/interview.js';
import { computeMetrics, placeInterviews, TRACKED_FIELDS, type Metrics, type Placed, type Tracking } from '../metrics/index.js';
import { personConversations, rosterNames, type ListedConversation } from '../metrics/lists.js';

/** How many conversations a person page lists. */
export const RECENT_CONVERSATIONS = 20;

/** A metrics query with the as-of date settled: what a cached view is keyed by. */
export interface ResolvedQuery {
  asOf: string;
  team: string | null;
  windowDays: number | undefined;
  source: string | null;
}

/** The store's live rows at one data version. */
export interface Loaded {
  version: number;
  interviews: Interview[];
  findings: Finding[];
}

/** The cache key of a query. */
export function queryKey(query: ResolvedQuery): string {
  return `${query.asOf}|${query.team ?? ''}|${query.windowDays ?? ''}|${query.source ?? ''}`;
}

/** Placements kept per loaded data version: by as-of date, source and the settings placing reads. */
const placements = new WeakMap<Loaded, Map<string, { interviews: Interview[]; placed: Placed[] }>>();
const PLACEMENTS_KEPT = 8;

/**
 * The loaded rows of a query's source, placed in the team's calendar as of its date — once per
 * data version, shared by every team, window and person view (and dropped with the version).
 */
export function placedOf(data: Loaded, config: Config, query: Pick<ResolvedQuery, 'asOf' | 'source'>): { interviews: Interview[]; placed: Placed[] } {
  const t = config.targets;
  const key = [query.asOf, query.source ?? '', config.timezone, t.countedCallTypes.join(','), t.defaultDurationMinutes, t.creditAttendees].join('|');
  let kept = placements.get(data);
  if (!kept) placements.set(data, (kept = new Map()));
  let entry = kept.get(key);
  if (!entry) {
    const interviews = query.source === null ? data.interviews : data.interviews.filter((i) => i.source.name === query.source);
    entry = { interviews, placed: placeInterviews(interviews, t, config.timezone, query.asOf) };
    if (kept.size >= PLACEMENTS_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, entry);
  }
  return entry;
}

/** The metrics document of a query over loaded rows: the same in the worker as inline. */
export function metricsOf(data: Loaded, config: Config, query: ResolvedQuery): Metrics {
  const { interviews, placed } = placedOf(data, config, query);
  return computeMetrics({
    interviews,
    placed,
    roster: config.roster,
    targets: config.targets,
    timezone: config.timezone,
    asOf: query.asOf,
    team: query.team,
    windowDays: query.windowDays,
    tracking: trackingOf(config),
    findings: query.source === null ? data.findings : data.findings.filter((f) => f.source === query.source),
  });
}

/** One person's latest conversations under a query (the person page's list). */
export function recentOf(data: Loaded, config: Config, query: ResolvedQuery, key: string): Array<ListedConversation & { led: boolean }> {
  const { interviews, placed } = placedOf(data, config, query);
  return personConversations(interviews, {
    placed,
    targets: config.targets,
    timezone: config.timezone,
    asOf: query.asOf,
    key,
    limit: RECENT_CONVERSATIONS,
    names: rosterNames(config.roster),
  });
}

/** The tracked fields each configured source maps: a rate or gap over an unmapped field is "not tracked". */
export function trackingOf(config: Config): Tracking {
  return Object.fromEntries(config.sources.map((source) => [source.name, TRACKED_FIELDS.filter((field) => source.mapping[field] !== undefined)]));
}
