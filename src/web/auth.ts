import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';
import { parse as parseCookies } from 'cookie';

const COOKIE = 'touchpoint_session';

/** The session cookie value: an HMAC of the token, so the token itself never sits in a cookie. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update('touchpoint-session-v1').digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A cookie's value; the `cookie` package (Express's own) never throws on a malformed header. */
function cookie(req: Request, name: string): string | null {
  return parseCookies(req.headers.cookie ?? '')[name] ?? null;
}

/** Whether the request carries the dashboard token (bearer header) or a session from /login. */
export function isAuthenticated(req: Request, token: string): boolean {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ') && same(header.slice(7).trim(), token)) return true;
  const session = cookie(req, COOKIE);
  return session !== null && same(session, sessionValue(token));
}

/** Guard every route but /healthz and /login when a token is configured. */
export function requireToken(token: string | null) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (token === null || req.path === '/healthz' || req.path === '/login' || req.path.startsWith('/static/')) return next();
    if (isAuthenticated(req, token)) return next();
    if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized', message: 'Send Authorization: Bearer <DASHBOARD_TOKEN>.' });
  };
}

/** Check a submitted token and set the session cookie; false when it is wrong. */
export function logIn(req: Request, res: Response, token: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || !same(submitted, token)) return false;
  res.cookie(COOKIE, sessionValue(token), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
  return true;
}

/** Only relative paths on this site are followed after login (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
