import type { NextFunction, Response } from 'express';
import type { PageContext } from './context.js';

/** A rendered page and what else it showed besides its metrics document. */
export interface Kept {
  stamp: string;
  /** Kept as bytes: a string would be encoded again for every reader. */
  html: Buffer;
}

/**
 * What a page shows besides its metrics document (the freshness line, a config problem, the
 * organisation, filters it could not apply): kept HTML is served only while this is unchanged.
 */
export function pageStamp(ctx: PageContext, res: Response, ...more: unknown[]): string {
  return JSON.stringify([...more, ctx.freshness, res.locals['configProblem'], res.locals['organisation'], ctx.filters.unknown]);
}

/** The latest rendering of each page and filter, whatever document it was of (`slot` below). */
const latest = new Map<string, Kept>();
const LATEST_LIMIT = 256;
/** Renderings waiting for their turn, one per slot (the newest ask wins). */
const queued = new Map<string, () => void>();
let draining = false;

/**
 * Send the kept rendering while its stamp holds; else render the view, hand the result to `keep`
 * (null: do not keep it) and send it. A crowd of readers gets one rendering per data version.
 *
 * With a `slot` (a page and its filters, under `serve`), a page that has been rendered before is
 * never rendered on a reader's request: the latest rendering answers at once and the new one is
 * made behind it, one page per turn of the event loop. After a sync every page's data changes at
 * the same moment; rendered in the same turn, the eight of them held the loop (and /healthz) for
 * half a second at 100 000 interviews.
 */
export function sendKept(
  res: Response,
  next: NextFunction,
  kept: Kept | undefined,
  stamp: string,
  view: string,
  /** The view's locals, built only when the page is rendered: a kept page needs none (its charts are not drawn again). */
  locals: () => object,
  keep: ((entry: Kept) => void) | null,
  slot: string | null = null,
): void {
  if (kept?.stamp === stamp) return void res.type('html').send(kept.html);
  const done = (html: string) => {
    const entry = { stamp, html: Buffer.from(html) };
    keep?.(entry);
    if (slot !== null) remember(slot, entry);
    return entry;
  };
  const previous = slot === null ? undefined : latest.get(slot);
  if (slot !== null && previous) {
    res.type('html').send(previous.html);
    const { app } = res;
    const shared = { ...res.locals };
    queue(slot, () => app.render(view, { ...shared, ...locals() }, (error: Error | null, html: string) => void (error ? undefined : done(html))));
    return;
  }
  res.render(view, locals(), (error: Error | null, html: string) => {
    if (error) return next(error);
    res.type('html').send(done(html).html);
  });
}

function remember(slot: string, entry: Kept): void {
  latest.delete(slot);
  if (latest.size >= LATEST_LIMIT) latest.delete(latest.keys().next().value!);
  latest.set(slot, entry);
}

function queue(slot: string, render: () => void): void {
  queued.set(slot, render);
  if (draining) return;
  draining = true;
  setImmediate(drain);
}

/** One rendering per turn: readers' requests (and /healthz) are answered between them. */
function drain(): void {
  const first = queued.entries().next();
  if (first.done) {
    draining = false;
    return;
  }
  const [slot, render] = first.value;
  queued.delete(slot);
  try {
    render();
  } finally {
    setImmediate(drain);
  }
}
