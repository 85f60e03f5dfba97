import { describe, expect, test } from 'vitest';
import { computeMetrics, type Tracking } from '../../src/metrics/index.js';
import { TargetsSchema, type Targets } from '../../src/config/schema.js';
import { Person } from '../../src/model/person.js';
import type { Interview } from '../../src/model/interview.js';
import { interview, person } from '../helpers/interviews.js';

const ROSTER = [
  { name: 'Pat', email: 'pat@co.example', role: 'pm', team: 'Core' },
  { name: 'Kim', email: 'kim@co.example', role: 'pm', team: 'Core' },
  { name: 'Dana', email: 'dana@co.example', role: 'design', team: 'Core' },
  { name: 'Eli', email: 'eli@co.example', role: 'engineering', team: 'Core' },
  { name: 'Lou', email: 'lou@co.example', role: 'pm', team: 'Growth' },
].map((p) => Person.parse(p));

// As of Wednesday 1 April 2026 with a 28-day window: 5 March – 1 April; the one before: 5 Feb – 4 March.
const AS_OF = '2026-04-01';
let n = 0;
/** A conversation on a local date (date-only values are their own local date). */
const on = (date: string, overrides: Partial<Interview> = {}) => interview({ id: `notes:${++n}`, startsAt: date, ...overrides });
const KIM = [person('kim@co.example')];

function metrics(interviews: Interview[], targets: Partial<Targets> = {}, extra: { tracking?: Tracking; team?: string; windowDays?: number } = {}) {
  return computeMetrics({
    interviews,
    roster: ROSTER,
    targets: TargetsSchema.parse({ windowDays: 28, ...targets }),
    timezone: 'Europe/Berlin',
    asOf: AS_OF,
    ...extra,
  });
}

describe('window', () => {
  test('N local days ending with the as-of date', () => {
    expect(metrics([]).window).toEqual({ days: 28, from: '2026-03-05', to: '2026-04-01' });
  });
});

