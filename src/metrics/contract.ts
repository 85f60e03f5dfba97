import { z } from 'zod';
import { Finding } from '../model/finding.js';

/**
 * The public JSON contract of `touchpoint metrics --json` (docs/metrics.md). Strict objects:
 * a field added to the code but not here fails the contract test, so the docs cannot drift.
 */
const date = z.iso.date();
const week = z.string().regex(/^\d{4}-W\d{2}$/);
const share = z.number().min(0).max(1).nullable();

const personWeek = z.strictObject({
  week,
  conversations: z.number().int().nonnegative(),
  hours: z.number().nonnegative(),
  assumed: z.number().int().nonnegative(),
  met: z.boolean(),
  active: z.boolean(),
});
const cadence = z.strictObject({
  asOf: date,
  measure: z.enum(['hours', 'conversations']),
  target: z.number().positive(),
  weeks: z.array(week).length(12),
  currentWeek: week,
  lastCompleteWeek: week,
  people: z.array(
    z.strictObject({
      email: z.string(),
      name: z.string(),
      role: z.string(),
      target: z.strictObject({ value: z.number(), everyWeeks: z.number().int() }).describe("The role's target: met when the last everyWeeks weeks hold value."),
      team: z.string().nullable(),
      weeks: z.array(personWeek).length(12),
      status: z.enum(['on_track', 'at_risk', 'off_track']),
      metThisWeek: z.boolean(),
      streak: z.number().int().nonnegative(),
      weeksMet: z.number().int().nonnegative(),
      weeksActive: z.number().int().nonnegative(),
      lastConversation: date.nullable(),
      daysSinceLast: z.number().int().nonnegative().nullable(),
    }),
  ),
  team: z.strictObject({
    onTargetLastWeek: z.strictObject({ met: z.number().int(), of: z.number().int(), share }),
    talkedLast30Days: z.strictObject({ count: z.number().int(), of: z.number().int(), share }),
    talkedInWindow: z.strictObject({ count: z.number().int(), of: z.number().int(), share, days: z.number().int() }),
    trend: z.array(z.strictObject({ week, met: z.number().int(), of: z.number().int(), share })),
  }),
});

const coverageRow = z.strictObject({
  key: z.string(),
  conversations: z.number().int().nonnegative(),
  accounts: z.number().int().nonnegative(),
  share,
  target: z.number().optional(),
  gap: z.number().optional(),
});
const coverage = z.strictObject({
  conversations: z.number().int().nonnegative(),
  tracked: z.strictObject({ segment: z.boolean(), customerStatus: z.boolean() }),
  bySegment: z.array(coverageRow),
  byStatus: z.array(coverageRow),
  byTier: z.array(coverageRow),
  flags: z.array(
    z.strictObject({
      code: z.enum(['segment_unheard', 'segment_below_minimum', 'status_unheard', 'status_below_minimum']),
      key: z.string(),
      conversations: z.number().int(),
      minimum: z.number().int(),
      lastHeard: date.nullable(),
      windowDays: z.number().int(),
    }),
  ),
  matrix: z.strictObject({
    segments: z.array(z.string()),
    rows: z.array(
      z.strictObject({ email: z.string(), name: z.string(), team: z.string().nullable(), counts: z.array(z.number().int()), total: z.number().int() }),
    ),
  }),
});

const studies = z.array(
  z.strictObject({
    study: z.string(),
    conversations: z.number().int().positive(),
    accounts: z.number().int().nonnegative(),
    segments: z.array(z.string()),
    level: z.enum(['anecdotal', 'emerging', 'solid']),
    toNextLevel: z.number().int().positive().nullable(),
    first: date,
    last: date,
  }),
);

const rate = z.strictObject({ rate: share, numerator: z.number().int(), denominator: z.number().int(), tracked: z.boolean() });
const rates = {
  conversations: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  trio: rate,
  debrief: rate,
  tldr: rate,
  onsite: rate,
  learningVsSales: rate.extend({ learning: z.number().int(), sales: z.number().int() }),
};
const quality = z.strictObject({
  team: z.strictObject(rates),
  people: z.array(z.strictObject({ email: z.string(), name: z.string(), team: z.string().nullable(), ...rates })),
  flags: z.array(
    z.strictObject({
      code: z.literal('mostly_other_calls'),
      email: z.string(),
      name: z.string(),
      conversations: z.number().int(),
      calls: z.number().int(),
      minimum: z.number().min(0).max(1),
    }),
  ),
});

const followUps = z.strictObject({
  open: z.number().int(),
  overdue: z.number().int(),
  items: z.array(
    z.strictObject({
      interviewId: z.string(),
      title: z.string(),
      account: z.string().nullable(),
      date,
      due: date,
      overdue: z.boolean(),
      daysOverdue: z.number().int().nonnegative(),
      promise: z.string().nullable().describe('What was promised (mapping.followUpText), or null.'),
      owners: z.array(z.strictObject({ key: z.string(), name: z.string().nullable() })),
      url: z.string().nullable(),
    }),
  ),
  people: z.array(z.strictObject({ email: z.string(), name: z.string(), team: z.string().nullable(), open: z.number().int(), overdue: z.number().int() })),
});

const accountRow = z.strictObject({ account: z.string(), conversations: z.number().int().positive(), pms: z.number().int().nonnegative(), last: date });
const accounts = z.strictObject({
  accounts: z.number().int(),
  conversations: z.number().int(),
  overContacted: z.array(accountRow),
  top: z.array(accountRow).max(10),
  topShare: share,
});

const range = z.strictObject({ from: date, to: date });
const themes = z.strictObject({
  window: range,
  previous: range,
  tags: z.array(z.strictObject({ tag: z.string(), current: z.number().int(), previous: z.number().int(), change: z.number().int() })),
  bySegment: z.array(z.strictObject({ segment: z.string(), tags: z.array(z.strictObject({ tag: z.string(), count: z.number().int().positive() })) })),
});

const findings = z.strictObject({
  total: z.number().int(),
  excluded: z.number().int(),
  byCode: z.record(z.string(), z.number().int()),
  items: z.array(Finding.strict()),
});

/** The whole document, top-level keys in their documented order. */
export const MetricsDocument = z.strictObject({
  asOf: date,
  timezone: z.string(),
  team: z.string().nullable(),
  window: z.strictObject({ days: z.number().int().positive(), from: date, to: date }),
  cadence,
  coverage,
  studies,
  quality,
  followUps,
  accounts,
  themes,
  findings,
});
export type MetricsDocument = z.infer<typeof MetricsDocument>;
