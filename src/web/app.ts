import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import helmet from 'helmet';
import { isPm, TouchpointError, type ServiceState, type Workspace } from '../index.js';
import { Access } from './auth.js';
import { routes, type Route } from './routes.js';
import { format } from '../present/format.js';
import {
  findingSentence,
  flagSentence,
  practiceSentence,
  practiceTone,
  PRACTICE_RATES,
  qualityFlagSentence,
  roleRules,
  STATUS_RULE,
} from '../present/sentences.js';
import { safeWebUrl } from '../present/escape.js';
import { readFilters, WINDOW_CHOICES } from './context.js';
import { PAGES } from './pages.js';
import { cellHtml, columnClass } from './tables.js';
import { loopDelay } from './loop.js';
import { takeTurns } from './turns.js';

const VIEWS = fileURLToPath(new URL('../../views', import.meta.url));
const PUBLIC = fileURLToPath(new URL('../../public', import.meta.url));

export interface AppOptions {
  workspace: Workspace;
  /** `DASHBOARD_TOKEN`; null leaves the dashboard open (loopback only). */
  token: string | null;
  /** Show stack traces on the error page (never in production). */
  debug?: boolean;
  /** Where the server logs (refused sign-ins, failed requests); the CLI's redacts every secret. */
  log?: (line: string) => void;
  /** What the scheduler is doing, for /healthz and the Sync page. */
  service?: () => ServiceState;
}

/** Make the request's views ready before its handler reads them (a no-op unless the workspace is offloaded). */
function prepare(workspace: Workspace, what: NonNullable<Route['prepare']>, teamless: boolean): RequestHandler {
  return (req, _res, next) => {
    const { team, windowDays, source } = readFilters(req, workspace, { allTime: true });
    const list = what === 'metrics' ? undefined : what(req);
    workspace.prepare({ team: teamless ? null : team, windowDays, source }, list).then(() => next(), next);
  };
}

/** The dashboard as an Express app, apart from `listen` so tests drive it with supertest. */
export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.set('views', VIEWS);
  app.set('view engine', 'ejs');
  app.set('x-powered-by', false);
  // Every page is no-store: an ETag would only cost a hash of each body.
  app.set('etag', false);
  // Compile each template once (Express only does so by default when NODE_ENV=production).
  app.set('view cache', true);
  // Includes are written from the views folder (`include('/partials/cell')`): EJS resolves such a
  // path without looking on disk, where a relative one costs a stat per include — per table cell.
  app.set('view options', { root: VIEWS });
  // /healthz reports the event loop's delays from the start, not from its first call.
  loopDelay();
  // Before anything else: a crowd is answered a slice of the loop at a time, /healthz at once.
  app.use(takeTurns({ skip: (path) => path === '/healthz' }));
  app.locals['format'] = format;
  app.locals['cellHtml'] = cellHtml;
  app.locals['columnClass'] = columnClass;
  app.locals['isPm'] = isPm;
  app.locals['say'] = {
    flag: flagSentence,
    finding: findingSentence,
    statusRule: STATUS_RULE,
    practice: practiceSentence,
    practiceTone,
    practiceRates: PRACTICE_RATES,
    qualityFlag: qualityFlagSentence,
    roleRules,
  };
  app.locals['safeUrl'] = safeWebUrl;
  app.locals['signOut'] = options.token !== null;
  app.locals['service'] = options.service ?? null;
  app.locals['demo'] = options.workspace.options.demo;
  // Per request: the config can be edited under a running dashboard (`touchpoint serve` reloads it).
  app.use((_req, res, next) => {
    res.locals['organisation'] = options.workspace.config.organisation;
    res.locals['configProblem'] = options.workspace.configProblem;
    next();
  });
  app.locals['windowChoices'] = WINDOW_CHOICES;
  app.locals['nav'] = PAGES;

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"] },
      },
    }),
  );
  const log = options.log ?? ((line: string) => console.error(`[touchpoint] ${line}`));
  const config = options.workspace.config;
  const access = new Access({ token: options.token, allowedHosts: config.dashboard.allowedHosts, sessionMs: config.dashboard.sessionHours * 3600_000, log });
  app.use(access.checkHost);
  app.use('/static', express.static(PUBLIC, { maxAge: '1h' }));
  // Pages, exports and the API hold customer data: no browser or proxy keeps a copy.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));
  app.use(access.requireToken);

  for (const route of routes(options, access)) {
    const handlers: RequestHandler[] = route.prepare ? [prepare(options.workspace, route.prepare, route.teamless === true)] : [];
    app[route.method](route.path, ...handlers, route.handler as RequestHandler);
  }

  app.use((req, res) => {
    res.status(404);
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ error: 'not_found', path: req.path });
    res.render('pages/not-found', { title: 'Not found', path: req.path });
  });
  const onError: ErrorRequestHandler = (error: Error, req, res, _next) => {
    // A path with a malformed escape (`/%E0%A4%A`) is the client's error, not ours.
    if (error instanceof URIError || (error as { status?: unknown }).status === 400) {
      res.status(400);
      if (req.accepts(['html', 'json']) === 'json') return void res.json({ error: 'bad_request' });
      return void res.type('text/plain').send('Bad request: the address is not well formed.');
    }
    // A known failure (a damaged store, say) is one line on an error page, not a crash.
    const known = TouchpointError.isTouchpointError(error);
    log(`${req.method} ${req.path} failed: ${known || !options.debug ? error.message : (error.stack ?? error.message)}`);
    res.status(known ? 503 : 500);
    if (req.accepts(['html', 'json']) === 'json')
      return void res.json({ error: known ? error.code : 'internal_error', ...(known ? { message: error.message } : {}) });
    res.render('pages/error', { title: 'Something went wrong', message: known ? error.message : null, stack: options.debug && !known ? error.stack : null });
  };
  app.use(onError);
  return app;
}
