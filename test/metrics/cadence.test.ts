import { describe, expect, test } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import { TargetsSchema, type Targets } from '../../src/config/schema.js';
import { Person } from '../../src/model/person.js';
import type { Interview } from '../../src/model/interview.js';
import { interview, person } from '../helpers/interviews.js';

const ROSTER = [
  { name: 'Pat', email: 'pat@co.example', role: 'pm', team: 'Core' },
  { name: 'Kim', email: 'kim@co.example', role: 'pm', team: 'Core' },
  { name: 'Dana', email: 'dana@co.example', role: 'design', team: 'Core' },
].map((p) => Person.parse(p));

// As of Wednesday 1 April 2026: W14 is in progress, W13 (23–29 March, with Europe's switch
// to summer time on Sunday the 29th) is the last complete week.
const AS_OF = '2026-04-01';

let n = 0;
const talk = (startsAt: string, overrides: Partial<Interview> = {}) => interview({ id: `notes:${++n}`, startsAt, ...overrides });

function cadence(interviews: Interview[], options: { zone?: string; targets?: Partial<Targets>; roster?: typeof ROSTER; asOf?: string } = {}) {
  return computeMetrics({
    interviews,
    roster: options.roster ?? ROSTER,
    targets: TargetsSchema.parse(options.targets ?? {}),
    timezone: options.zone ?? 'Europe/Berlin',
    asOf: options.asOf ?? AS_OF,
  }).cadence;
}

/** week → [conversations, hours] for one person, only weeks with something in them. */
function weeksOf(result: ReturnType<typeof cadence>, email: string) {
  const p = result.people.find((x) => x.email === email)!;
  return Object.fromEntries(p.weeks.filter((w) => w.conversations > 0).map((w) => [w.week, [w.conversations, w.hours]]));
}

describe('cadence: which week a conversation falls in', () => {
  test('the grid is 12 weeks ending with the current one', () => {
    const result = cadence([]);
    expect(result.weeks).toHaveLength(12);
    expect(result.weeks[0]).toBe('2026-W03');
    expect(result.currentWeek).toBe('2026-W14');
    expect(result.lastCompleteWeek).toBe('2026-W13');
  });

  test('Monday 00:30 in Berlin is Sunday in UTC but belongs to the new week', () => {
    expect(weeksOf(cadence([talk('2026-03-29T22:30:00.000Z')]), 'pat@co.example')).toEqual({ '2026-W14': [1, 1] });
  });

  test('Sunday 23:30 in New York is Monday in UTC but stays in its week', () => {
    expect(weeksOf(cadence([talk('2026-03-16T03:30:00.000Z')], { zone: 'America/New_York' }), 'pat@co.example')).toEqual({ '2026-W11': [1, 1] });
  });

  test('a week across the daylight-saving change counts both sides', () => {
    const result = cadence([
      talk('2026-03-27T13:00:00.000Z', { durationMinutes: 90 }), // Friday 14:00 CET
      talk('2026-03-29T21:30:00.000Z', { durationMinutes: 30 }), // Sunday 23:30 CEST
    ]);
    expect(weeksOf(result, 'pat@co.example')).toEqual({ '2026-W13': [2, 2] });
    expect(result.people[0]!.weeks.find((w) => w.week === '2026-W13')!.met).toBe(true);
  });

  test('a date-only value is its own local date in any zone', () => {
    expect(weeksOf(cadence([talk('2026-03-29')], { zone: 'Pacific/Kiritimati' }), 'pat@co.example')).toEqual({ '2026-W13': [1, 1] });
    expect(weeksOf(cadence([talk('2026-03-30')], { zone: 'Pacific/Pago_Pago' }), 'pat@co.example')).toEqual({ '2026-W14': [1, 1] });
  });

  test('interviews after the as-of date have not happened yet', () => {
    expect(weeksOf(cadence([talk('2026-04-01'), talk('2026-04-02')]), 'pat@co.example')).toEqual({ '2026-W14': [1, 1] });
  });
});

