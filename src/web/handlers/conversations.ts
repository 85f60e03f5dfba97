import type { NextFunction, Request, Response } from 'express';
import type { DrillQuery, Workspace } from '../../index.js';
import { pageContext, pageOf, readFilters, type Filters, type PageContext } from '../context.js';
import { drillHref, readDrill, type DrillCriteria } from '../drill.js';
import { format } from '../../present/format.js';
import { firstWebUrl } from '../../present/escape.js';
import { PAGES } from '../pages.js';
import { badFilter, sendInterviewPages } from './pages.js';

/** The filters and the drill-down of a request; `filters.unknown` holds everything in either that was not understood. */
function read(req: Request, workspace: Workspace): { filters: Filters; drill: DrillQuery } {
  const filters = readFilters(req, workspace, { allTime: true });
  const { drill, unknown } = readDrill(req, filters);
  return { filters: { ...filters, unknown: [...filters.unknown, ...unknown] }, drill };
}

/** What the route table prepares before the handler reads it: this page of the rows. */
export function listSpec(req: Request, workspace: Workspace) {
  return { kind: 'conversations' as const, drill: read(req, workspace).drill, page: pageOf(req) };
}

/** What the CSV export prepares: every row. */
export function csvSpec(req: Request, workspace: Workspace) {
  return { kind: 'ids' as const, drill: read(req, workspace).drill };
}

const query = (filters: Filters) => ({ team: filters.team, windowDays: filters.windowDays, source: filters.source });

/** The criteria of a drill-down as chips, each with the link that drops it. */
function chips(ctx: PageContext, drill: DrillQuery, names: ReadonlyMap<string, string>) {
  const criteria: DrillCriteria = { ...drill };
  const defaults = { windowDays: ctx.targets.windowDays };
  const without = (key: keyof DrillCriteria) => {
    const rest = { ...criteria };
    delete rest[key];
    return drillHref(ctx.filters, defaults, rest);
  };
  const out: Array<{ label: string; value: string; remove: string }> = [];
  const add = (key: keyof DrillCriteria, label: string, value: string | null | undefined) => {
    if (value) out.push({ label, value, remove: without(key) });
  };
  add('person', 'Person', drill.person ? (names.get(drill.person) ?? drill.person) : null);
  add('led', 'Led by', drill.led ? (names.get(drill.led) ?? drill.led) : null);
  add('present', 'With', drill.present ? (names.get(drill.present) ?? drill.present) : null);
  add('week', 'Week', drill.week ? `week of ${format.weekDay(drill.week)} (${drill.week})` : null);
  add('segment', 'Segment', drill.segment);
  add('status', 'Customer status', drill.status);
  add('tier', 'Tier', drill.tier);
  add('account', 'Account', drill.account);
  add('study', 'Study', drill.study);
  add('tag', 'Tag', drill.tag);
  add('callType', 'Call type', drill.callType === 'all' ? 'every call type' : drill.callType);
  add('followUp', 'Follow-up', drill.followUp);
  add('before', 'Dates', drill.before ? `the ${drill.window} days before the window` : null);
  return out;
}

function model(req: Request, workspace: Workspace) {
  const { filters, drill } = read(req, workspace);
  const ctx = pageContext(req, workspace, filters);
  const list = workspace.list({ kind: 'conversations', drill, page: pageOf(req) }, query(filters));
  return { ctx, drill, list };
}

/** GET /conversations — the rows behind any count, filtered by any combination of criteria. */
export function show(workspace: Workspace) {
  return (req: Request, res: Response) => {
    const { ctx, drill, list } = model(req, workspace);
    const names = new Map(workspace.config.roster.map((p) => [p.email, p.name]));
    const defaults = { windowDays: ctx.targets.windowDays };
    const href = drillHref(ctx.filters, defaults, drill);
    const atPage = (page: number) => (page === 1 ? href : `${href}${href.includes('?') ? '&' : '?'}page=${page}`);
    res.render('pages/conversations', {
      title: 'Conversations',
      page: 'conversations',
      nav: PAGES,
      ctx,
      m: ctx.metrics,
      drill,
      list,
      chips: chips(ctx, drill, names),
      rows: list.rows.map(({ notesUrl, sourceUrl, ...r }) => ({ ...r, url: firstWebUrl(notesUrl, sourceUrl) })),
      links: {
        csv: href.replace('/conversations', '/export/conversations.csv'),
        json: href.replace('/conversations', '/api/v1/conversations'),
        prev: list.page > 1 ? atPage(list.page - 1) : null,
        next: list.page < list.pages ? atPage(list.page + 1) : null,
      },
      // The filter bar keeps the criteria when the team, window or source changes.
      hidden: [...new URLSearchParams(href.split('?')[1] ?? '')].filter(([key]) => !['team', 'window', 'source'].includes(key)),
    });
  };
}

/** GET /api/v1/conversations — the same rows as JSON, a page at a time; 400 for a filter it cannot read. */
export function json(workspace: Workspace) {
  return (req: Request, res: Response) => {
    const { filters, drill } = read(req, workspace);
    if (badFilter(res, filters.unknown)) return;
    const list = workspace.list({ kind: 'conversations', drill, page: pageOf(req) }, query(filters));
    res.json({ asOf: workspace.asOf(), filters, drill, ...list });
  };
}

/** GET /export/conversations.csv — every row behind the link, every field, neutralised like every export. */
export function csv(workspace: Workspace) {
  return (req: Request, res: Response, next: NextFunction) => {
    const { filters, drill } = read(req, workspace);
    if (filters.unknown.length) return void res.status(400).type('text/plain').send(filters.unknown.join(' '));
    // The views send the rows' ids (cheap to copy from the worker); the rows are read a page at a time.
    const ids = workspace.list({ kind: 'ids', drill }, query(filters));
    return sendInterviewPages(res, next, 'touchpoint-conversations.csv', workspace.interviewsByIdPages(ids));
  };
}
