import type { Request, Response } from 'express';
import type { AppOptions } from './app.js';
import * as overview from './handlers/overview.js';
import * as session from './handlers/session.js';

/** One row of the route table. */
export interface Route {
  method: 'get' | 'post';
  path: string;
  handler: (req: Request, res: Response) => void;
}

/** Every route of the dashboard, in one place. */
export function routes(options: AppOptions): Route[] {
  const { workspace, token } = options;
  return [
    { method: 'get', path: '/', handler: overview.show(workspace) },
    { method: 'get', path: '/api/v1/overview', handler: overview.json(workspace) },
    { method: 'get', path: '/healthz', handler: (_req, res) => void res.json({ ok: true, dataVersion: workspace.store.dataVersion() }) },
    { method: 'get', path: '/login', handler: session.form(token) },
    { method: 'post', path: '/login', handler: session.submit(token) },
  ];
}
