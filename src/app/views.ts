import type { Config } from '../config/schema.js';
import type { Finding } from '../model/finding.js';
import type { Interview } from '../model/interview.js';
import { computeMetrics, placedAt, placeInterviews, TRACKED_FIELDS, type Metrics, type Placement, type Tracking } from '../metrics/index.js';
import { personConversations, rosterNames, listConversation, nameOf, teamKeys, type ListedConversation } from '../metrics/lists.js';
import { selectConversations, type ConversationFilter } from '../metrics/drill.js';
import { addDays, weekStart } from '../metrics/time.js';
import { digestRows, type DigestRows, type DigestRowsSpec } from './digests.js';

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
const placements = new WeakMap<Loaded, Map<string, { interviews: Interview[]; placed: Placement }>>();
const PLACEMENTS_KEPT = 8;

/**
 * The loaded rows of a query's source, placed in the team's calendar as of its date — once per
 * data version, shared by every team, window and person view (and dropped with the version).
 */
export function placedOf(data: Loaded, config: Config, query: Pick<ResolvedQuery, 'asOf' | 'source'>): { interviews: Interview[]; placed: Placement } {
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

/** Rows of the Conversations page per page. */
export const CONVERSATIONS_PER_PAGE = 100;

/**
 * The rows behind a count, as a link asks for them: the criteria of `ConversationFilter` and a
 * date range relative to the as-of date (the last `window` days, the window before them, one ISO
 * week, or every date). Plain data, so the worker can be asked for it.
 */
export interface DrillQuery extends Omit<ConversationFilter, 'from' | 'to' | 'teamKeys' | 'asOf'> {
  window: number | 'all';
  /** The `window` days just before the window (Themes' "before"). */
  before?: boolean;
  /** One ISO week (`2026-W12`), up to the as-of date; the window is then ignored. */
  week?: string | null;
}

/** A conversation as the Conversations page lists it. */
export interface ConversationRow extends ListedConversation {
  attendees: string[];
  segment: string | null;
  customerStatus: Interview['customerStatus'];
  tier: string | null;
  study: string | null;
  tags: string[];
}

/** One page of the rows behind a count, and how many there are. */
export interface ConversationPage {
  total: number;
  page: number;
  pages: number;
  perPage: number;
  from: string | null;
  to: string;
  rows: ConversationRow[];
}

/** What a page lists beside its metrics: a person's latest conversations, or the rows behind a count (a page of them, or their ids for an export). */
export type ListSpec =
  | { kind: 'recent'; key: string }
  | { kind: 'conversations'; drill: DrillQuery; page: number }
  | { kind: 'ids'; drill: DrillQuery }
  | { kind: 'digest'; rows: DigestRowsSpec };

/** The value of each kind of list. */
export interface ListValue {
  recent: Array<ListedConversation & { led: boolean }>;
  conversations: ConversationPage;
  /** The ids of the rows behind a count, in their order: an export reads the rows a page at a time (`Workspace.interviewPages`). */
  ids: string[];
  digest: DigestRows;
}

/** A list under a query: the same in the worker as inline. */
export function listOf<K extends ListSpec['kind']>(data: Loaded, config: Config, query: ResolvedQuery, spec: ListSpec & { kind: K }): ListValue[K] {
  return computeList(data, config, query, spec) as ListValue[K];
}

function computeList(data: Loaded, config: Config, query: ResolvedQuery, spec: ListSpec): ListValue[ListSpec['kind']] {
  if (spec.kind === 'recent') return recentOf(data, config, query, spec.key);
  if (spec.kind === 'digest') return digestRows(data.interviews, config, spec.rows);
  const { placed, filter } = drillOf(data, config, query, spec.drill);
  const selected = selectConversations(placed, filter);
  if (spec.kind === 'ids') return selected.map((r) => placed.rows[r]!.id);
  const names = rosterNames(config.roster);
  const pages = Math.max(1, Math.ceil(selected.length / CONVERSATIONS_PER_PAGE));
  const page = Math.min(spec.page, pages);
  const rows = selected.slice((page - 1) * CONVERSATIONS_PER_PAGE, page * CONVERSATIONS_PER_PAGE).map((r): ConversationRow => {
    const p = placedAt(placed, r);
    const i = p.interview;
    return {
      ...listConversation(p, names),
      attendees: i.attendees.map((a) => nameOf(names, a)),
      segment: i.segment,
      customerStatus: i.customerStatus,
      tier: i.tier,
      study: i.study,
      tags: i.tags,
    };
  });
  return { total: selected.length, page, pages, perPage: CONVERSATIONS_PER_PAGE, from: filter.from, to: filter.to, rows };
}

/** The placed rows and the filter of a drill-down: its dates settled against the as-of date, its team as roster keys. */
function drillOf(data: Loaded, config: Config, query: ResolvedQuery, drill: DrillQuery): { placed: Placement; filter: ConversationFilter } {
  const { placed } = placedOf(data, config, query);
  const asOf = query.asOf;
  let from: string | null;
  let to = asOf;
  if (drill.week) {
    from = weekStart(drill.week);
    const sunday = addDays(from, 6);
    if (sunday < to) to = sunday;
  } else if (drill.window === 'all') {
    from = null;
  } else {
    from = addDays(asOf, -(drill.window - 1));
    if (drill.before) {
      to = addDays(from, -1);
      from = addDays(from, -drill.window);
    }
  }
  const { window: _window, before: _before, week: _week, ...criteria } = drill;
  return { placed, filter: { ...criteria, from, to, asOf, teamKeys: query.team === null ? null : teamKeys(config.roster, query.team) } };
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
