import type { Request, Response } from 'express';
import { digestContent, hasNews, prepareDigest, type DigestKind, type Workspace } from '../../index.js';
import { renderDigest } from '../../digest/compose.js';
import { pageContext } from '../context.js';
import { PAGES } from '../pages.js';

/** The digests to preview: exec, and one per configured team digest (every roster team in the demo). */
function kinds(workspace: Workspace): DigestKind[] {
  const configured = workspace.config.digests.teams.map((t) => t.team);
  const teams = configured?.length ? configured : workspace.teams();
  return [{ kind: 'exec' }, ...teams.map((team): DigestKind => ({ kind: 'team', team }))];
}

/** GET /digests — what the next digests would say, and the send log. */
export function list(workspace: Workspace) {
  return async (req: Request, res: Response) => {
    // Under `serve` each digest's rows are read in the worker, not on the event loop.
    await Promise.all(kinds(workspace).map((kind) => prepareDigest(workspace, kind)));
    const ctx = pageContext(req, workspace);
    const previews = kinds(workspace).map((kind) => {
      const content = digestContent(workspace, kind);
      return {
        kind,
        label: kind.kind === 'exec' ? 'Exec digest (weekly)' : `${kind.team} team digest`,
        href: kind.kind === 'exec' ? '/digests/exec' : `/digests/team/${encodeURIComponent(kind.team)}`,
        digest: renderDigest(content),
        hasNews: hasNews(content),
      };
    });
    res.render('pages/digests', { title: 'Digests', page: 'digests', nav: PAGES, ctx, m: ctx.metrics, previews, log: workspace.digestLog(30) });
  };
}

/** GET /digests/exec and /digests/team/:team — the e-mail itself (`?format=text` for the text part). */
export function show(workspace: Workspace, which: 'exec' | 'team') {
  return async (req: Request, res: Response) => {
    const team = which === 'team' ? String(req.params['team'] ?? '') : null;
    if (team !== null && !workspace.teams().includes(team)) {
      res.status(404).type('text/plain').send(`No team "${team}".`);
      return;
    }
    const kind: DigestKind = team === null ? { kind: 'exec' } : { kind: 'team', team };
    await prepareDigest(workspace, kind);
    const digest = renderDigest(digestContent(workspace, kind));
    if (req.query['format'] === 'text') {
      res.type('text/plain; charset=utf-8').send(digest.text);
      return;
    }
    // E-mail HTML needs inline styles; it runs no script and loads nothing, and says so in its CSP.
    res.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    );
    res.type('html').send(digest.html);
  };
}
