import type { NextFunction, Request, Response } from 'express';
import type { AppOptions } from './app.js';
import type { Access } from './auth.js';
import { PAGES } from './pages.js';
import * as pages from './handlers/pages.js';
import * as person from './handlers/person.js';
import * as digests from './handlers/digests.js';
import * as conversations from './handlers/conversations.js';
import type { ListSpec } from '../index.js';
import { openApiDocument } from './api.js';
import { VERSION } from '../version.js';
import { loopDelay } from './loop.js';

/** One row of the route table. */
export interface Route {
  method: 'get' | 'post';
  path: string;
  handler: (req: Request, res: Response, next: NextFunction) => void;
  /** Views the handler reads, made ready first (off the event loop when offloaded): the page's metrics, and the list it shows. */
  prepare?: 'metrics' | ((req: Request) => ListSpec);
  /** The page's views are the same under any team filter, and are prepared without one (a person page). */
  teamless?: true;
}

/** Every route of the dashboard, in one place. */
export function routes(options: AppOptions, access: Access): Route[] {
  const { workspace } = options;
  return [
    // The pages (Overview, People, Coverage, Studies, Follow-ups, Accounts, Themes, Data quality, Sync) and their JSON.
    ...PAGES.map((page): Route => ({ method: 'get', path: page.path, handler: pages.show(page, workspace), prepare: 'metrics' })),
    ...PAGES.map((page): Route => ({ method: 'get', path: `/api/v1/${page.name}`, handler: pages.json(page, workspace), prepare: 'metrics' })),
    { method: 'get', path: '/api/v1/openapi.json', handler: (_req, res) => void res.json(openApiDocument(VERSION)) },
    { method: 'get', path: '/people/:email', handler: person.show(workspace), prepare: personList, teamless: true },
    { method: 'get', path: '/api/v1/people/:email', handler: person.json(workspace), prepare: personList, teamless: true },
    // The rows behind any count (docs/metrics.md, "Drill-down").
    { method: 'get', path: '/conversations', handler: conversations.show(workspace), prepare: (req) => conversations.listSpec(req, workspace) },
    { method: 'get', path: '/api/v1/conversations', handler: conversations.json(workspace), prepare: (req) => conversations.listSpec(req, workspace) },
    { method: 'get', path: '/export/conversations.csv', handler: conversations.csv(workspace), prepare: (req) => conversations.csvSpec(req, workspace) },
    { method: 'get', path: '/export/interviews.csv', handler: pages.interviews(workspace) },
    { method: 'get', path: '/export/:table.csv', handler: pages.csv(workspace), prepare: 'metrics' },
    { method: 'get', path: '/digests', handler: digests.list(workspace), prepare: 'metrics' },
    { method: 'get', path: '/digests/exec', handler: digests.show(workspace, 'exec') },
    { method: 'get', path: '/digests/team/:team', handler: digests.show(workspace, 'team') },
    { method: 'get', path: '/healthz', handler: (_req, res) => void res.json(health(options)) },
    { method: 'get', path: '/login', handler: access.form },
    { method: 'post', path: '/login', handler: access.submit },
    { method: 'post', path: '/logout', handler: access.logout },
  ];
}

/** A person page's list: their latest conversations. */
const personList = (req: Request): ListSpec => ({ kind: 'recent', key: String(req.params['email'] ?? '').toLowerCase() });

/**
 * /healthz: answers while anything else is busy, and says `degraded` while a job is stuck or
 * failing; `eventLoop` is the longest any request waited for the loop in the last minute.
 */
function health(options: AppOptions) {
  const service = options.service?.() ?? { status: 'ok' as const, jobs: [] };
  return { ok: true, status: service.status, jobs: service.jobs, dataVersion: options.workspace.dataVersion(), eventLoop: loopDelay() };
}
