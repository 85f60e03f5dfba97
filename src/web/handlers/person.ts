import type { NextFunction, Request, Response } from 'express';
import { personView, type Workspace } from '../../index.js';
import { pageContext, readFilters } from '../context.js';
import { columnChart } from '../charts.js';
import { format } from '../../present/format.js';
import { firstWebUrl } from '../../present/escape.js';
import { PAGES } from '../pages.js';
import { pageStamp, sendKept, type Kept } from '../kept.js';
import { badFilter } from './pages.js';

/**
 * A person page's context: without a team. A person's weeks, promises and quality are the same
 * under any team filter (their own rows credit them), and under another team's they are not on
 * its roster, which was a 404. An unknown team is still said (and refused by the API).
 */
function personContext(req: Request, workspace: Workspace) {
  return pageContext(req, workspace, { ...readFilters(req, workspace), team: null });
}

function model(req: Request, workspace: Workspace, ctx = personContext(req, workspace)) {
  const view = personView(workspace, String(req.params['email'] ?? ''), {
    team: ctx.filters.team,
    windowDays: ctx.filters.windowDays,
    source: ctx.filters.source,
  });
  if (!view) return null;
  const { person, followUps, quality } = view;
  const recent = view.recent.map(({ notesUrl, sourceUrl, ...c }) => ({ ...c, url: firstWebUrl(notesUrl, sourceUrl) }));
  const c = ctx.metrics.cadence;
  const chartHtml = columnChart({
    id: 'person-weeks',
    title: `${person.name}: ${c.measure === 'hours' ? 'hours' : 'conversations'} with customers per week`,
    description: `The last ${person.weeks.length} weeks against a target of ${format.target(c.measure, person.target)}; the last bar is the week in progress.`,
    bars: person.weeks.map((w) => {
      const value = c.measure === 'hours' ? w.hours : w.conversations;
      return {
        label: format.weekShort(w.week),
        sublabel: format.weekDay(w.week),
        value: w.active ? value : null,
        // The grid's colours: met, some (under target), none.
        kind: !w.active ? 'none' : w.met ? 'met' : value > 0 ? 'some' : 'none',
        describe: `${w.week}: ${w.conversations} conversations, ${format.hours(w.hours)}${w.met ? ', target met' : ''}${w.active ? '' : ' (not on the team yet)'}`,
      };
    }),
    max: person.target.value * 1.5,
    // A weekly target is a line across the weeks; a longer period's is not a line any single week must reach.
    ...(person.target.everyWeeks === 1
      ? { target: { value: person.target.value, label: `target ${c.measure === 'hours' ? format.hours(person.target.value) : person.target.value}` } }
      : {}),
    format: (v) => (c.measure === 'hours' ? `${Math.round(v * 10) / 10} h` : String(Math.round(v))),
  });
  return { ctx, person, recent, followUps, quality, chartHtml };
}

/**
 * Rendered person pages, per metrics document and person list (both kept per data version), and
 * what else the page shows: a crowd on one person renders it once.
 */
const rendered = new WeakMap<object, WeakMap<object, Kept>>();

/** GET /people/:email — one person's weeks, recent conversations and promises. */
export function show(workspace: Workspace) {
  return (req: Request, res: Response, next: NextFunction) => {
    const ctx = personContext(req, workspace);
    const email = String(req.params['email'] ?? '').toLowerCase();
    const recent = workspace.recentConversations(email, { team: ctx.filters.team, windowDays: ctx.filters.windowDays, source: ctx.filters.source });
    const stamp = pageStamp(ctx, res, email);
    const kept = rendered.get(ctx.metrics)?.get(recent);
    // Checked before the view model is built: a kept page spares that work too.
    if (kept?.stamp === stamp) return void res.type('html').send(kept.html);
    const data = model(req, workspace, ctx);
    if (!data) {
      res.status(404).render('pages/not-found', { title: 'Not found', path: req.path, nav: PAGES, page: null, ctx: null });
      return;
    }
    sendKept(
      res,
      next,
      undefined,
      stamp,
      'pages/person',
      () => ({ title: data.person.name, page: 'people', nav: PAGES, m: data.ctx.metrics, ...data }),
      (entry) => {
        let lists = rendered.get(ctx.metrics);
        if (!lists) rendered.set(ctx.metrics, (lists = new WeakMap()));
        lists.set(recent, entry);
      },
    );
  };
}

/** GET /api/v1/people/:email */
export function json(workspace: Workspace) {
  return (req: Request, res: Response) => {
    const ctx = personContext(req, workspace);
    if (badFilter(res, ctx.filters.unknown)) return;
    const data = model(req, workspace, ctx);
    if (!data) {
      res.status(404).json({ error: 'not_found', message: 'No one with that e-mail is on the roster.' });
      return;
    }
    res.json({
      asOf: data.ctx.metrics.asOf,
      filters: data.ctx.filters,
      person: data.person,
      recent: data.recent,
      followUps: data.followUps,
      quality: data.quality,
    });
  };
}
