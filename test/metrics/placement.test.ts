import { describe, expect, test } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import { TargetsSchema } from '../../src/config/schema.js';
import { Person } from '../../src/model/person.js';
import type { Interview } from '../../src/model/interview.js';
import { interview, person } from '../helpers/interviews.js';

// Placing keeps columns of one or two bytes that widen when a value needs more
// (src/metrics/conversations.ts); these rows are the values that need more.
const ROSTER = [
  { name: 'Pat', email: 'pat@co.example', role: 'pm', team: 'Core' },
  { name: 'Dana', email: 'dana@co.example', role: 'design', team: 'Core' },
].map((p) => Person.parse(p));
const AS_OF = '2026-04-01';

const metrics = (interviews: Interview[], creditAttendees = true) =>
  computeMetrics({ interviews, roster: ROSTER, targets: TargetsSchema.parse({ windowDays: 28, creditAttendees }), timezone: 'UTC', asOf: AS_OF });

describe('placing wide values', () => {
  test('70 000 distinct accounts and tags are each counted (more than two bytes of numbers)', () => {
    const rows = Array.from({ length: 70_000 }, (_, i) =>
      interview({ id: `notes:${i}`, startsAt: '2026-03-30', account: `Account ${i}`, tags: [`tag ${i}`], segment: i < 69_999 ? 'Enterprise' : 'SMB' }),
    );
    const m = metrics(rows);
    expect(m.accounts.accounts).toBe(70_000);
    expect(m.coverage.bySegment.map((r) => [r.key, r.conversations, r.accounts])).toEqual([
      ['Enterprise', 69_999, 69_999],
      ['SMB', 1, 1],
    ]);
    expect(m.themes.tags).toHaveLength(70_000);
    expect(m.themes.tags.find((t) => t.tag === 'tag 69999')).toEqual({ tag: 'tag 69999', current: 1, previous: 0, change: 1 });
  });

  test('a row naming 300 people credits the roster person listed last', () => {
    const crowd = Array.from({ length: 299 }, (_, k) => person(`guest${k}@else.example`, false));
    const row = interview({ startsAt: '2026-03-30', interviewers: [person('x@else.example', false)], attendees: [...crowd, person('dana@co.example')] });
    const dana = (creditAttendees: boolean) => metrics([row], creditAttendees).cadence.people.find((p) => p.email === 'dana@co.example')!;
    expect(dana(true).lastConversation).toBe('2026-03-30');
    expect(dana(false).lastConversation).toBeNull();
  });

  test('durations that are not whole minutes, or longer than 65 535 minutes, are kept exactly', () => {
    const rows = [37.5, 0.1, 70_000].map((durationMinutes, i) => interview({ id: `notes:${i}`, startsAt: '2026-03-30', durationMinutes }));
    const week = metrics(rows)
      .cadence.people.find((p) => p.email === 'pat@co.example')!
      .weeks.at(-1)!;
    expect(week.hours).toBe(Math.round(((37.5 + 0.1 + 70_000) / 60) * 100) / 100);
    expect(week.conversations).toBe(3);
  });

  test('a null segment and one written "(not set)" count together; a study lists only the written one', () => {
    const rows = [null, '(not set)'].map((segment, i) => interview({ id: `notes:${i}`, startsAt: '2026-03-30', segment, study: `Study ${i}` }));
    const m = metrics(rows);
    expect(m.coverage.bySegment.map((r) => [r.key, r.conversations])).toEqual([['(not set)', 2]]);
    expect(m.studies.map((s) => [s.study, s.segments])).toEqual([
      ['Study 0', []],
      ['Study 1', ['(not set)']],
    ]);
  });
});
