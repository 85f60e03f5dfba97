import { expect, test } from 'vitest';
import { fieldOfSources, rowLabel, rowsToFix, setupChecklist } from '../../src/present/checklist.js';
import type { Finding } from '../../src/model/finding.js';

const finding = (f: Partial<Finding>): Finding => ({
  code: 'unmapped_value',
  severity: 'warning',
  source: 'notes',
  recordId: 'r1',
  field: 'Type',
  value: 'Roadmap review',
  url: null,
  row: null,
  ...f,
});

test('one line per unmapped value and per unknown person, with their row counts; fixes grouped by problem', () => {
  const findings: Finding[] = [
    ...Array.from({ length: 255 }, (_, i) => finding({ recordId: `t${i}`, severity: 'excluded', url: `https://www.notion.so/t${i}` })),
    ...Array.from({ length: 40 }, (_, i) => finding({ code: 'unknown_person', recordId: `p${i}`, field: 'Interviewer', value: 'Riley Summers' })),
    finding({ code: 'unknown_person', recordId: 'q1', field: 'Interviewer', value: 'Alex Doe' }),
    ...Array.from({ length: 12 }, (_, i) =>
      finding({ code: 'missing_date', severity: 'excluded', recordId: `d${i}`, field: 'Date', value: null, url: `https://www.notion.so/d${i}` }),
    ),
  ];
  const items = setupChecklist(findings);
  expect(items.map((i) => [i.kind, i.code, i.value, i.rows, i.counted])).toEqual([
    ['decide', 'unmapped_value', 'Roadmap review', 255, false],
    ['decide', 'unknown_person', 'Riley Summers', 40, true],
    ['decide', 'unknown_person', 'Alex Doe', 1, true],
    ['fix', 'missing_date', null, 12, false],
  ]);
  expect(items[0]!.sentence).toBe(
    `"Roadmap review" in "Type": 255 rows with a value touchpoint does not know (not counted until then). Say what it means under that column's values:`,
  );
  expect(items[0]!.yaml).toMatch(/^values: \{ Roadmap review: … \}/);
  expect(items[1]!.yaml).toBe('- { name: Riley Summers, email: someone@example.com, role: pm, team: … }   # under roster:');
  expect(items[3]!.examples).toHaveLength(5);
  expect(items[3]!.examples[0]).toEqual({ label: 'd0', url: 'https://www.notion.so/d0' });
});

test('a value with YAML syntax in it is quoted in the suggestion', () => {
  expect(setupChecklist([finding({ value: 'Call: "sales"' })])[0]!.yaml).toMatch(/^values: \{ "Call: \\"sales\\"": … \}/);
});

test('with the mapping known, the hint names the field and only its values; rows to fix leave decisions out', () => {
  const fieldOf = fieldOfSources([{ name: 'notes', mapping: { title: { column: 'Name' }, callType: { column: 'Type' } } }]);
  const findings = [finding({}), finding({ recordId: 'r2' }), finding({ code: 'missing_date', recordId: 'r2', field: 'Date', value: null })];
  expect(setupChecklist(findings, fieldOf)[0]!.yaml).toBe(
    'values: { Roadmap review: … }   # under mapping.callType: learning, usability, sales, support or other',
  );
  expect(rowsToFix(findings)).toBe(1);
  expect(rowsToFix(findings.slice(0, 2))).toBe(0);
});

test.each([
  [{ label: 'Acme onboarding · 2026-03-04', row: null, recordId: 'f0cbb970' }, 'Acme onboarding · 2026-03-04'],
  [{ label: 'Acme onboarding · 2026-03-04', row: 9, recordId: 'line 9' }, 'Acme onboarding · 2026-03-04 (line 9)'],
  [{ row: 9, recordId: 'line 9' }, 'line 9'],
  [{ label: null, row: null, recordId: 'f0cbb970' }, 'f0cbb970'],
  [{ row: null, recordId: '' }, 'whole source'],
])('a row is named by its title and date where known: %o → %s', (finding, label) => {
  expect(rowLabel(finding)).toBe(label);
});
