import type { Request, Response } from 'express';
import { logIn, safeNext } from '../auth.js';

/** GET /login — the token form (only useful when a token is set). */
export function form(token: string | null) {
  return (req: Request, res: Response) => {
    if (token === null) return res.redirect(303, '/');
    res.render('pages/login', { title: 'Sign in', next: safeNext(req.query['next']), failed: false });
  };
}

/** POST /login — check the token, set an HttpOnly SameSite cookie, go back. */
export function submit(token: string | null) {
  return (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body['next']);
    if (token === null) return res.redirect(303, next);
    if (logIn(req, res, token, body['token'])) return res.redirect(303, next);
    res.status(401).render('pages/login', { title: 'Sign in', next, failed: true });
  };
}