describe('cadence: what counts and for whom', () => {
  test('a missing duration counts as the default and is reported as assumed', () => {
    const result = cadence([talk('2026-03-24', { durationMinutes: null })], { targets: { defaultDurationMinutes: 45 } });
    expect(result.people[0]!.weeks.find((w) => w.week === '2026-W13')).toMatchObject({ conversations: 1, hours: 0.75, assumed: 1, met: false });
  });

  test('sales and support calls are not conversations', () => {
    const result = cadence([
      talk('2026-03-24', { callType: 'sales' }),
      talk('2026-03-25', { callType: 'support' }),
      talk('2026-03-26', { callType: 'usability' }),
    ]);
    expect(weeksOf(result, 'pat@co.example')).toEqual({ '2026-W13': [1, 1] });
  });

  test('an attendee is credited as well as the interviewer, unless configured otherwise', () => {
    const i = talk('2026-03-24', { attendees: [person('kim@co.example')] });
    expect(weeksOf(cadence([i]), 'kim@co.example')).toEqual({ '2026-W13': [1, 1] });
    expect(weeksOf(cadence([i], { targets: { creditAttendees: false } }), 'kim@co.example')).toEqual({});
  });

  test('a person listed twice is credited once', () => {
    const i = talk('2026-03-24', { attendees: [person('pat@co.example'), person('dana@co.example'), person('dana@co.example')] });
    const result = cadence([i]);
    expect(weeksOf(result, 'pat@co.example')).toEqual({ '2026-W13': [1, 1] });
    expect(weeksOf(result, 'dana@co.example')).toEqual({ '2026-W13': [1, 1] });
  });

  test('a person not on the roster does not appear and takes nothing from those who are', () => {
    const result = cadence([talk('2026-03-24', { interviewers: [person('zed@elsewhere.example', false)], attendees: [person('kim@co.example')] })]);
    expect(result.people.map((p) => p.email)).toEqual(['pat@co.example', 'kim@co.example', 'dana@co.example']);
    expect(weeksOf(result, 'kim@co.example')).toEqual({ '2026-W13': [1, 1] });
  });

  test('a roster PM with no conversations shows zeros and is off track', () => {
    const kim = cadence([talk('2026-03-24')]).people.find((p) => p.email === 'kim@co.example')!;
    expect(kim).toMatchObject({ status: 'off_track', streak: 0, weeksMet: 0, weeksActive: 12, lastConversation: null, daysSinceLast: null });
    expect(kim.weeks.every((w) => w.conversations === 0 && w.hours === 0 && !w.met && w.active)).toBe(true);
  });

  test('an empty store gives an empty but complete result', () => {
    const result = cadence([], { roster: [] });
    expect(result.people).toEqual([]);
    expect(result.team.onTargetLastWeek).toEqual({ met: 0, of: 0, share: null });
    expect(result.team.talkedLast30Days).toEqual({ count: 0, of: 0, share: null });
  });
});

