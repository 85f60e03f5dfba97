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

/**
 * Send the kept rendering while its stamp holds; else render the view, hand the result to `keep`
 * (null: do not keep it) and send it. A crowd of readers gets one rendering per data version.
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
): void {
  if (kept?.stamp === stamp) return void res.type('html').send(kept.html);
  res.render(view, locals(), (error: Error | null, html: string) => {
    if (error) return next(error);
    keep?.({ stamp, html: Buffer.from(html) });
    res.type('html').send(html);
  });
}
