import { expect, test } from 'vitest';
import { isHttpUrl, neutraliseFormula } from '../../src/web/safe.js';
import { escapeXml, niceCeiling } from '../../src/web/charts.js';

test.each([
  ['=1+1', "'=1+1"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\t=cmd', "'\t=cmd"],
  ['-2+3', "'-2+3"],
  ['+cmd|calc', "'+cmd|calc"],
  ['-17 pt', '-17 pt'],
  ['+3', '+3'],
  ['-0.5 h', '-0.5 h'],
  ['Acme', 'Acme'],
  ['', ''],
])('neutraliseFormula(%j) = %j', (input, output) => {
  expect(neutraliseFormula(input)).toBe(output);
});

test.each([
  ['https://notion.so/x', true],
  ['http://a.example/b?c=d', true],
  ['javascript:alert(1)', false],
  ['JaVaScRiPt:alert(1)', false],
  ['data:text/html,x', false],
  ['//evil.example', false],
])('isHttpUrl(%j) is %s', (url, ok) => {
  expect(isHttpUrl(url)).toBe(ok);
});

test('chart text is escaped and scales are round', () => {
  expect(escapeXml(`<script>"x" & 'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
  expect([0.7, 3, 5.5, 7, 11, 126].map(niceCeiling)).toEqual([1, 5, 10, 10, 20, 200]);
});
