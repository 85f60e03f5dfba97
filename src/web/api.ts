import { z } from 'zod';
import { MetricsDocument } from '../metrics/contract.js';

/**
 * The JSON API under /api/v1: one zod schema per response, made of the metrics contract's own
 * parts (src/metrics/contract.ts), and the OpenAPI 3.1 document generated from them — served at
 * /api/v1/openapi.json and committed as docs/openapi.json (`npm run openapi`).
 */

const M = MetricsDocument.shape;
const date = z.iso.date();

const filters = z.strictObject({
  team: z.string().nullable(),
  windowDays: z.number().int(),
  source: z.string().nullable(),
  unknown: z.array(z.string()).describe('What the query named that does not exist; the defaults are used instead.'),
});
const tables = z
  .record(z.string(), z.array(z.record(z.string(), z.string())))
  .describe('Each table of the page, its rows as text (the same as /export/<table>.csv).');

const syncReport = z.object({
  source: z.string(),
  listing: z.enum(['full', 'incremental']),
  read: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  deleted: z.number().int(),
  deletionsHeld: z.number().int().optional(),
  why: z.enum(['asked', 'first', 'setup_changed', 'due', 'always']).nullable().optional().describe('Why the listing was full.'),
  findings: z.number().int(),
  excluded: z.number().int(),
  offRoster: z.array(z.object({ name: z.string(), rows: z.number().int() })),
  requests: z.number().int(),
  retries: z.number().int(),
  waitedMs: z.number(),
  durationMs: z.number(),
  startedAt: z.string(),
});

/** What `/api/v1/<page>` answers under `data`, page by page. */
export const PAGE_DATA = {
  overview: z.strictObject({
    cadence: M.cadence,
    flags: M.coverage.shape.flags,
    followUps: z.strictObject({ open: z.number().int(), overdue: z.number().int() }),
    quality: M.quality.shape.team,
    findings: z.number().int(),
  }),
  people: z.strictObject({ people: M.cadence.shape.people, quality: M.quality }),
  coverage: M.coverage,
  studies: M.studies,
  'follow-ups': M.followUps,
  accounts: M.accounts,
  themes: M.themes,
  'data-quality': M.findings,
  sync: z.strictObject({
    sources: z.array(
      z.strictObject({ name: z.string(), kind: z.string(), interviews: z.number().int(), bookmark: z.string().nullable(), lastFullAt: z.string().nullable() }),
    ),
    runs: z.array(
      z.strictObject({
        id: z.number().int(),
        source: z.string(),
        startedAt: z.string(),
        finishedAt: z.string(),
        status: z.enum(['ok', 'failed']),
        report: syncReport.nullable(),
        error: z.string().nullable(),
      }),
    ),
  }),
} as const;

export type PageName = keyof typeof PAGE_DATA;

/** The envelope every page's JSON shares. */
export function pageResponse(name: PageName) {
  return z.strictObject({ asOf: date, timezone: z.string(), filters, data: PAGE_DATA[name], tables });
}

/** GET /api/v1/people/{email}. */
export const PersonResponse = z.strictObject({
  asOf: date,
  filters,
  person: M.cadence.shape.people.element,
  recent: z.array(
    z.strictObject({
      id: z.string(),
      date,
      title: z.string(),
      account: z.string().nullable(),
      people: z.array(z.string()),
      callType: z.string(),
      tldr: z.string().nullable(),
      debriefed: z.boolean().nullable(),
      counted: z.boolean(),
      hours: z.number(),
      led: z.boolean(),
      url: z.string().nullable().describe('Notes, else the row in its source; only plain web addresses.'),
    }),
  ),
  followUps: M.followUps.shape.items,
  quality: M.quality.shape.people.element.nullable(),
});

const ErrorResponse = z.strictObject({ error: z.string(), message: z.string().optional(), path: z.string().optional() });

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' });

const QUERY = [
  { name: 'team', in: 'query', required: false, description: 'Only this roster team, and the conversations that credit it.', schema: { type: 'string' } },
  {
    name: 'window',
    in: 'query',
    required: false,
    description: 'Days of the coverage, quality, accounts and themes window (7–730).',
    schema: { type: 'integer', minimum: 7, maximum: 730 },
  },
  { name: 'source', in: 'query', required: false, description: "Only this configured source's interviews.", schema: { type: 'string' } },
];

/** The OpenAPI 3.1 document of /api/v1, generated from the schemas above. */
export function openApiDocument(version: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = { Error: json(ErrorResponse), PersonResponse: json(PersonResponse) };
  const paths: Record<string, unknown> = {};
  for (const name of Object.keys(PAGE_DATA) as PageName[]) {
    const id = `${name.replace(/-(.)/g, (_, c: string) => c.toUpperCase())}Response`;
    schemas[id] = json(pageResponse(name));
    paths[`/api/v1/${name}`] = {
      get: {
        operationId: `get${id.replace(/^./, (c) => c.toUpperCase()).replace(/Response$/, '')}`,
        summary: `The ${name} page's metrics and tables`,
        parameters: QUERY,
        responses: {
          '200': { description: 'The page as data', content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } } },
          '401': {
            description: 'A token is required (the dashboard is open to the network)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    };
  }
  paths['/api/v1/people/{email}'] = {
    get: {
      operationId: 'getPerson',
      summary: 'One roster person: weeks, recent conversations, promises, practice quality',
      parameters: [{ name: 'email', in: 'path', required: true, schema: { type: 'string' } }, ...QUERY],
      responses: {
        '200': { description: 'The person', content: { 'application/json': { schema: { $ref: '#/components/schemas/PersonResponse' } } } },
        '404': { description: 'No one with that e-mail is on the roster', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
  };
  paths['/api/v1/openapi.json'] = { get: { operationId: 'getOpenApi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'touchpoint',
      version,
      description:
        'Interview cadence, coverage and practice quality, as served by the dashboard. Every page of the dashboard has its JSON here; docs/metrics.md defines every field.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'DASHBOARD_TOKEN, required when the dashboard is open to the network' } },
    },
  };
}
