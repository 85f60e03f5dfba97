import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CsvSource } from '../../../src/sources/csv/read.js';
import { sniffDelimiter } from '../../../src/sources/csv/delimiter.js';
import { Store } from '../../../src/store/store.js';
import { syncSource } from '../../../src/sync/run.js';
import type { SourceRecord } from '../../../src/sources/source.js';
import type { Interview } from '../../../src/model/interview.js';
import { csvConfig, fixturePath, FULL_MAPPING, onlyCsvSource } from '../../helpers/config.js';

async function readAll(path: string, source: Record<string, unknown> = {}): Promise<SourceRecord[]> {
  const config = csvConfig(path, { source });
  const csv = new CsvSource(onlyCsvSource(config), config.roster, config.timezone);
  const out: SourceRecord[] = [];
  for await (const batch of csv.read({ since: null, memo: null })) out.push(...batch);
  return out;
}

function tempCsv(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-csv-')), 'rows.csv');
  writeFileSync(path, text);
  return path;
}

describe('CSV source: mapping every field', () => {
  test('a Notion export row becomes the full interview', async () => {
    const [record, ...rest] = await readAll(fixturePath('csv/notion-export.csv'), { mapping: FULL_MAPPING });
    expect(rest).toEqual([]);
    const expected: Interview = {
      id: 'notes:INT-1',
      source: { name: 'notes', kind: 'csv', recordId: 'INT-1', url: 'https://www.notion.so/ws/Acme-abc' },
      title: 'Acme — onboarding deep-dive',
      startsAt: '2026-03-04T13:30:00.000Z',
      endsAt: '2026-03-04T14:15:00.000Z',
      durationMinutes: 45,
      interviewers: [{ key: 'pat@co.example', name: 'Pat Lee', email: 'pat@co.example', onRoster: true }],
      attendees: [
        { key: 'dana@co.example', name: 'Dana Cho', email: 'dana@co.example', onRoster: true },
        { key: 'eli@co.example', name: 'Eli Ward', email: 'eli@co.example', onRoster: true },
      ],
      account: 'Acme Corp',
      participant: { name: 'Jo Smith', email: 'jo@acme.example', role: 'Ops lead' },
      segment: 'Enterprise',
      customerStatus: 'former',
      tier: 'Gold',
      callType: 'learning',
      location: 'onsite',
      study: 'Onboarding friction',
      tldr: 'Import step is the blocker.',
      notesUrl: 'https://www.notion.so/ws/Acme-abc',
      debriefed: true,
      followUps: { due: '2026-03-11', done: false },
      tags: ['onboarding', 'exports'],
      nugget: '“We gave up at import.”',
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-05T09:02:00.000Z',
    };
    expect(record).toEqual({ recordId: 'INT-1', interview: expected, findings: [], editedAt: '2026-03-05T09:02:00.000Z', rawHash: expect.any(String) });
  });

  test('what was promised comes from its column where one is mapped, and is left out where none is', async () => {
    const path = tempCsv('Name,Date,Due,Promised\nAcme,2026-03-04,2026-03-11,  Send the SSO date  \nBirch,2026-03-05,2026-03-12,\n');
    const mapping = { title: 'Name', startsAt: 'Date', followUpDue: 'Due' };
    const mapped = await readAll(path, { mapping: { ...mapping, followUpText: 'Promised' } });
    expect(mapped.map((r) => r.interview?.followUps)).toEqual([
      { due: '2026-03-11', done: null, text: 'Send the SSO date' },
      { due: '2026-03-12', done: null, text: null },
    ]);
    // Without the mapping the stored rows are what they were (no `text` key, so no changed hash).
    expect((await readAll(path, { mapping })).map((r) => r.interview?.followUps)).toEqual([
      { due: '2026-03-11', done: null },
      { due: '2026-03-12', done: null },
    ]);
  });
});

