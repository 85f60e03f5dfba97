import { expect, test } from 'vitest';
import request from 'supertest';
import { createApp } from '../../src/web/app.js';
import type { Finding } from '../../src/model/finding.js';
import { interview } from '../helpers/interviews.js';
import { workspaceWith } from '../helpers/workspace.js';

const findings: Finding[] = Array.from({ length: 250 }, (_, i) => ({
  code: 'missing_date',
  severity: 'excluded',
  source: 'notes',
  recordId: `r${i}`,
  field: 'Date',
  value: null,
  url: null,
  row: i + 2,
}));
const app = createApp({ workspace: workspaceWith({ config: { asOf: '2026-04-02' }, interviews: [interview()], findings }), token: null });

test.each([
  ['', 'Rows 1–100 of 250 (page 1 of 3', 'line 2<', 'line 102<'],
  ['?page=3', 'Rows 201–250 of 250 (page 3 of 3', 'line 202<', 'line 201<'],
  ['?page=99', 'Rows 201–250 of 250 (page 3 of 3', 'line 251<', 'line 200<'],
  ['?page=x', 'Rows 1–100 of 250 (page 1 of 3', 'line 101<', 'line 103<'],
])('the rows to fix come 100 a page: %s', async (query, pager, shown, hidden) => {
  const html = (await request(app).get(`/data-quality${query}`).expect(200)).text;
  expect(html).toContain(pager);
  expect(html).toContain(shown);
  expect(html).not.toContain(hidden);
});

test('the pager links keep the filters and the CSV keeps every row', async () => {
  const html = (await request(app).get('/data-quality?window=30&page=2').expect(200)).text;
  expect(html).toContain('href="/data-quality?window=30&amp;page=3" rel="next"');
  expect(html).toContain('href="/data-quality?window=30" rel="prev"');
  const csv = (await request(app).get('/export/findings.csv').expect(200)).text;
  expect(csv.trim().split('\n')).toHaveLength(251);
});
