import { z } from 'zod';
import { IANAZone } from 'luxon';
import cron from 'node-cron';
import { CALL_TYPES, CUSTOMER_STATUSES, LOCATIONS } from '../model/interview.js';
import { Person } from '../model/person.js';
import { EXEC_DIGEST_NUGGETS } from './defaults.js';

const Column = z.string().min(1, 'give the column name as it appears in the source');

/** Map of source value → model value; keys match case-insensitively. */
const values = <T extends z.ZodType<string>>(target: T) => z.record(z.string(), target);

/** A field fed by one column: `"Column"` or `{ column, values }`. */
function field<T extends z.ZodType<string>>(target: T) {
  return z.union([
    Column.transform((column) => ({ column, values: {} as Record<string, z.output<T>> })),
    z.strictObject({ column: Column, values: values(target).default({}) }),
  ]);
}

const plain = field(z.string().min(1));

const duration = z.union([
  Column.transform((column) => ({ column, unit: 'minutes' as const })),
  z.strictObject({ column: Column, unit: z.enum(['minutes', 'hours', 'seconds']).default('minutes') }),
]);

/** Which source column feeds which model field. Only `title` and `startsAt` are required. */
export const MappingSchema = z.strictObject({
  id: plain.optional().describe('Column holding a stable record id (CSV). Without it, title + date are the key.'),
  url: plain.optional().describe('Column holding a link to the row in its source.'),
  title: plain,
  startsAt: plain.describe('Date or date-time of the conversation; a Notion "start → end" range also fills endsAt.'),
  endsAt: plain.optional(),
  durationMinutes: duration.optional(),
  interviewers: plain.optional().describe('Who led the conversation (usually the PM); a list.'),
  attendees: plain.optional().describe('Other internal people present; a list.'),
  account: plain.optional(),
  participantName: plain.optional(),
  participantEmail: plain.optional(),
  participantRole: plain.optional(),
  segment: plain.optional(),
  customerStatus: field(z.enum(CUSTOMER_STATUSES)).optional(),
  tier: plain.optional(),
  callType: field(z.enum(CALL_TYPES)).optional(),
  location: field(z.enum(LOCATIONS)).optional(),
  study: plain.optional(),
  tldr: plain.optional(),
  notesUrl: plain.optional(),
  debriefed: plain.optional(),
  followUpDue: plain.optional(),
  followUpDone: plain.optional(),
  followUpText: plain.optional().describe('Column holding what was promised: the Follow-ups page shows it beside the conversation.'),
  tags: plain.optional(),
  nugget: plain.optional(),
  createdAt: plain.optional(),
  updatedAt: plain.optional(),
});
export type Mapping = z.output<typeof MappingSchema>;
export type MappedField = keyof Mapping;

const Timezone = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  message: 'not a time zone; use an IANA name such as "Europe/Berlin" or "America/New_York"',
});

const sourceCommon = {
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'use letters, digits, "-" and "_" only: it becomes part of every interview id'),
  mapping: MappingSchema,
  defaultCallType: z.enum(CALL_TYPES).default('learning').describe('Call type for rows that do not say.'),
  timezone: Timezone.optional().describe('Zone of date-times written without an offset; defaults to the top-level timezone.'),
  maxDurationMinutes: z.number().positive().default(480).describe('A longer duration is implausible: it becomes a finding and does not count.'),
};

/** A CSV exported from a Notion database or downloaded from an Airtable view. */
export const CsvSourceSchema = z.strictObject({
  ...sourceCommon,
  kind: z.literal('csv'),
  path: z.string().min(1).describe('Path to the CSV file, relative to the config file.'),
  delimiter: z.enum([',', ';', '\t', '|']).optional().describe('Column delimiter; detected from the header when omitted.'),
  listSeparator: z.string().min(1).default(',').describe('Separator inside list cells (people, tags).'),
  dateOrder: z.enum(['mdy', 'dmy']).default('mdy').describe('How to read 3/4/2026: March 4 (mdy) or 3 April (dmy).'),
});