describe('CSV source: broken rows become findings, good rows still sync', () => {
  test('each bad row is reported with its line and reason', async () => {
    const records = await readAll(fixturePath('csv/broken.csv'));
    const summary = records.flatMap((r) => r.findings.map((f) => [f.row, f.code, f.field, f.value, f.severity]));
    expect(summary).toEqual([
      [7, 'malformed_row', null, expect.stringContaining('Invalid Opening Quote'), 'excluded'],
      [3, 'missing_date', 'Date', null, 'excluded'],
      [4, 'unknown_person', 'Interviewer', 'Zed Unknown', 'warning'],
      [5, 'unmapped_value', 'Customer status', 'Partner', 'warning'],
      [6, 'invalid_date', 'Date', 'next Tuesday', 'excluded'],
    ]);
    const stored = records.filter((r) => r.interview).map((r) => [r.recordId, r.interview!.startsAt, r.interview!.customerStatus]);
    expect(stored).toEqual([
      ['R1', '2026-03-02', 'current'],
      ['R2', null, 'current'],
      ['R3', '2026-03-03', 'current'],
      ['R4', '2026-03-04', 'unknown'],
      ['R5', null, 'current'],
    ]);
  });

  test('an empty file is one finding, not a crash', async () => {
    const records = await readAll(fixturePath('csv/empty.csv'));
    expect(records).toEqual([
      { recordId: '', interview: null, findings: [expect.objectContaining({ code: 'empty_source', source: 'notes' })], editedAt: null },
    ]);
  });

  test('a header without rows is one finding', async () => {
    const records = await readAll(tempCsv('Name,ID,Date,Interviewer,Customer status\n'));
    expect(records.map((r) => r.findings[0]?.code)).toEqual(['empty_source']);
  });

  test('a semicolon file is read by sniffing the delimiter', async () => {
    const records = await readAll(fixturePath('csv/semicolon.csv'));
    expect(records.map((r) => [r.recordId, r.interview?.title])).toEqual([['R1', 'Good row']]);
  });

  test('a wrong configured delimiter stops the run with a hint, before the store is touched', async () => {
    await expect(readAll(fixturePath('csv/semicolon.csv'), { delimiter: ',' })).rejects.toMatchObject({
      code: 'source_layout',
      message: expect.stringContaining('is the delimiter right?'),
      details: expect.arrayContaining(['mapping.title: column "Name" is not in the file']),
    });
  });

  test('a missing id is skipped with a finding; a repeated id keeps the first row', async () => {
    const records = await readAll(
      tempCsv('Name,ID,Date,Interviewer,Customer status\nA,,2026-03-02,Pat Lee,\nB,X1,2026-03-02,Pat Lee,\nC,X1,2026-03-03,Pat Lee,\n'),
    );
    expect(records.map((r) => [r.recordId, r.interview?.title ?? null, r.findings.map((f) => f.code)])).toEqual([
      ['line 2', null, ['missing_id']],
      ['X1', 'B', []],
      ['line 4', null, ['duplicate_id']],
    ]);
  });

  test('without an id column, title and date are the key', async () => {
    const path = tempCsv('Name,Date,Interviewer,Customer status\nA,2026-03-02,Pat Lee,\n');
    const first = await readAll(path, { mapping: { title: 'Name', startsAt: 'Date', interviewers: 'Interviewer' } });
    const again = await readAll(path, { mapping: { title: 'Name', startsAt: 'Date', interviewers: 'Interviewer' } });
    expect(first[0]!.recordId).toMatch(/^[0-9a-f]{16}$/);
    expect(again[0]!.recordId).toBe(first[0]!.recordId);
  });

  test('people match the roster by e-mail, then by name, ignoring case', async () => {
    const path = tempCsv('Name,ID,Date,Interviewer\nA,1,2026-03-02,"KIM@co.example, pat lee, Sam New <sam@new.example>"\n');
    const [record] = await readAll(path, { mapping: { id: 'ID', title: 'Name', startsAt: 'Date', interviewers: 'Interviewer' } });
    expect(record!.interview!.interviewers.map((p) => [p.key, p.onRoster])).toEqual([
      ['kim@co.example', true],
      ['pat@co.example', true],
      ['sam@new.example', false],
    ]);
  });

  test('a missing file names the path and the key to fix', async () => {
    await expect(readAll('/nonexistent/rows.csv')).rejects.toMatchObject({ code: 'source_unreadable', message: expect.stringContaining('sources[].path') });
  });
});