describe('coverage', () => {
  const data = () => [
    on('2026-03-10', { segment: 'Enterprise', customerStatus: 'current', tier: 'Gold', account: 'Acme' }),
    on('2026-03-11', { segment: 'Enterprise', customerStatus: 'former', tier: 'Gold', account: 'acme ' }),
    on('2026-03-12', { segment: 'SMB', customerStatus: 'current', tier: null, account: 'Birch' }),
    on('2026-03-13', { segment: null, customerStatus: 'prospect', tier: null, account: null, interviewers: KIM }),
    on('2026-02-20', { segment: 'Mid-market', customerStatus: 'lost', account: 'Cedar' }), // before the window
    on('2026-03-14', { segment: 'Enterprise', callType: 'sales', account: 'Dune' }), // not a conversation
  ];
  const targets = { minPerSegment: 2, segmentMix: { Enterprise: 2, SMB: 1, 'Public sector': 1 } };

  test('by segment, with target shares and gaps; silent segments show as zero', () => {
    expect(metrics(data(), targets).coverage.bySegment).toEqual([
      { key: 'Enterprise', conversations: 2, accounts: 1, share: 0.5, target: 0.5, gap: 0 },
      { key: 'SMB', conversations: 1, accounts: 1, share: 0.25, target: 0.25, gap: 0 },
      { key: 'Mid-market', conversations: 0, accounts: 0, share: 0 },
      { key: 'Public sector', conversations: 0, accounts: 0, share: 0, target: 0.25, gap: -0.25 },
      { key: '(not set)', conversations: 1, accounts: 0, share: 0.25 },
    ]);
  });

  test('by status (always all five) and by tier', () => {
    const c = metrics(data(), targets).coverage;
    expect(c.conversations).toBe(4);
    expect(c.byStatus).toEqual([
      { key: 'current', conversations: 2, accounts: 2, share: 0.5 },
      { key: 'former', conversations: 1, accounts: 1, share: 0.25 },
      { key: 'prospect', conversations: 1, accounts: 0, share: 0.25 },
      { key: 'lost', conversations: 0, accounts: 0, share: 0 },
      { key: 'unknown', conversations: 0, accounts: 0, share: 0 },
    ]);
    expect(c.byTier).toEqual([
      { key: 'Gold', conversations: 2, accounts: 1, share: 0.5 },
      { key: '(not set)', conversations: 2, accounts: 1, share: 0.5 },
    ]);
  });

  test('flags: below the minimum, never heard in the window, with when last heard', () => {
    expect(metrics(data(), targets).coverage.flags.map((f) => [f.code, f.key, f.conversations, f.lastHeard])).toEqual([
      ['segment_below_minimum', 'SMB', 1, '2026-03-12'],
      ['segment_unheard', 'Mid-market', 0, '2026-02-20'],
      ['segment_unheard', 'Public sector', 0, null],
      ['status_below_minimum', 'former', 1, '2026-03-11'],
      ['status_below_minimum', 'prospect', 1, '2026-03-13'],
      ['status_unheard', 'lost', 0, '2026-02-20'],
    ]);
    // Data only: the sentence is the presenter's (test/present/sentences.test.ts).
    expect(metrics(data(), targets).coverage.flags[5]).toEqual({
      code: 'status_unheard',
      key: 'lost',
      conversations: 0,
      minimum: 2,
      lastHeard: '2026-02-20',
      windowDays: 28,
    });
  });

  test('the minimum scales with the window: per targets.windowDays, at least 1', () => {
    const minimum = (windowDays: number) => metrics(data(), { ...targets, minPerSegment: 10 }, { windowDays }).coverage.flags.map((f) => f.minimum);
    expect(new Set(minimum(28))).toEqual(new Set([10]));
    expect(new Set(minimum(7))).toEqual(new Set([3]));
    expect(new Set(minimum(1))).toEqual(new Set([1]));
    expect(new Set(minimum(365))).toEqual(new Set([131]));
  });

  test('a PM × segment matrix, with every roster PM', () => {
    expect(metrics(data(), targets).coverage.matrix).toEqual({
      segments: ['Enterprise', 'SMB', 'Mid-market', 'Public sector', '(not set)'],
      rows: [
        { email: 'pat@co.example', name: 'Pat', team: 'Core', counts: [2, 1, 0, 0, 0], total: 3 },
        { email: 'kim@co.example', name: 'Kim', team: 'Core', counts: [0, 0, 0, 0, 1], total: 1 },
        { email: 'lou@co.example', name: 'Lou', team: 'Growth', counts: [0, 0, 0, 0, 0], total: 0 },
      ],
    });
  });

  test('no gap is claimed about a field no source maps', () => {
    const c = metrics(data(), targets, { tracking: { notes: ['segment'] } }).coverage;
    expect(c.tracked).toEqual({ segment: true, customerStatus: false });
    expect(c.flags.map((f) => f.code)).toEqual(['segment_below_minimum', 'segment_unheard', 'segment_unheard']);
    expect(metrics(data(), targets, { tracking: { notes: [] } }).coverage.flags).toEqual([]);
  });

  test('an empty window: zeros, null shares, every status flagged', () => {
    const c = metrics([]).coverage;
    expect(c.conversations).toBe(0);
    expect(c.byStatus.every((r) => r.share === null)).toBe(true);
    expect(c.flags.map((f) => f.code)).toEqual(['status_unheard', 'status_unheard', 'status_unheard', 'status_unheard']);
  });
});

describe('studies', () => {
  test('conversations, accounts and segments per study, with evidence levels', () => {
    const data = [
      ...['2026-01-05', '2026-02-01', '2026-03-01', '2026-03-20', '2026-03-21'].map((d, i) =>
        on(d, { study: 'Onboarding', account: i % 2 ? 'Acme' : 'Birch', segment: i % 2 ? 'SMB' : 'Enterprise' }),
      ),
      ...['2026-03-02', '2026-03-03', '2026-03-04'].map((d) => on(d, { study: 'Pricing ', account: 'Acme' })),
      on('2026-03-05', { study: 'Mobile', account: null, segment: null }),
      on('2026-03-06', { study: 'Pricing', callType: 'sales' }),
      on('2026-03-07', { study: '  ' }),
    ];
    expect(metrics(data, { evidence: { emerging: 3, solid: 5 } }).studies).toEqual([
      {
        study: 'Onboarding',
        conversations: 5,
        accounts: 2,
        segments: ['Enterprise', 'SMB'],
        level: 'solid',
        toNextLevel: null,
        first: '2026-01-05',
        last: '2026-03-21',
      },
      { study: 'Pricing', conversations: 3, accounts: 1, segments: ['Enterprise'], level: 'emerging', toNextLevel: 2, first: '2026-03-02', last: '2026-03-04' },
      { study: 'Mobile', conversations: 1, accounts: 0, segments: [], level: 'anecdotal', toNextLevel: 2, first: '2026-03-05', last: '2026-03-05' },
    ]);
  });
});