/** Limits an API source keeps to; docs/sources.md "The transport". */
const apiCommon = {
  fullListingHours: z.number().positive().default(24).describe('Hours between full listings (the only way to see deleted rows).'),
  timeoutSeconds: z
    .number()
    .positive()
    .max(600)
    .default(30)
    .describe('Give up on one attempt (connection, headers and the whole body) after this long; it is then retried.'),
  maxRetries: z.number().int().min(0).max(10).default(5).describe('Retries of one request after a 429, 5xx, timeout or an answer that is not JSON.'),
  retryBaseSeconds: z
    .number()
    .positive()
    .max(60)
    .default(1)
    .describe('The first backoff after a 5xx, timeout or bad answer; it doubles each retry (±50 %), up to 30 s.'),
  runTimeoutMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(60)
    .describe('The whole read of this source (every request and wait) ends after this long; the store is left unchanged.'),
};

/** A Notion database (or one data source of it), read with NOTION_TOKEN. */
export const NotionSourceSchema = z.strictObject({
  ...sourceCommon,
  ...apiCommon,
  kind: z.literal('notion'),
  database: z.string().min(1).describe('The database URL copied from the browser, its id, or a data source id.'),
  dataSource: z.string().min(1).optional().describe('Which data source, by name, when the database has several.'),
  apiBaseUrl: z.url().default('https://api.notion.com').describe('For proxies and tests.'),
  requestsPerSecond: z.number().positive().max(10).default(3).describe('Notion allows 3 a second on average (10 on Business and Enterprise).'),
  pageSize: z.number().int().min(1).max(100).default(100).describe('Rows per query; lower it if Notion keeps answering 503 (its own advice).'),
});

/** An Airtable table (optionally one view of it), read with AIRTABLE_TOKEN. */
export const AirtableSourceSchema = z.strictObject({
  ...sourceCommon,
  ...apiCommon,
  maxRetries: z.number().int().min(0).max(10).default(3).describe('Retries of one request after a 429 (each waits the 30-second penalty), 5xx or timeout.'),
  kind: z.literal('airtable'),
  baseId: z.string().regex(/^app[A-Za-z0-9]{14}$/, 'an Airtable base id looks like appKGpOyQNcdOyZbk (in the URL of the base, after airtable.com/)'),
  table: z.string().min(1).describe('Table name or id (tbl…; an id survives renames).'),
  view: z.string().min(1).optional().describe('Only rows in this view; rows that leave it count as deleted.'),
  lastModifiedField: z.string().min(1).optional().describe('A "Last modified time" field for incremental runs; found in the schema when omitted.'),
  incrementalOverlapMinutes: z.number().min(0).max(1440).default(5).describe('Ask again from this long before the bookmark.'),
  endpointUrl: z
    .url()
    .default('https://api.airtable.com')
    .transform((url) => url.replace(/\/+$/, ''))
    .describe('For proxies and tests.'),
  requestsPerSecond: z.number().positive().max(5).default(4.5).describe('Airtable allows 5 requests a second per base; 4.5 leaves room for network jitter.'),
  pageSize: z.number().int().min(1).max(100).default(100),
});

export const SourceSchema = z.discriminatedUnion('kind', [CsvSourceSchema, NotionSourceSchema, AirtableSourceSchema]);
export type SourceConfig = z.output<typeof SourceSchema>;
export type CsvSourceConfig = z.output<typeof CsvSourceSchema>;
export type NotionSourceConfig = z.output<typeof NotionSourceSchema>;
export type AirtableSourceConfig = z.output<typeof AirtableSourceSchema>;

/**
 * Target rates of practice quality, each a share of the conversations whose source records the
 * field. The seeds ask for all of it every time (the trio attends together, the team debriefs, a
 * two-line tl;dr goes to the developers); the defaults are the bar below which a rate is shown as
 * below target (docs/metrics.md, "quality").
 */
const share = () => z.number().min(0).max(1);
export const PracticeSchema = z.strictObject({
  trio: share().default(0.5).describe('Share of conversations the PM, a designer and an engineer all attend.'),
  debrief: share().default(0.8).describe('Share of conversations debriefed as a team.'),
  tldr: share().default(0.8).describe('Share of conversations with a tl;dr for the developers.'),
  learningShare: share()
    .default(0.5)
    .describe('A PM whose counted conversations are less than this share of all their customer calls is flagged (mostly sales or support).'),
});

