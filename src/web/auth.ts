import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';
import { parse as parseCookies } from 'cookie';
import { isLoopback } from '../config/hosts.js';

export { MIN_TOKEN_LENGTH } from '../config/hosts.js';

/**
 * Who may read the dashboard: the Host check (DNS rebinding), the token (bearer header or a
 * sign-in session), throttling of wrong tokens, and where a sign-in may send the browser next.
 */

const COOKIE = 'touchpoint_session';
/** Wrong tokens one client may send in a minute before it is made to wait. */
export const FAILURES_PER_MINUTE = 5;
const MINUTE_MS = 60_000;

export interface AccessOptions {
  /** `DASHBOARD_TOKEN`; null leaves the dashboard open (loopback only). */
  token: string | null;
  /** With a token: the only Host names served (`dashboard.allowedHosts`); empty serves any. */
  allowedHosts: readonly string[];
  /** How long a sign-in lasts. */
  sessionMs: number;
  now?: () => number;
  /** Where refusals are logged (never with the token). */
  log?: (line: string) => void;
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

/** The Host header's name and port: `127.0.0.1:3000` → ['127.0.0.1', 3000]; `[::1]:80` → ['::1', 80]. */
function hostOf(header: string | undefined): { name: string; port: number | null } | null {
  if (!header) return null;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!m) return null;
  return { name: m[1]!.replace(/^\[|\]$/g, '').toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * Only same-origin paths are followed after sign-in: resolved against a placeholder origin, so
 * `//x`, `/\x`, `https://x` and `javascript:` land on `/`; a backslash or a control character
 * anywhere is refused (browsers read `\` as `/`).
 */
export function safeNext(next: unknown): string {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (typeof next !== 'string' || !next.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, 'http://touchpoint.invalid');
  } catch {
    return '/';
  }
  if (url.origin !== 'http://touchpoint.invalid' || /%5c/i.test(url.pathname) || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The dashboard's access rules as middleware and handlers, with their state (sessions, failures). */
export class Access {
  private readonly sessions = new Map<string, number>();
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: AccessOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * DNS rebinding: without a token, only loopback names on the port the server listens on are
   * answered — a page on another site that rebinds its name to 127.0.0.1 gets 421, not data.
   */
  readonly checkHost = (req: Request, res: Response, next: NextFunction) => {
    const host = hostOf(req.headers.host);
    const port = req.socket.localPort ?? null;
    const portOk = host !== null && (host.port === port || (host.port === null && port === 80));
    const allowed =
      this.options.token === null
        ? host !== null && isLoopback(host.name) && portOk
        : this.options.allowedHosts.length === 0 ||
          (host !== null && this.options.allowedHosts.some((h) => h.toLowerCase() === host.name || h.toLowerCase() === `${host.name}:${host.port}`));
    if (allowed) return next();
    res.status(421).type('text/plain').send('This dashboard answers only on its own address (misdirected request).');
  };

  /** Every route but /healthz, /login and the stylesheet needs the token or a session. */
  readonly requireToken = (req: Request, res: Response, next: NextFunction) => {
    const token = this.options.token;
    if (token === null || req.path === '/healthz' || req.path === '/login' || req.path.startsWith('/static/')) return next();
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const wait = this.throttled(req);
      if (wait > 0) return void this.tooMany(res, wait);
      if (same(header.slice(7).trim(), token)) return next();
      this.failed(req, 'bearer token');
      return void res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized', message: 'The bearer token is not right.' });
    }
    if (this.hasSession(req)) return next();
    if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html')
      return res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized', message: 'Send Authorization: Bearer <DASHBOARD_TOKEN>.' });
  };

  /** GET /login — the token form. */
  readonly form = (req: Request, res: Response) => {
    if (this.options.token === null) return res.redirect(303, '/');
    res.render('pages/login', { title: 'Sign in', next: safeNext(req.query['next']), failed: false });
  };

  /** POST /login — check the token (throttled per client), start a session, go back. */
  readonly submit = (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body['next']);
    const token = this.options.token;
    if (token === null) return res.redirect(303, next);
    const wait = this.throttled(req);
    if (wait > 0) return void this.tooMany(res, wait, next);
    if (typeof body['token'] !== 'string' || !same(body['token'], token)) {
      this.failed(req, 'sign-in');
      return void res.status(401).render('pages/login', { title: 'Sign in', next, failed: true });
    }
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, this.now() + this.options.sessionMs);
    res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: this.options.sessionMs });
    res.redirect(303, next);
  };

  /** POST /logout — end the session. */
  readonly logout = (req: Request, res: Response) => {
    const id = cookie(req, COOKIE);
    if (id) this.sessions.delete(id);
    res.clearCookie(COOKIE, { path: '/' });
    res.redirect(303, this.options.token === null ? '/' : '/login');
  };

  private hasSession(req: Request): boolean {
    const id = cookie(req, COOKIE);
    if (!id) return false;
    const expires = this.sessions.get(id);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.sessions.delete(id);
      return false;
    }
    return true;
  }

  private client(req: Request): string {
    return req.socket.remoteAddress ?? 'unknown';
  }

  /** How long this client must wait before its next try (ms); 0 when it may try now. */
  private throttled(req: Request): number {
    const now = this.now();
    const recent = (this.failures.get(this.client(req)) ?? []).filter((t) => t > now - MINUTE_MS);
    this.failures.set(this.client(req), recent);
    return recent.length >= FAILURES_PER_MINUTE ? recent[0]! + MINUTE_MS - now : 0;
  }

  private failed(req: Request, what: string): void {
    const list = this.failures.get(this.client(req)) ?? [];
    list.push(this.now());
    this.failures.set(this.client(req), list);
    this.options.log?.(`${what} failed from ${this.client(req)} (${list.length} in the last minute)`);
  }

  private tooMany(res: Response, waitMs: number, next?: string): void {
    const seconds = Math.ceil(waitMs / 1000);
    res.status(429).set('Retry-After', String(seconds));
    if (next !== undefined) return void res.render('pages/login', { title: 'Sign in', next, failed: true, wait: seconds });
    res.json({ error: 'too_many_attempts', message: `Too many wrong tokens; try again in ${seconds} s.` });
  }
}