describe('practice quality', () => {
  const TRIO = [person('dana@co.example'), person('eli@co.example')];
  const data = () => [
    on('2026-03-10', { attendees: TRIO, debriefed: true, tldr: 'Import blocks rollout.', location: 'onsite' }),
    on('2026-03-11', { debriefed: false, tldr: null, location: 'video' }),
    on('2026-03-12', { debriefed: null, tldr: '  ', location: null }),
    on('2026-03-13', { callType: 'sales', debriefed: true }),
    on('2026-03-14', { id: 'sheet:1', source: { name: 'sheet', kind: 'csv', recordId: '1', url: null }, interviewers: KIM, debriefed: null }),
    on('2026-01-10', { debriefed: true }), // outside the window
  ];
  const tracking: Tracking = { notes: ['attendees', 'debriefed', 'tldr', 'location', 'callType'], sheet: ['callType'] };

  test('team rates count only conversations whose source tracks the field, and say what they count', () => {
    const q = metrics(data(), {}, { tracking }).quality.team;
    expect(q.conversations).toBe(4);
    expect(q.trio).toEqual({ rate: 1 / 3, numerator: 1, denominator: 3, tracked: true });
    expect(q.debrief).toEqual({ rate: 0.5, numerator: 1, denominator: 2, tracked: true });
    expect(q.tldr).toEqual({ rate: 1 / 3, numerator: 1, denominator: 3, tracked: true });
    expect(q.onsite).toEqual({ rate: 0.5, numerator: 1, denominator: 2, tracked: true });
    expect(q.learningVsSales).toEqual({ rate: 0.8, numerator: 4, denominator: 5, tracked: true, learning: 4, sales: 1 });
  });

  test('per PM; a field no source of theirs maps is "not tracked", never 0 %', () => {
    const people = metrics(data(), {}, { tracking }).quality.people;
    const kim = people.find((p) => p.email === 'kim@co.example')!;
    expect(kim.conversations).toBe(1);
    expect(kim.debrief).toEqual({ rate: null, numerator: 0, denominator: 0, tracked: false });
    expect(kim.learningVsSales).toMatchObject({ rate: 1, learning: 1, sales: 0, tracked: true });
    const lou = people.find((p) => p.email === 'lou@co.example')!;
    expect(lou).toMatchObject({ conversations: 0, debrief: { rate: null, tracked: true } });
  });

  test('a PM whose counted conversations are under half of their customer calls is flagged; the share is configurable', () => {
    const calls = (pm: string, types: Array<Interview['callType']>) =>
      types.map((callType, i) => on(`2026-03-${String(10 + i).padStart(2, '0')}`, { interviewers: [person(pm)], callType }));
    const interviews = [
      // Kim: 3 learning conversations of 7 customer calls (43 %): mostly sales and support.
      ...calls('kim@co.example', ['learning', 'usability', 'learning', 'sales', 'sales', 'support', 'sales']),
      // Pat: 2 of 4 (50 %): not under half.
      ...calls('pat@co.example', ['learning', 'learning', 'sales', 'support']),
    ];
    const q = metrics(interviews).quality;
    expect(q.people.find((p) => p.email === 'kim@co.example')).toMatchObject({ conversations: 3, calls: 7 });
    expect(q.flags).toEqual([{ code: 'mostly_other_calls', email: 'kim@co.example', name: 'Kim', conversations: 3, calls: 7, minimum: 0.5 }]);
    expect(q.team).toMatchObject({ conversations: 5, calls: 11 });
    // A stricter bar flags Pat too; one of 0 flags nobody (the empty case: no false positive).
    expect(metrics(interviews, { practice: { trio: 0.5, debrief: 0.8, tldr: 0.8, learningShare: 0.6 } }).quality.flags.map((f) => f.email)).toEqual([
      'pat@co.example',
      'kim@co.example',
    ]);
    expect(metrics(interviews, { practice: { trio: 0.5, debrief: 0.8, tldr: 0.8, learningShare: 0 } }).quality.flags).toEqual([]);
    // Where no source records the call type, every call is the default type: nothing to judge.
    expect(metrics(interviews, {}, { tracking: { notes: [] } }).quality.flags).toEqual([]);
  });

  test('with no source mapping debriefs, the team rate is not tracked', () => {
    expect(metrics(data(), {}, { tracking: { notes: ['callType'], sheet: [] } }).quality.team.debrief).toEqual({
      rate: null,
      numerator: 0,
      denominator: 0,
      tracked: false,
    });
  });
});