/**
 * A cadence target for a role other than PM, over a rolling period: met in a week when the last
 * `everyWeeks` weeks together hold it. The default is Jared Spool's exposure hours — everyone on
 * the team spends at least 2 hours every 6 weeks watching customers (docs/metrics.md, "Targets per role").
 */
export const RoleTargetSchema = z.strictObject({
  hours: z.number().positive().default(2).describe('Hours with customers in the period (measure: hours).'),
  conversations: z.number().int().positive().default(2).describe('Conversations in the period (measure: conversations).'),
  everyWeeks: z.number().int().min(1).max(12).default(6).describe('Length of the rolling period, in weeks.'),
});
export type RoleTarget = z.output<typeof RoleTargetSchema>;
const EXPOSURE = { hours: 2, conversations: 2, everyWeeks: 6 };

export const TargetsSchema = z.strictObject({
  measure: z.enum(['hours', 'conversations']).default('hours').describe('What a weekly target counts.'),
  hoursPerWeek: z.number().positive().default(2),
  conversationsPerWeek: z.number().int().positive().default(1),
  defaultDurationMinutes: z.number().positive().default(60).describe('Assumed length of a conversation with no duration.'),
  countedCallTypes: z.array(z.enum(CALL_TYPES)).min(1).default(['learning', 'usability']),
  creditAttendees: z.boolean().default(true).describe('Credit attendees as well as interviewers.'),
  windowDays: z.number().int().positive().default(90),
  minPerSegment: z.number().int().nonnegative().default(10),
  segmentMix: z.record(z.string(), z.number().nonnegative()).optional().describe('Target weight per segment.'),
  maxTouchesPerAccount: z.number().int().positive().default(3),
  evidence: z
    .strictObject({ emerging: z.number().int().positive().default(10), solid: z.number().int().positive().default(20) })
    .default({ emerging: 10, solid: 20 }),
  roles: z
    .record(z.string(), RoleTargetSchema)
    .default({ design: EXPOSURE, engineering: EXPOSURE, other: EXPOSURE })
    .describe('Cadence targets of roles other than pm (whose target is hoursPerWeek or conversationsPerWeek, every week); a role not listed takes "other".'),
  practice: PracticeSchema.default(PracticeSchema.parse({})).describe(
    'Target rates of the practice after and around a conversation (docs/metrics.md, "quality").',
  ),
});
export type Targets = z.output<typeof TargetsSchema>;

/** A cron expression of five fields (minute hour day month weekday), read in the team's zone. */
const Cron = z.string().refine((expression) => expression.trim().split(/\s+/).length === 5 && cron.validate(expression), {
  message: 'not a cron expression of five fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * 1" for Mondays at 08:00',
});

const Recipients = z.array(z.email()).min(1, 'name at least one recipient');

/** When the exec digest goes out unless the config says otherwise: Mondays at 08:00 in the team's zone. */
export const EXEC_DIGEST_SCHEDULE = '0 8 * * 1';

/** The name of an environment variable holding a Slack incoming-webhook URL (the URL is a secret: never in the config). */
const SlackWebhook = z
  .string()
  .regex(/^SLACK_WEBHOOK_(URL|[A-Z0-9_]+)$/, 'name the environment variable that holds the webhook URL, e.g. SLACK_WEBHOOK_URL or SLACK_WEBHOOK_GROWTH')
  .describe('The environment variable holding the Slack incoming-webhook URL (SLACK_WEBHOOK_URL, SLACK_WEBHOOK_<NAME>).');

/** Who a digest goes to: e-mail recipients, a Slack channel, or both. */
const channels = {
  to: Recipients.optional(),
  slack: SlackWebhook.optional(),
};
const oneChannel = (d: { to?: string[] | undefined; slack?: string | undefined }) => Boolean(d.to?.length || d.slack);
const ONE_CHANNEL = { message: 'say where it goes: `to` (e-mail addresses), `slack` (a webhook variable), or both', path: ['to'] };

