import { expect, test } from 'vitest';
import { escapeHtml, firstWebUrl, neutraliseFormula, safeWebUrl } from '../../src/present/escape.js';
import { niceCeiling } from '../../src/web/charts.js';

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
  ['https://a.example/with space', false],
])('safeWebUrl(%j) is a web address: %s', (url, ok) => {
  expect(safeWebUrl(url)).toBe(ok ? url : null);
});

test('firstWebUrl takes the first plain web address', () => {
  expect(firstWebUrl('javascript:alert(1)', null, ' https://notion.so/x ')).toBe('https://notion.so/x');
  expect(firstWebUrl(null, 'data:x')).toBeNull();
});

test('one HTML escaper for pages, e-mail and charts; scales are round', () => {
  expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
  expect(escapeHtml(null)).toBe('');
  expect([0.7, 3, 5.5, 7, 11, 126].map(niceCeiling)).toEqual([1, 5, 10, 10, 20, 200]);
});