describe('follow-ups', () => {
  test('open promises oldest first; overdue is due before the as-of date and not done', () => {
    const data = [
      on('2026-03-10', { title: 'f1', followUps: { due: '2026-03-20', done: false } }),
      on('2026-03-11', { title: 'f2', followUps: { due: '2026-04-05', done: null } }),
      on('2026-02-10', { title: 'f3', followUps: { due: '2026-03-01', done: true } }),
      on('2026-03-25', { title: 'f4', followUps: { due: '2026-04-01', done: false } }),
      on('2026-03-12', { title: 'f5', followUps: { due: '2026-03-25', done: false }, interviewers: [] }),
      on('2026-04-10', { title: 'future', followUps: { due: '2026-04-12', done: false } }),
      on('2026-03-13', { title: 'sales promise', callType: 'sales', followUps: { due: '2026-03-30', done: false }, interviewers: KIM }),
    ];
    const f = metrics(data).followUps;
    expect(f.items.map((i) => [i.title, i.due, i.overdue, i.daysOverdue, i.owners.map((o) => o.key)])).toEqual([
      ['f1', '2026-03-20', true, 12, ['pat@co.example']],
      ['f5', '2026-03-25', true, 7, []],
      ['sales promise', '2026-03-30', true, 2, ['kim@co.example']],
      ['f4', '2026-04-01', false, 0, ['pat@co.example']],
      ['f2', '2026-04-05', false, 0, ['pat@co.example']],
    ]);
    expect([f.open, f.overdue]).toEqual([5, 3]);
    expect(f.people).toEqual([
      { email: 'pat@co.example', name: 'Pat', team: 'Core', open: 3, overdue: 1 },
      { email: 'kim@co.example', name: 'Kim', team: 'Core', open: 1, overdue: 1 },
      { email: 'lou@co.example', name: 'Lou', team: 'Growth', open: 0, overdue: 0 },
    ]);
  });
});

describe('accounts', () => {
  test('over-contacted accounts, how many PMs touched them, and the top-10 share', () => {
    const data = [
      on('2026-03-10', { account: 'Acme' }),
      on('2026-03-11', { account: 'acme', interviewers: KIM }),
      on('2026-03-12', { account: ' Acme ', attendees: [person('dana@co.example')] }),
      on('2026-03-13', { account: 'Cedar' }),
      on('2026-03-14', { account: 'Cedar' }),
      on('2026-03-15', { account: 'Birch' }),
      on('2026-03-16', { account: null }),
      on('2026-01-16', { account: 'Acme' }), // outside the window
    ];
    const a = metrics(data, { maxTouchesPerAccount: 2 }).accounts;
    expect(a).toEqual({
      accounts: 3,
      conversations: 6,
      overContacted: [{ account: 'Acme', conversations: 3, pms: 2, last: '2026-03-12' }],
      top: [
        { account: 'Acme', conversations: 3, pms: 2, last: '2026-03-12' },
        { account: 'Cedar', conversations: 2, pms: 1, last: '2026-03-14' },
        { account: 'Birch', conversations: 1, pms: 1, last: '2026-03-15' },
      ],
      topShare: 1,
    });
  });
});

