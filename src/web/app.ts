import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import helmet from 'helmet';
import { isPm, type Workspace } from '../index.js';
import { requireToken } from './auth.js';
import { routes } from './routes.js';
import { format } from '../present/format.js';
import { WINDOW_CHOICES } from './context.js';
import { PAGES } from './pages.js';

const VIEWS = fileURLToPath(new URL('../../views', import.meta.url));
const PUBLIC = fileURLToPath(new URL('../../public', import.meta.url));

export interface AppOptions {
  workspace: Workspace;
  /** `DASHBOARD_TOKEN`; null leaves the dashboard open (loopback only). */
  token: string | null;
  /** Show stack traces on the error page (never in production). */
  debug?: boolean;
}

/** The dashboard as an Express app, apart from `listen` so tests drive it with supertest. */
export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.set('views', VIEWS);
  app.set('view engine', 'ejs');
  app.set('x-powered-by', false);
  // Compile each template once (Express only does so by default when NODE_ENV=production).
  app.set('view cache', true);
  app.locals['format'] = format;
  app.locals['isPm'] = isPm;
  app.locals['demo'] = options.workspace.options.demo;
  app.locals['organisation'] = options.workspace.config.organisation;
  app.locals['windowChoices'] = WINDOW_CHOICES;
  app.locals['nav'] = PAGES;

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"] },
      },
    }),
  );
  app.use('/static', express.static(PUBLIC, { maxAge: '1h' }));
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));
  app.use(requireToken(options.token));

  for (const route of routes(options)) {
    app[route.method](route.path, route.handler as RequestHandler);
  }

  app.use((req, res) => {
    res.status(404);
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ error: 'not_found', path: req.path });
    res.render('pages/not-found', { title: 'Not found', path: req.path });
  });
  const onError: ErrorRequestHandler = (error: Error, req, res, _next) => {
    console.error(`[touchpoint] ${req.method} ${req.path} failed:`, options.debug ? error : error.message);
    res.status(500);
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ error: 'internal_error' });
    res.render('pages/error', { title: 'Something went wrong', stack: options.debug ? error.stack : null });
  };
  app.use(onError);
  return app;
}
