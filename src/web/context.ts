import type { Request } from 'express';
import type { Freshness, Metrics, RunLog, SyncReport, Targets, Workspace } from '../index.js';
import { fieldOfSources, rowsToFix, setupChecklist, type ChecklistItem } from '../present/checklist.js';
import { drillHref, type DrillCriteria } from './drill.js';

/** Window lengths offered in the filter bar (days). */
export const WINDOW_CHOICES = [30, 60, 90, 180, 365] as const;

/** What a page is filtered by; all in the query string, so links can be shared. */
export interface Filters {
  team: string | null;
  windowDays: number;
  source: string | null;
  /** What the query asked for that does not exist, said on the page (the default is shown instead). */
  unknown: string[];
}

/** One configured source, as the Sync page shows it. */
export interface SourceStatus {
  name: string;
  kind: string;
  interviews: number;
  bookmark: string | null;
  lastFullAt: string | null;
}

/** Everything a page and its tables need, as data: the view model. Templates never see the workspace. */
export interface PageContext {
  filters: Filters;
  targets: Targets;
  metrics: Metrics;
  teams: string[];
  sources: string[];
  /** A link to an internal path that keeps the current filters. */
  href: (path: string, extra?: Record<string, string>) => string;
  /** A link to the conversations behind a count (`/conversations?…`), keeping the team, source and window. */
  drill: (criteria: DrillCriteria) => string;
  /** How old the data is, for the line under every page's title. */
  freshness: Freshness;
  /** The latest runs and the sources' state, read when a page asks for them. */
  runs: () => Array<RunLog<SyncReport>>;
  sourceStatus: () => SourceStatus[];
  /** `?page=N` (1 by default): which page of a long table to show. */
  page: number;
  /** The findings grouped by cause (decisions, then fixes), computed when a page asks. */
  checklist: () => ChecklistItem[];
  /** Rows with something to fix in the source, setup decisions apart. */
  rowsToFix: () => number;
}

// Findings change only with a sync: their checklist and count are kept per findings list (one per data version).
const checklists = new WeakMap<readonly object[], ChecklistItem[]>();
const fixCounts = new WeakMap<readonly object[], number>();
function perFindings<T>(memo: WeakMap<readonly object[], T>, findings: readonly object[], compute: () => T): T {
  if (!memo.has(findings)) memo.set(findings, compute());
  return memo.get(findings)!;
}

/** `?page=N`, a whole number from 1; anything else is the first page. */
export function pageOf(req: Request): number {
  const value = Number(req.query['page']);
  return Number.isInteger(value) && value >= 1 && value <= 1_000_000 ? value : 1;
}

/** Every view the filter bar offers (each team and all, each window), the default first: what `serve` keeps ready. */
export function filterBarQueries(workspace: Workspace): Array<{ team: string | null; windowDays: number }> {
  const windows = [workspace.config.targets.windowDays, ...WINDOW_CHOICES.filter((w) => w !== workspace.config.targets.windowDays)];
  return [null, ...workspace.teams()].flatMap((team) => windows.map((windowDays) => ({ team, windowDays })));
}

/**
 * Read the filters; anything unknown falls back to the default rather than failing the page.
 * `allTime`: `window=all` is understood (the Conversations page), as the default window here.
 */
export function readFilters(req: Request, workspace: Workspace, options: { allTime?: boolean } = {}): Filters {
  const one = (name: string) => {
    const value = req.query[name];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const team = one('team');
  const source = one('source');
  const windowText = one('window');
  const window = Number(windowText?.replace(/d$/i, ''));
  const knownTeam = team !== null && workspace.teams().includes(team);
  const knownSource = source !== null && workspace.config.sources.some((s) => s.name === source);
  const allTime = options.allTime === true && windowText?.toLowerCase() === 'all';
  const knownWindow = allTime || (Number.isInteger(window) && window >= 7 && window <= 730);
  const unknown = [
    ...(team !== null && !knownTeam ? [`No team "${team}" on the roster: showing every team.`] : []),
    ...(source !== null && !knownSource ? [`No source "${source}" in the config: showing every source.`] : []),
    ...(windowText !== null && !knownWindow ? [`"${windowText}" is not a window of 7 to 730 days: showing ${workspace.config.targets.windowDays} days.`] : []),
  ];
  return {
    team: knownTeam ? team : null,
    source: knownSource ? source : null,
    windowDays: knownWindow && !allTime ? window : workspace.config.targets.windowDays,
    unknown,
  };
}

/** `?team=…&window=…` for the filters that differ from the defaults. */
export function filterQuery(filters: Filters, defaults: { windowDays: number }, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filters.team) params.set('team', filters.team);
  if (filters.windowDays !== defaults.windowDays) params.set('window', String(filters.windowDays));
  if (filters.source) params.set('source', filters.source);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function pageContext(req: Request, workspace: Workspace, filters: Filters = readFilters(req, workspace)): PageContext {
  const metrics = workspace.metrics({ team: filters.team, windowDays: filters.windowDays, source: filters.source });
  const defaults = { windowDays: workspace.config.targets.windowDays };
  return {
    filters,
    targets: workspace.config.targets,
    freshness: workspace.freshness(),
    metrics,
    teams: workspace.teams(),
    sources: workspace.config.sources.map((s) => s.name),
    href: (path, extra) => `${path}${filterQuery(filters, defaults, extra)}`,
    drill: (criteria) => drillHref(filters, defaults, criteria),
    page: pageOf(req),
    runs: () => workspace.runs(50),
    sourceStatus: () => workspace.sourceStatus(),
    checklist: () => perFindings(checklists, metrics.findings.items, () => setupChecklist(metrics.findings.items, fieldOfSources(workspace.config.sources))),
    rowsToFix: () => perFindings(fixCounts, metrics.findings.items, () => rowsToFix(metrics.findings.items)),
  };
}