describe('themes', () => {
  test('tags now against the window before, each counted once per conversation; by segment', () => {
    const data = [
      on('2026-03-10', { tags: ['ai', 'AI', 'SSO'], segment: 'Enterprise' }),
      on('2026-03-20', { tags: ['AI'], segment: 'SMB' }),
      on('2026-02-10', { tags: ['SSO'] }),
      on('2026-03-04', { tags: ['SSO', 'Exports'] }),
      on('2026-01-04', { tags: ['Old'] }), // before both windows
    ];
    const t = metrics(data).themes;
    expect(t.window).toEqual({ from: '2026-03-05', to: '2026-04-01' });
    expect(t.previous).toEqual({ from: '2026-02-05', to: '2026-03-04' });
    expect(t.tags).toEqual([
      { tag: 'AI', current: 2, previous: 0, change: 2 },
      { tag: 'SSO', current: 1, previous: 2, change: -1 },
      { tag: 'Exports', current: 0, previous: 1, change: -1 },
    ]);
    expect(t.bySegment).toEqual([
      {
        segment: 'Enterprise',
        tags: [
          { tag: 'AI', count: 1 },
          { tag: 'SSO', count: 1 },
        ],
      },
      { segment: 'SMB', tags: [{ tag: 'AI', count: 1 }] },
    ]);
  });

  test("a tag repeated in one row is counted once and spelled as the row's last; blank tags and spaces are dropped", () => {
    const data = [
      on('2026-03-10', { tags: ['Pricing', ' pricing ', '', '  '] }),
      on('2026-03-11', { tags: [' pricing'] }),
      on('2026-02-10', { tags: ['PRICING', 'Pricing'] }),
    ];
    const t = metrics(data).themes;
    // Spellings taken: 'pricing' (twice) and 'Pricing' (the earlier row's last); 'PRICING' never was.
    expect(t.tags).toEqual([{ tag: 'Pricing', current: 2, previous: 1, change: 1 }]);
    const alone = metrics([on('2026-03-10', { tags: ['PRICING', 'pricing'] })]).themes;
    expect(alone.tags.map((r) => r.tag)).toEqual(['pricing']);
  });
});

describe('team filter and findings', () => {
  test('a team sees its roster and the conversations that credit it', () => {
    const data = [on('2026-03-10', { interviewers: [person('lou@co.example')], segment: 'SMB' }), on('2026-03-11', { segment: 'Enterprise' })];
    const m = metrics(data, {}, { team: 'Growth' });
    expect(m.team).toBe('Growth');
    expect(m.cadence.people.map((p) => p.email)).toEqual(['lou@co.example']);
    expect(m.coverage.bySegment.filter((r) => r.conversations > 0).map((r) => r.key)).toEqual(['SMB']);
  });

  test('sync findings are listed with a sentence and counted by code', () => {
    const m = computeMetrics({
      interviews: [],
      roster: ROSTER,
      targets: TargetsSchema.parse({}),
      timezone: 'UTC',
      asOf: AS_OF,
      findings: [
        { code: 'missing_date', severity: 'excluded', source: 'notes', recordId: 'r1', field: 'Date', value: null, url: null, row: 2 },
        { code: 'unmapped_value', severity: 'warning', source: 'notes', recordId: 'r1', field: 'Status', value: 'Partner', url: null, row: 2 },
        { code: 'unmapped_value', severity: 'warning', source: 'notes', recordId: 'r2', field: 'Status', value: 'Friend', url: null, row: 3 },
      ],
    });
    expect(m.findings).toMatchObject({ total: 3, excluded: 1, byCode: { missing_date: 1, unmapped_value: 2 } });
    expect(m.findings.items[0]).toEqual({
      code: 'missing_date',
      severity: 'excluded',
      source: 'notes',
      recordId: 'r1',
      field: 'Date',
      value: null,
      url: null,
      row: 2,
    });
  });
});
