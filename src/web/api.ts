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
  unknown: z.array(z.string()).describe('Always empty here: a query naming a filter that does not exist is a 400 (bad_filter).'),
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

/** A conversation as lists show it (a person's latest, the rows behind a count). */
const Listed = z.strictObject({
  id: z.string(),
  date,
  title: z.string(),
  account: z.string().nullable(),
  people: z.array(z.string()).describe('Who led it, as the roster names them.'),
  callType: z.string(),
  tldr: z.string().nullable(),
  debriefed: z.boolean().nullable(),
  counted: z.boolean(),
  hours: z.number(),
});

/** GET /api/v1/people/{email}. */
export const PersonResponse = z.strictObject({
  asOf: date,
  filters,
  person: M.cadence.shape.people.element,
  recent: z.array(
    Listed.extend({
      led: z.boolean(),
      url: z.string().nullable().describe('Notes, else the row in its source; only plain web addresses.'),
    }),
  ),
  followUps: M.followUps.shape.items,
  quality: M.quality.shape.people.element.nullable(),
});

/** GET /api/v1/conversations: one page of the rows behind a count. */
export const ConversationsResponse = z.strictObject({
  asOf: date,
  filters,
  drill: z.record(z.string(), z.unknown()).describe('The criteria read from the query, the window included (a number of days, or "all").'),
  total: z.number().int().describe('Rows matching, over every page.'),
  page: z.number().int(),
  pages: z.number().int(),
  perPage: z.number().int(),
  from: date.nullable().describe('First local date of the range; null is since the first conversation.'),
  to: date,
  rows: z.array(
    Listed.extend({
      attendees: z.array(z.string()),
      notesUrl: z.string().nullable(),
      sourceUrl: z.string().nullable(),
      segment: z.string().nullable(),
      customerStatus: z.string(),
      tier: z.string().nullable(),
      study: z.string().nullable(),
      tags: z.array(z.string()),
    }),
  ),
});

const ErrorResponse = z.strictObject({
  error: z.string(),
  message: z.string().optional(),
  path: z.string().optional(),
  unknown: z.array(z.string()).optional().describe('bad_filter: each filter the query named that does not exist or cannot be read.'),
});

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' });

const BAD_FILTER = {
  description: 'A filter names a team, source or value that does not exist, or a window outside 7–730 days (error: bad_filter)',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** The criteria of /conversations, each as a link from a count sets it (docs/metrics.md, "Drill-down"). */
const DRILL = [
  ['person', 'Credited to this person (roster e-mail): cadence, the matrix.'],
  ['led', 'Led by this person: who owns a promise.'],
  ['present', "Led or attended by this person: practice quality, a person's list."],
  ['week', 'One ISO week (2026-W12), up to the as-of date; the window is then ignored.'],
  ['segment', 'A segment; "(not set)" for rows without one.'],
  ['status', 'A customer status: current, former, prospect, lost, unknown.'],
  ['tier', 'A tier; "(not set)" for rows without one.'],
  ['account', 'An account, compared trimmed and case-folded.'],
  ['study', 'A study.'],
  ['tag', 'A tag, compared case-insensitively.'],
  ['callType', 'One call type, or "all"; without it only the counted call types (conversations).'],
  ['followUp', '"open" or "overdue": rows with such a promise.'],
  ['before', '"1": the window of equal length just before the window (Themes\' "before").'],
  ['page', 'Page of 100 rows, from 1.'],
].map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } }));

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
          '400': BAD_FILTER,
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
        '400': BAD_FILTER,
        '404': { description: 'No one with that e-mail is on the roster', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
  };
  schemas['ConversationsResponse'] = json(ConversationsResponse);
  paths['/api/v1/conversations'] = {
    get: {
      operationId: 'getConversations',
      summary: 'The conversations behind a count, newest first, 100 a page; every count on the dashboard links to the same rows',
      parameters: [...QUERY.map((q) => (q.name === 'window' ? { ...q, description: `${q.description} Or "all".`, schema: { type: 'string' } } : q)), ...DRILL],
      responses: {
        '200': { description: 'A page of rows', content: { 'application/json': { schema: { $ref: '#/components/schemas/ConversationsResponse' } } } },
        '400': BAD_FILTER,
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