test.each([
  ['a,b,c\n1,2,3', ','],
  ['a;b;c\n', ';'],
  ['a\tb\tc\n', '\t'],
  ['"a;x",b,c\n', ','],
])('sniffDelimiter(%j) is %j', (text, delimiter) => {
  expect(sniffDelimiter(text)).toBe(delimiter);
});

describe('CSV source: a parse error never loses good rows', () => {
  const rows = (n: number, broken?: number) =>
    [
      'Name,ID,Date,Interviewer,Customer status',
      ...Array.from({ length: n }, (_, i) =>
        i + 1 === broken ? `Row ${i + 1},R${i + 1},"2026-03-02,Pat Lee,current` : `Row ${i + 1},R${i + 1},2026-03-02,Pat Lee,current`,
      ),
    ].join('\n') + '\n';

  test('an unclosed quote in row 800 of 1 000 stops the run before the store is touched, naming the line', async () => {
    const path = tempCsv(rows(1000));
    const config = csvConfig(path);
    const store = Store.open(':memory:');
    const source = () => new CsvSource(onlyCsvSource(config), config.roster, config.timezone);
    await syncSource(source(), store, { maxDeleteShare: 0.5 });
    const before = { rows: store.interviews(), state: store.syncState('notes') };
    writeFileSync(path, rows(1000, 800));
    await expect(syncSource(source(), store, { maxDeleteShare: 0.5 })).rejects.toMatchObject({
      code: 'source_layout',
      message: expect.stringContaining('line 801: a quote opened in this row is never closed'),
    });
    expect({ rows: store.interviews(), state: store.syncState('notes') }).toEqual(before);
    expect(store.runs(1)[0]).toMatchObject({ status: 'failed' });
  });

  test('a run with a malformed row marks nothing deleted, and says how many it kept', async () => {
    const path = tempCsv(rows(20));
    const config = csvConfig(path);
    const store = Store.open(':memory:');
    const source = () => new CsvSource(onlyCsvSource(config), config.roster, config.timezone);
    await syncSource(source(), store, { maxDeleteShare: 0.5 });
    // Three rows gone, and one row broken on its own line: nothing may be deleted on this run.
    writeFileSync(path, rows(17).replace('Row 5,R5,2026-03-02', 'Row 5,R5,2026"-03-02'));
    const { report } = await syncSource(source(), store, { maxDeleteShare: 0.5 });
    expect(report).toMatchObject({ deleted: 0, deletionsHeld: 4 });
    expect(store.interviews()).toHaveLength(20);
  });
});

describe('implausible values become findings and do not count', () => {
  test.each([
    ['a duration of 999999999999999999999999 minutes', { Duration: '999999999999999999999999' }, 'Duration', 'warning', { durationMinutes: null }],
    ['a duration of 99999h', { Duration: '99999h' }, 'Duration', 'warning', { durationMinutes: null }],
    ['a date before 2000', { Date: '1970-01-01' }, 'Date', 'excluded', { startsAt: null }],
    ['a date more than a year ahead', { Date: '2999-01-01' }, 'Date', 'excluded', { startsAt: null }],
    [
      'an end before the start',
      { Date: '2026-03-02T10:00', End: '2026-03-02T09:00' },
      'End',
      'warning',
      { endsAt: null, startsAt: '2026-03-02T09:00:00.000Z' },
    ],
  ])('%s', async (_name, cells, field, severity, expected) => {
    const values: Record<string, string> = { Name: 'Call', ID: 'R1', Date: '2026-03-02', End: '', Duration: '45', Interviewer: 'Pat Lee', ...cells };
    const header = Object.keys(values);
    const path = tempCsv(`${header.join(',')}\n${header.map((h) => values[h]).join(',')}\n`);
    const [record] = await readAll(path, {
      mapping: { id: 'ID', title: 'Name', startsAt: 'Date', endsAt: 'End', durationMinutes: 'Duration', interviewers: 'Interviewer' },
    });
    expect(record!.findings.map((f) => [f.code, f.field, f.severity])).toEqual([['implausible_value', field, severity]]);
    expect(record!.interview).toMatchObject(expected);
  });

  test('the maximum duration is configurable', async () => {
    const path = tempCsv('Name,ID,Date,Duration,Interviewer\nWorkshop,R1,2026-03-02,600,Pat Lee\n');
    const [record] = await readAll(path, {
      maxDurationMinutes: 720,
      mapping: { id: 'ID', title: 'Name', startsAt: 'Date', durationMinutes: 'Duration', interviewers: 'Interviewer' },
    });
    expect([record!.findings, record!.interview!.durationMinutes]).toEqual([[], 600]);
  });
});

