import type { NextFunction, Request, Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { Workspace } from '../../index.js';
import { pageContext, readFilters, type PageContext } from '../context.js';
import { buildTable, cellText, isTableId, type Table } from '../tables.js';
import { neutraliseFormula } from '../../present/escape.js';
import { interviewsCsvParts } from '../../present/export.js';
import type { Interview } from '../../model/interview.js';
import { setImmediate as turn } from 'node:timers/promises';
import type { Page } from '../pages.js';
import { pageStamp, sendKept, type Kept } from '../kept.js';
import { PAGES } from '../pages.js';

/** What every view gets: the page, its context, its tables and charts, and the navigation. */
function locals(page: Page, ctx: PageContext) {
  const tables = Object.fromEntries(page.tables.map((id) => [id, buildTable(id, ctx)]));
  return { title: page.title, page: page.name, ctx, m: ctx.metrics, tables, charts: page.charts(ctx), nav: PAGES };
}

/**
 * Rendered pages, per metrics document (one per data version, config and filter) and what else
 * the page shows (its page number, the freshness line, a config problem): a crowd of readers gets
 * the same HTML without rendering it again. The Sync page reads live state and is never kept.
 */
const rendered = new WeakMap<object, Map<string, Kept>>();
/** Pages (and page numbers) kept per document; each keeps only its latest rendering. */
const RENDERED_PER_DOCUMENT = 16;

/** GET <page> — the page itself. */
export function show(page: Page, workspace: Workspace) {
  return (req: Request, res: Response, next: NextFunction) => {
    const ctx = pageContext(req, workspace);
    const key = page.name === 'sync' ? null : `${page.name}|${ctx.page}`;
    const kept = key === null ? undefined : rendered.get(ctx.metrics)?.get(key);
    const keep =
      key === null
        ? null
        : (entry: Kept) => {
            let pages = rendered.get(ctx.metrics);
            if (!pages) rendered.set(ctx.metrics, (pages = new Map()));
            if (pages.size < RENDERED_PER_DOCUMENT || pages.has(key)) pages.set(key, entry);
          };
    // Under `serve`, a page rendered before answers at once while its new rendering is made.
    const slot = key !== null && workspace.offloaded() ? `${key}|${JSON.stringify(ctx.filters)}` : null;
    sendKept(res, next, kept, pageStamp(ctx, res), page.view, () => locals(page, ctx), keep, slot);
  };
}

/** GET /api/v1/<page> — the same data as JSON, with the tables' rows as text. */
export function json(page: Page, workspace: Workspace) {
  return (req: Request, res: Response) => {
    const ctx = pageContext(req, workspace);
    if (badFilter(res, ctx.filters.unknown)) return;
    res.json({
      asOf: ctx.metrics.asOf,
      timezone: ctx.metrics.timezone,
      filters: ctx.filters,
      data: page.data(ctx),
      tables: Object.fromEntries(page.tables.map((id) => [id, rowsAsText(buildTable(id, ctx))])),
    });
  };
}

const csvOf = new WeakMap<Table, Buffer>();

/** GET /export/<table>.csv — one table as CSV; cells a spreadsheet would run as formulas are neutralised. */
export function csv(workspace: Workspace) {
  return (req: Request, res: Response) => {
    const id = String(req.params['table']);
    if (!isTableId(id)) {
      res.status(404).type('text/plain').send(`No table "${id}".`);
      return;
    }
    const table = buildTable(id, pageContext(req, workspace));
    // A table is kept per metrics document, and so is its CSV.
    let body = csvOf.get(table);
    if (body === undefined) {
      const text = stringify([
        table.columns.map((c) => neutraliseFormula(c.label)),
        ...table.rows.map((row) => table.columns.map((c) => neutraliseFormula(cellText(row[c.key] ?? null)))),
      ]);
      // A byte-order mark first, so spreadsheets read the file as UTF-8.
      body = Buffer.from(`\uFEFF${text}`);
      csvOf.set(table, body);
    }
    res.type('text/csv; charset=utf-8').attachment(`touchpoint-${id}.csv`).send(body);
  };
}

/**
 * GET /export/interviews.csv — every interview of the filtered source, all fields, neutralised like
 * every export. Written a page at a time from one snapshot of the store, the event loop turning
 * between pages: all 100 000 at once held it (and every reader) for about two seconds.
 */
export function interviews(workspace: Workspace) {
  return (req: Request, res: Response, next: NextFunction) => {
    // The filters only, not the page's metrics: an export needs none of them.
    const { source } = readFilters(req, workspace);
    return sendInterviewPages(res, next, 'touchpoint-interviews.csv', workspace.interviewPages(source));
  };
}

/**
 * An interviews CSV written a page at a time (`Workspace.interviewPages`), the event loop turning
 * between pages and waiting for the client to take what was written. A failure before the first
 * byte is the error page; after it, the download is cut rather than ended.
 */
export async function sendInterviewPages(res: Response, next: NextFunction, filename: string, pages: Generator<Interview[], void, undefined>): Promise<void> {
  let page: IteratorResult<Interview[], void>;
  try {
    page = pages.next();
  } catch (error) {
    return next(error); // a damaged store: the error page, nothing sent yet
  }
  res.type('text/csv; charset=utf-8').attachment(filename);
  res.write(interviewsCsvParts.header());
  try {
    while (!page.done && !res.destroyed) {
      if (!res.write(interviewsCsvParts.rows(page.value))) await drained(res);
      await turn();
      page = pages.next();
    }
    res.end();
  } catch (error) {
    // Half a file is worse than one that says it failed: the download is cut, not ended.
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  } finally {
    pages.return();
  }
}

/** An API query naming a filter that does not exist is the client's mistake: 400, each one said. A page says it and shows the defaults. */
export function badFilter(res: Response, unknown: readonly string[]): boolean {
  if (unknown.length === 0) return false;
  res.status(400).json({ error: 'bad_filter', message: unknown.join(' '), unknown });
  return true;
}

function rowsAsText(table: Table): Array<Record<string, string>> {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c.key, cellText(row[c.key] ?? null)])));
}

/** Resolves when the client has taken what was written, or has gone. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