/** Scheduled digests: the weekly exec digest and per-team digests, by e-mail and Slack. */
export const DigestsSchema = z.strictObject({
  from: z.string().min(3).default('touchpoint <touchpoint@localhost>').describe('The From header.'),
  dashboardUrl: z
    .url()
    .optional()
    .describe(
      'Where links in the digests point: the address people open. Unset, they point at dashboard.host and dashboard.port, which only this machine can open.',
    ),
  graceHours: z.number().min(0).max(168).default(12).describe('A digest missed while touchpoint was down is sent on start if it is at most this late.'),
  exec: z
    .strictObject({
      enabled: z.boolean().default(true),
      schedule: Cron.default(EXEC_DIGEST_SCHEDULE),
      ...channels,
      skipWhenEmpty: z.boolean().default(false).describe('Skip a digest with nothing new (else it says so in one line).'),
      nuggets: z.number().int().min(0).max(10).default(EXEC_DIGEST_NUGGETS),
    })
    .refine(oneChannel, ONE_CHANNEL)
    .optional(),
  teams: z
    .array(
      z
        .strictObject({
          team: z.string().min(1),
          schedule: Cron.default('0 9 * * 1'),
          ...channels,
          skipWhenEmpty: z.boolean().default(true),
        })
        .refine(oneChannel, ONE_CHANNEL),
    )
    .default([]),
  redact: z
    .enum(['participants', 'accounts', 'none'])
    .default('participants')
    .describe('What broadcasts (team digests, every Slack message) leave out: participant names and e-mails (the default), also account names, or nothing.'),
});

/** The whole `touchpoint.config.yaml`. Defaults are declared here and nowhere else. */
export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    organisation: z.string().default('Your organisation'),
    timezone: Timezone.default('UTC').describe('The team time zone: weeks and days are counted in it.'),
    asOf: z.iso.date().optional().describe('Pin the as-of date of every metric (the demo uses it); default today.'),
    roster: z.array(Person).default([]),
    targets: TargetsSchema.default(TargetsSchema.parse({})),
    store: z.strictObject({ path: z.string().min(1).default('./data/touchpoint.db') }).default({ path: './data/touchpoint.db' }),
    digests: DigestsSchema.prefault({}),
    sync: z
      .strictObject({
        schedule: Cron.optional().describe('Sync every source on this schedule while `touchpoint serve` runs, e.g. "*/30 * * * *".'),
        maxDeleteShare: z.number().min(0).max(1).default(0.5).describe('Refuse to mark more than this share of a source deleted in one run (without --force).'),
        lockWaitSeconds: z.number().min(0).max(600).default(5).describe('How long a sync waits for another sync on the same store before it gives up.'),
        staleAfterHours: z
          .number()
          .positive()
          .optional()
          .describe('The dashboard warns when the oldest good read of a source is older than this (default: twice the sync.schedule interval, else 48).'),
      })
      .prefault({}),
    dashboard: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(3000),
        allowedHosts: z
          .array(z.string().min(1))
          .default([])
          .describe('With DASHBOARD_TOKEN: the only Host names answered (e.g. touchpoint.acme.internal); empty answers any.'),
        sessionHours: z
          .number()
          .positive()
          .max(24 * 30)
          .default(12)
          .describe('How long a sign-in lasts.'),
      })
      .prefault({}),
    sources: z.array(SourceSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const emails = new Set<string>();
    config.roster.forEach((person, i) => {
      if (emails.has(person.email)) {
        ctx.addIssue({ code: 'custom', path: ['roster', i, 'email'], message: `${person.email} is listed twice; keep one entry per person` });
      }
      emails.add(person.email);
    });
    const names = new Set<string>();
    for (const [i, digest] of (config.digests?.teams ?? []).entries()) {
      if (!config.roster.some((p) => p.team === digest.team)) {
        ctx.addIssue({
          code: 'custom',
          path: ['digests', 'teams', i, 'team'],
          message: `no one on the roster is in team "${digest.team}"; teams: ${[...new Set(config.roster.map((p) => p.team).filter(Boolean))].join(', ') || 'none'}`,
        });
      }
    }
    config.sources.forEach((source, i) => {
      if (names.has(source.name)) {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'name'], message: `two sources are named "${source.name}"; names must be unique` });
      }
      names.add(source.name);
    });
  });

export type Config = z.output<typeof ConfigSchema>;
export type DigestsConfig = z.output<typeof DigestsSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