describe('values maps and lists on many rows', () => {
  test('a values map matches trimmed and in any case, the first key written winning, on every row', async () => {
    const path = tempCsv(
      'Name,ID,Date,Interviewer,Type,Segment\nA,R1,2026-03-02,Pat Lee,Kickoff ,mid\nB,R2,2026-03-03,Pat Lee,KICKOFF,MID \nC,R3,2026-03-04,Pat Lee,Other thing,Mid-market\n',
    );
    const records = await readAll(path, {
      mapping: {
        id: 'ID',
        title: 'Name',
        startsAt: 'Date',
        interviewers: 'Interviewer',
        callType: { column: 'Type', values: { ' kickoff': 'usability', KickOff: 'sales' } },
        segment: { column: 'Segment', values: { MID: 'Mid-market', mid: 'SMB' } },
      },
    });
    expect(records.map((r) => [r.interview!.callType, r.interview!.segment])).toEqual([
      ['usability', 'Mid-market'],
      ['usability', 'Mid-market'],
      ['other', 'Mid-market'],
    ]);
    expect(records.map((r) => r.findings.map((f) => [f.code, f.value]))).toEqual([[], [], [['unmapped_value', 'Other thing']]]);
  });

  test('rows with the same list cell get lists of their own', async () => {
    const path = tempCsv('Name,ID,Date,Interviewer,Tags\nA,R1,2026-03-02,Pat Lee,"a, b, a"\nB,R2,2026-03-03,Pat Lee,"a, b, a"\n');
    const [first, second] = await readAll(path, { mapping: { id: 'ID', title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', tags: 'Tags' } });
    expect([first!.interview!.tags, second!.interview!.tags]).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    first!.interview!.tags.push('changed');
    expect(second!.interview!.tags).toEqual(['a', 'b']);
  });
});

describe('what teams write maps without a values map', () => {
  test.each([
    ['Type', 'Learning call', { callType: 'learning' }],
    ['Type', 'User interview', { callType: 'learning' }],
    ['Type', 'Kundeninterview', { callType: 'learning' }],
    ['Type', 'Entretien client', { callType: 'learning' }],
    ['Type', '客户访谈', { callType: 'learning' }],
    ['Type', 'Интервью с клиентом', { callType: 'learning' }],
    ['Type', 'Demo', { callType: 'sales' }],
    ['Type', 'Renewal', { callType: 'sales' }],
    ['Type', 'Support call', { callType: 'support' }],
    ['Status', 'Former customer', { customerStatus: 'former' }],
    ['Status', 'Ex-client', { customerStatus: 'former' }],
    ['Status', 'Ehemaliger Kunde', { customerStatus: 'former' }],
    ['Status', '流失', { customerStatus: 'former' }],
    ['Status', 'Lost deal', { customerStatus: 'lost' }],
    ['Location', 'Google Meet', { location: 'video' }],
    ['Location', 'In person', { location: 'onsite' }],
    ['Location', 'Vor Ort', { location: 'onsite' }],
  ])('%s %j', async (column, value, expected) => {
    const path = tempCsv(`Name,ID,Date,Interviewer,${column}\nCall,R1,2026-03-02,Pat Lee,${value}\n`);
    const field = column === 'Type' ? 'callType' : column === 'Status' ? 'customerStatus' : 'location';
    const [record] = await readAll(path, { mapping: { id: 'ID', title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', [field]: column } });
    expect(record!.findings).toEqual([]);
    expect(record!.interview).toMatchObject(expected);
  });
});
