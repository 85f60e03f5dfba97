import { expect, test } from 'vitest';
import { findingSentence, flagSentence, practiceSentence, practiceSummary, practiceTone, qualityFlagSentence } from '../../src/present/sentences.js';
import { FINDING_CODES, type Finding } from '../../src/model/finding.js';
import type { CoverageFlag } from '../../src/metrics/coverage.js';

const flag = (f: Partial<CoverageFlag>): CoverageFlag => ({
  code: 'segment_unheard',
  key: 'SMB',
  conversations: 0,
  minimum: 10,
  lastHeard: null,
  windowDays: 90,
  ...f,
});

test.each<[Partial<CoverageFlag>, string]>([
  [{}, 'No SMB conversations in the last 90 days (never heard).'],
  [{ lastHeard: '2026-07-01' }, 'No SMB conversations in the last 90 days (last: 2026-07-01).'],
  [{ code: 'segment_below_minimum', conversations: 1 }, 'Only 1 SMB conversation in the last 90 days; 10 give a picture.'],
  [{ code: 'status_unheard', key: 'lost', lastHeard: '2026-02-20', windowDays: 28 }, 'No lost deals heard in the last 28 days (last: 2026-02-20).'],
  [{ code: 'status_below_minimum', key: 'former', conversations: 3 }, 'Only 3 conversations with former customers in the last 90 days; 10 give a picture.'],
])('flag %j', (f, sentence) => {
  expect(flagSentence(flag(f))).toBe(sentence);
});

test('every finding code has a sentence that names the field and value', () => {
  const base: Finding = { code: 'missing_date', severity: 'excluded', source: 'notes', recordId: 'r1', field: 'Date', value: 'v<1>', url: null, row: 2 };
  expect(findingSentence(base)).toBe('no date in "Date"; kept but not counted in any metric');
  for (const code of FINDING_CODES) expect(findingSentence({ ...base, code })).toMatch(/\S/);
});

test('practice rates are judged against their targets; nothing is judged without a denominator or a mapped field', () => {
  const rate = (numerator: number, denominator: number, tracked = true) => ({
    rate: denominator ? numerator / denominator : null,
    numerator,
    denominator,
    tracked,
  });
  expect(practiceTone(rate(4, 5), 0.8)).toBe('met');
  expect(practiceTone(rate(3, 5), 0.8)).toBe('below');
  expect(practiceTone(rate(0, 0), 0.8)).toBeNull();
  expect(practiceTone(rate(0, 0, false), 0.8)).toBeNull();
  expect(practiceSentence('Debriefed', rate(9, 20), 0.8)).toBe('Debriefed: 45 % of conversations (9/20), against a target of 80 %.');
  const team = {
    conversations: 6,
    calls: 8,
    trio: rate(2, 6),
    debrief: rate(0, 0, false),
    tldr: rate(6, 6),
    onsite: rate(0, 0),
    learningVsSales: { ...rate(6, 8), learning: 6, sales: 2 },
  };
  expect(practiceSummary(team, { trio: 0.5, debrief: 0.8, tldr: 0.8 }, 90)).toBe(
    'Practice, last 90 days: trio present 33 % (target 50 %) · tl;dr written 100 % (target 80 %) · learning conversations 75 % of customer calls.',
  );
  expect(practiceSummary({ ...team, calls: 0, trio: rate(0, 0), tldr: rate(0, 0) }, { trio: 0.5, debrief: 0.8, tldr: 0.8 }, 90)).toBeNull();
  expect(qualityFlagSentence({ code: 'mostly_other_calls', email: 'b@x', name: 'Ben Carter', conversations: 6, calls: 14, minimum: 0.5 })).toBe(
    'Ben Carter: only 6 of 14 customer calls (43 %) were learning conversations; the rest were sales, support or other calls (target: at least 50 %).',
  );
});
