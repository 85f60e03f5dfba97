import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { computeMetrics, weekStart } from '../../src/metrics/index.js';
import { TargetsSchema } from '../../src/config/schema.js';
import { Person } from '../../src/model/person.js';
import { CALL_TYPES, CUSTOMER_STATUSES, type Interview } from '../../src/model/interview.js';
import { interview, person } from '../helpers/interviews.js';

const ROSTER = ['a', 'b', 'c', 'd'].map((x, i) =>
  Person.parse({ name: x, email: `${x}@co.example`, role: i < 3 ? 'pm' : 'design', team: i % 2 ? 'Odd' : 'Even' }),
);
const AS_OF = '2026-06-15';
const targets = TargetsSchema.parse({ windowDays: 60, segmentMix: { Enterprise: 1, SMB: 1 } });

/** Random interviews around the as-of date: instants and dates, every call type, gaps in every field. */
const interviews = fc
  .array(
    fc.record({
      offsetMinutes: fc.integer({ min: -200 * 24 * 60, max: 10 * 24 * 60 }),
      dateOnly: fc.boolean(),
      segment: fc.constantFrom('Enterprise', 'SMB', 'Mid-market', null),
      tier: fc.constantFrom('Gold', 'Standard', null),
      status: fc.constantFrom(...CUSTOMER_STATUSES),
      callType: fc.constantFrom(...CALL_TYPES),
      account: fc.constantFrom('Acme', 'acme', 'Birch', 'Cedar', 'Dune', null),
      people: fc.subarray(['a@co.example', 'b@co.example', 'c@co.example', 'd@co.example', 'x@else.example']),
      duration: fc.constantFrom(30, 60, 90, null),
      tags: fc.subarray(['ai', 'AI', 'sso', 'exports']),
      due: fc.option(fc.integer({ min: -60, max: 30 })),
      done: fc.constantFrom(true, false, null),
    }),
    { maxLength: 80 },
  )
  .map((rows) =>
    rows.map((r, i): Interview => {
      const start = new Date(Date.parse(`${AS_OF}T12:00:00Z`) + r.offsetMinutes * 60_000).toISOString();
      return interview({
        id: `notes:${i}`,
        startsAt: r.dateOnly ? start.slice(0, 10) : start,
        segment: r.segment,
        tier: r.tier,
        customerStatus: r.status,
        callType: r.callType,
        account: r.account,
        interviewers: r.people.slice(0, 1).map((e) => person(e, e.endsWith('co.example'))),
        attendees: r.people.slice(1).map((e) => person(e, e.endsWith('co.example'))),
        durationMinutes: r.duration,
        tags: r.tags,
        followUps: { due: r.due === null ? null : new Date(Date.parse(AS_OF) + r.due * 86_400_000).toISOString().slice(0, 10), done: r.done },
      });
    }),
  );

const run = (list: readonly Interview[], team: string | null = null) =>
  computeMetrics({ interviews: list, roster: ROSTER, targets, timezone: 'America/Los_Angeles', asOf: AS_OF, team });
const sum = (rows: ReadonlyArray<{ conversations: number }>) => rows.reduce((n, r) => n + r.conversations, 0);

describe('metrics properties (random interview sets)', () => {
  test('totals agree across breakdowns: segments = statuses = tiers = conversations in the window', () => {
    fc.assert(
      fc.property(interviews, (list) => {
        const c = run(list).coverage;
        expect(sum(c.bySegment)).toBe(c.conversations);
        expect(sum(c.byStatus)).toBe(c.conversations);
        expect(sum(c.byTier)).toBe(c.conversations);
        expect(c.conversations).toBe(run(list).quality.team.conversations);
      }),
      { numRuns: 150 },
    );
  });

  test('shares sum to 1 in every breakdown (when anything was heard)', () => {
    fc.assert(
      fc.property(interviews, (list) => {
        const c = run(list).coverage;
        fc.pre(c.conversations > 0);
        for (const rows of [c.bySegment, c.byStatus, c.byTier]) expect(rows.reduce((s, r) => s + (r.share ?? 0), 0)).toBeCloseTo(1, 9);
      }),
      { numRuns: 150 },
    );
  });

  test('results do not depend on input order', () => {
    fc.assert(
      fc.property(
        interviews.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        ([list, shuffled]) => {
          expect(run(shuffled)).toEqual(run(list));
        },
      ),
      { numRuns: 100 },
    );
  });

  test('cadence: each grid holds exactly their counted conversations dated in it (checked with Intl, not luxon)', () => {
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(interviews, (list) => {
        const m = run(list);
        const gridStart = weekStart(m.cadence.weeks[0]!);
        for (const p of m.cadence.people) {
          const mine = list.filter((i) => {
            if (!targets.countedCallTypes.includes(i.callType)) return false;
            if (![...i.interviewers, ...i.attendees].some((x) => x.key === p.email)) return false;
            const date = i.startsAt!.length === 10 ? i.startsAt! : local.format(new Date(i.startsAt!));
            return date >= gridStart && date <= AS_OF;
          });
          expect(p.weeks.reduce((n, w) => n + w.conversations, 0)).toBe(mine.length);
          const hours = mine.reduce((h, i) => h + (i.durationMinutes ?? targets.defaultDurationMinutes) / 60, 0);
          expect(p.weeks.reduce((h, w) => h + w.hours, 0)).toBeCloseTo(hours, 6);
          // A PM meets a week on its own hours; a designer when the 6 weeks ending with it hold 2 h (exposure hours).
          if (p.role === 'pm') for (const w of p.weeks) expect(w.met).toBe(w.hours >= targets.hoursPerWeek);
          else
            p.weeks.forEach((w, i) => {
              if (i < 5) return; // the weeks before the grid are not in it
              const held = p.weeks.slice(i - 5, i + 1).reduce((h, x) => h + x.hours, 0);
              expect(w.met).toBe(held >= 2 - 1e-9);
            });
        }
      }),
      { numRuns: 100 },
    );
  });

  test('a team view is the sum of nothing more than its members: its conversations ≤ the whole', () => {
    fc.assert(
      fc.property(interviews, (list) => {
        const whole = run(list).coverage.conversations;
        expect(run(list, 'Odd').coverage.conversations).toBeLessThanOrEqual(whole);
        expect(run(list, 'Even').coverage.conversations).toBeLessThanOrEqual(whole);
      }),
      { numRuns: 60 },
    );
  });
});
