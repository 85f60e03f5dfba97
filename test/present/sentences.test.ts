import { expect, test } from 'vitest';
import { findingSentence, flagSentence } from '../../src/present/sentences.js';
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