describe('cadence: status, streak and team shares', () => {
  // Two hours in a week meets the default target; one hour does not.
  const twoHours = (date: string) => talk(date, { durationMinutes: 120 });

  test.each([
    // As of 2026-04-01: the complete weeks are W10 (2 Mar) to W13 (23 Mar); W14 (30 Mar) is in progress.
    ['met the last 4 complete weeks', ['2026-03-03', '2026-03-10', '2026-03-17', '2026-03-24'], 'on_track', 4, false],
    ['met last week and 3 of the 4', ['2026-03-03', '2026-03-17', '2026-03-24'], 'on_track', 2, false],
    ['met last week only: 1 of the 4', ['2026-03-24'], 'off_track', 1, false],
    ['met last week and 2 of the 4', ['2026-03-10', '2026-03-24'], 'at_risk', 1, false],
    ['met 3 of the 4 but not last week', ['2026-03-03', '2026-03-10', '2026-03-17'], 'at_risk', 0, false],
    ['met only this week so far: the week in progress never counts', ['2026-03-31'], 'off_track', 1, true],
    ['met 1 of the last 5 weeks, this one', ['2026-03-10', '2026-03-31'], 'off_track', 1, true],
    ['met 4 weeks running up to now', ['2026-03-10', '2026-03-17', '2026-03-24', '2026-03-31'], 'on_track', 4, true],
  ])('%s', (_name, dates, status, streak, metThisWeek) => {
    const pat = cadence(dates.map(twoHours)).people[0]!;
    expect([pat.status, pat.streak, pat.metThisWeek]).toEqual([status, streak, metThisWeek]);
  });

  test('someone new is judged on the complete weeks they were on the team; with none yet, nothing is held against them', () => {
    const joined = (since: string) => [Person.parse({ name: 'New', email: 'pat@co.example', role: 'pm', since })];
    // Joined in W12: two complete weeks (W12, W13), both met → on track; one of two, the last → at risk (3 of 4 scaled: 2 of 2).
    expect(cadence([twoHours('2026-03-17'), twoHours('2026-03-24')], { roster: joined('2026-03-16') }).people[0]!.status).toBe('on_track');
    expect(cadence([twoHours('2026-03-24')], { roster: joined('2026-03-16') }).people[0]!.status).toBe('at_risk');
    expect(cadence([], { roster: joined('2026-03-30') }).people[0]!.status).toBe('on_track');
  });

  test('weeks met counts the 12 complete weeks; days since the last conversation', () => {
    const pat = cadence([twoHours('2025-12-30'), twoHours('2026-01-06'), twoHours('2026-03-24'), talk('2026-03-30')]).people[0]!;
    // 30 Dec is in 2026-W01, the 13th complete week back: outside the 12.
    expect(pat).toMatchObject({ weeksMet: 2, lastConversation: '2026-03-30', daysSinceLast: 2 });
  });

  test('a conversation long before the grid is no week of it, but is still the last one', () => {
    const kim = cadence([talk('2025-06-02', { interviewers: [person('kim@co.example')] })]).people.find((p) => p.email === 'kim@co.example')!;
    expect(kim.weeks.every((w) => w.conversations === 0)).toBe(true);
    expect(kim).toMatchObject({ weeksMet: 0, lastConversation: '2025-06-02', daysSinceLast: 303 });
  });

  test('weeks before a person joined are not held against them', () => {
    const roster = [Person.parse({ name: 'New', email: 'new@co.example', role: 'pm', since: '2026-03-18' })];
    const result = cadence([twoHours('2026-03-24')], { roster: roster });
    const p = result.people[0]!;
    expect(p.weeks.filter((w) => w.active).map((w) => w.week)).toEqual(['2026-W12', '2026-W13', '2026-W14']);
    expect([p.weeksMet, p.weeksActive]).toEqual([0, 2]);
    expect(result.team.trend.map((t) => t.of)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  test('a team that counts conversations meets the target with one short call', () => {
    const result = cadence([talk('2026-03-24', { durationMinutes: 20 })], { targets: { measure: 'conversations', conversationsPerWeek: 1 } });
    expect(result.people[0]!.weeks.find((w) => w.week === '2026-W13')!.met).toBe(true);
    expect(result.target).toBe(1);
  });

  test('team shares: PMs on target last week, and everyone who talked in 30 days', () => {
    const result = cadence([
      twoHours('2026-03-24'), // Pat meets W13
      talk('2026-03-03', { interviewers: [person('kim@co.example')] }), // Kim: 29 days before as-of
      talk('2026-03-02', { interviewers: [person('dana@co.example')] }), // Dana: 30 days before, outside
    ]);
    expect(result.team.onTargetLastWeek).toEqual({ met: 1, of: 2, share: 0.5 });
    expect(result.team.talkedLast30Days).toEqual({ count: 2, of: 3, share: 2 / 3 });
    expect(result.team.trend.at(-2)).toEqual({ week: '2026-W13', met: 1, of: 2, share: 0.5 });
    // The window's count follows the window: 90 days (the default) holds Dana too; 7 days only Pat.
    expect(result.team.talkedInWindow).toEqual({ count: 3, of: 3, share: 1, days: 90 });
    const week = computeMetrics({
      interviews: [twoHours('2026-03-24'), talk('2026-03-31')],
      roster: ROSTER,
      targets: TargetsSchema.parse({}),
      timezone: 'Europe/Berlin',
      asOf: AS_OF,
      windowDays: 7,
    });
    expect(week.cadence.team.talkedInWindow).toEqual({ count: 1, of: 3, share: 1 / 3, days: 7 });
  });
});

describe('cadence: a target per role', () => {
  // Weeks ending with the as-of week W14: W13 is the last complete one.
  const dana = [person('dana@co.example')];

  test("a designer is held to exposure hours (2 h every 6 weeks), not the PM's 2 h a week", () => {
    // Two hours in W09 (23 Feb – 1 Mar): the 6-week periods ending W09 … W14 hold them.
    const result = cadence([talk('2026-02-25T10:00:00Z', { interviewers: dana, durationMinutes: 120 })]);
    const d = result.people.find((p) => p.email === 'dana@co.example')!;
    expect(d.target).toEqual({ value: 2, everyWeeks: 6 });
    expect(d.weeks.filter((w) => w.met).map((w) => w.week)).toEqual(['2026-W09', '2026-W10', '2026-W11', '2026-W12', '2026-W13', '2026-W14']);
    expect(d.status).toBe('on_track');
    // The same two hours would leave a PM off track: their weeks are judged one by one.
    const pat = cadence([talk('2026-02-25T10:00:00Z', { durationMinutes: 120 })]).people.find((p) => p.email === 'pat@co.example')!;
    expect(pat.target).toEqual({ value: 2, everyWeeks: 1 });
    expect(pat.status).toBe('off_track');
  });

  test('the period reaches before the grid: hours in the 5 weeks before its first week count for it', () => {
    // W01 is before the grid (W03 … W14); a 6-week period ending W03 holds W01.
    const d = cadence([talk('2026-01-01T10:00:00Z', { interviewers: dana, durationMinutes: 120 })]).people.find((p) => p.email === 'dana@co.example')!;
    expect(d.weeks.filter((w) => w.met).map((w) => w.week)).toEqual(['2026-W03', '2026-W04', '2026-W05', '2026-W06']);
    expect(d.status).toBe('off_track');
  });

  test('roles are configurable; a role not listed takes "other"; with nothing, a designer is off track', () => {
    const roster = [...ROSTER, Person.parse({ name: 'Rae', email: 'rae@co.example', role: 'research', team: 'Core' })];
    const targets = { roles: { design: { hours: 1, conversations: 1, everyWeeks: 2 }, other: { hours: 4, conversations: 3, everyWeeks: 4 } } };
    const result = cadence([talk('2026-03-24T10:00:00Z', { interviewers: dana, durationMinutes: 60 })], { targets, roster });
    const d = result.people.find((p) => p.email === 'dana@co.example')!;
    expect(d.target).toEqual({ value: 1, everyWeeks: 2 });
    expect(d.weeks.filter((w) => w.met).map((w) => w.week)).toEqual(['2026-W13', '2026-W14']);
    expect(result.people.find((p) => p.email === 'rae@co.example')!.target).toEqual({ value: 4, everyWeeks: 4 });
    expect(cadence([]).people.find((p) => p.email === 'dana@co.example')!.status).toBe('off_track');
    // Counting conversations, a role's target is its conversations.
    expect(cadence([], { targets: { ...targets, measure: 'conversations' }, roster }).people.find((p) => p.email === 'rae@co.example')!.target).toEqual({
      value: 3,
      everyWeeks: 4,
    });
  });
});
