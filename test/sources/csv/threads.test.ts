import { hash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, test } from 'vitest';
import type { SourceRecord } from '../../../src/sources/source.js';
import { partsOf } from '../../../src/sources/csv/threads.js';
import { offRosterOf } from '../../../src/sources/kit/prepare.js';
import { storedForm } from '../../../src/model/stored.js';
import { csvConfig, FULL_MAPPING, onlyCsvSource } from '../../helpers/config.js';

// The reading threads run compiled code: the dist/ that test/setup/global.ts builds, as `touchpoint sync` runs it.
const dist = {
  csv: (await import(new URL('../../../dist/sources/csv/read.js', import.meta.url).href)) as typeof import('../../../src/sources/csv/read.js'),
  store: (await import(new URL('../../../dist/store/store.js', import.meta.url).href)) as typeof import('../../../src/store/store.js'),
  run: (await import(new URL('../../../dist/sync/run.js', import.meta.url).href)) as typeof import('../../../src/sync/run.js'),
};

const HEADER = (
  'Name,ID,Date,Duration (min),Interviewer,Attendees,Account,Participant,Participant email,Participant role,Segment,Customer status,' +
  'Tier,Type,Location,Study,TL;DR,Notes,Debriefed,Follow-up due,Follow-up done,Tags,Nugget,Created time,Last edited time'
).split(',');

/**
 * Rows as teams write them, with what makes a file hard to cut: quoted cells with commas and line
 * ends (some right where a part would end), bad dates and durations, people off the roster, a
 * row without an id and ids repeated far apart (in another part).
 */
function rows(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => [
    `Acme ${i} — "deep" dive`,
    i === 37 ? '' : i === n - 3 ? 'INT-5' : i === n - 2 ? 'INT-40' : `INT-${i}`,
    i % 11 === 0 ? 'sometime soon' : `March ${(i % 27) + 1}, 2026 ${(i % 12) + 1}:30 ${i % 2 ? 'PM' : 'AM'}`,
    i % 13 === 0 ? 'forty' : String(30 + (i % 40)),
    i % 7 === 0 ? 'Sam Stranger' : 'Pat Lee',
    i % 3 ? 'Dana Cho, Eli Ward' : '',
    `Account ${i % 50} (https://www.notion.so/ws/Acme-Corp-0123456789abcdef0123456789abcdef)`,
    'Jo Smith',
    'jo@acme.example',
    'Ops lead',
    ['Enterprise', 'SMB', 'Mid-market'][i % 3]!,
    ['Churned', 'Current', 'Trial', 'Weird'][i % 4]!,
    'Gold',
    ['Discovery', 'Sales call', 'Usability test'][i % 3]!,
    'On-site',
    `Study ${i % 9}`,
    i % 5 === 0 ? `Line one of ${i},\nline two "quoted"\nline three` : `Short summary ${i}.`,
    'https://www.notion.so/ws/Acme-abc',
    i % 4 ? 'Yes' : 'No',
    i % 6 ? `March ${(i % 27) + 1}, 2026` : '',
    'No',
    'onboarding, exports',
    '“We gave up at import.”',
    'March 1, 2026 9:00 AM',
    'March 5, 2026 10:02 AM',
  ]);
}

function tempCsv(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-csv-threads-')), 'rows.csv');
  writeFileSync(path, text);
  return path;
}

/** Each row read as the sync stores it: its JSON and hash whether it came assembled or prepared. */
function comparable(records: readonly SourceRecord[]) {
  return records.map(({ recordId, interview, prepared, findings, editedAt, rawHash, unchanged }) => {
    const json = prepared?.json ?? (interview ? storedForm(interview) : null);
    return {
      recordId,
      json,
      hash: prepared?.hash ?? (json ? hash('sha1', json, 'hex') : null),
      offRoster: prepared?.offRoster ?? (interview ? offRosterOf(interview) : null),
      key: prepared?.key ?? (interview ? { id: interview.id, updatedAt: interview.updatedAt, source: { recordId: interview.source.recordId } } : null),
      findings,
      editedAt,
      rawHash,
      unchanged,
    };
  });
}

async function readBoth(text: string, known?: ReadonlyMap<string, string>, path = tempCsv(text), threads = 2) {
  const config = csvConfig(path, { source: { mapping: FULL_MAPPING } });
  const read = async (threadsFrom: number) => {
    const source = new dist.csv.CsvSource(onlyCsvSource(config), config.roster, config.timezone, { threadsFrom, threads });
    const out: SourceRecord[] = [];
    const progress: Array<[number, number | null]> = [];
    const stored = known && (() => ({ known, complete: false }));
    for await (const batch of source.read({ since: null, memo: null, stored, onProgress: (read, total) => progress.push([read, total]) })) out.push(...batch);
    return { out, progress };
  };
  const threaded = await read(0);
  const whole = await read(Infinity);
  return { threaded, whole };
}

describe('a large CSV read in threads', () => {
  test.each([2, 4])('in %i parts gives every row, finding, line and hash the file read whole gives, in the same order', async (threads) => {
    const text = stringify([HEADER, ...rows(3000)]);
    const { threaded, whole } = await readBoth(text, undefined, tempCsv(text), threads);
    // The threads were used: their rows come serialised.
    expect(threaded.out.filter((r) => r.prepared).length).toBeGreaterThan(2900);
    expect(whole.out.some((r) => r.prepared)).toBe(false);
    expect(comparable(threaded.out)).toEqual(comparable(whole.out));
    // What makes the file hard is in it: line numbers past quoted line ends, both duplicates, the missing id.
    const codes = whole.out.flatMap((r) => r.findings.map((f) => f.code));
    expect(codes.filter((c) => c === 'duplicate_id')).toHaveLength(2);
    expect(whole.out.find((r) => r.findings.some((f) => f.code === 'missing_id'))?.findings[0]).toMatchObject({ recordId: 'line 55', row: 55 });
    expect(threaded.progress.at(-1)).toEqual(whole.progress.at(-1));
    expect(threaded.progress.at(-1)).toEqual([2997, 3000]);
  });

  test('rows whose raw hash is stored come back unchanged, as from the file read whole', async () => {
    const text = stringify([HEADER, ...rows(1200)]);
    const path = tempCsv(text);
    const first = await readBoth(text, undefined, path);
    const known = new Map(first.whole.out.filter((r) => r.rawHash && r.recordId.startsWith('INT-1')).map((r) => [r.recordId, r.rawHash!]));
    const { threaded, whole } = await readBoth(text, known, path);
    expect(threaded.out.filter((r) => r.unchanged)).toHaveLength(known.size);
    expect(comparable(threaded.out)).toEqual(comparable(whole.out));
  });

  // Where the threads cannot give the same lines (a blank line) or rows (a row that does not
  // parse, a header that may span lines), the file is read whole: `threads` says which.
  test.each([
    ['Windows line ends', true, (text: string) => text.replaceAll('\n', '\r\n')],
    ['a byte-order mark', true, (text: string) => `\uFEFF${text}`],
    ['a blank line in the middle', false, (text: string) => text.replace('\n"Acme 900 ', '\n\n"Acme 900 ')],
    ['a row that does not parse', false, (text: string) => text.replace('Short summary 901.', 'Short "summary" 901.')],
    ['a quoted header', false, (text: string) => text.replace('Name,', '"Name",')],
  ])('%s: the same rows and findings (threads: %s)', async (_, threads, change) => {
    const { threaded, whole } = await readBoth(change(stringify([HEADER, ...rows(2000)])));
    expect(threaded.out.some((r) => r.prepared)).toBe(threads);
    expect(comparable(threaded.out)).toEqual(comparable(whole.out));
    expect(whole.out.length).toBeGreaterThan(1900);
  });

  test('an unclosed quote stops the run with the line it began on, as the file read whole does', async () => {
    // Rows without quotes after it: nothing closes the quote, and the rest of the file is one value.
    const text = `${stringify([HEADER, ...rows(2000)])}Broken,INT-X,"March 3 2026,Pat Lee\n${'Plain,INT-Y,March 4 2026,Pat Lee\n'.repeat(500)}`;
    const path = tempCsv(text);
    const config = csvConfig(path, { source: { mapping: FULL_MAPPING } });
    const failure = async (threadsFrom: number) => {
      const source = new dist.csv.CsvSource(onlyCsvSource(config), config.roster, config.timezone, { threadsFrom, threads: 2 });
      try {
        for await (const batch of source.read({ since: null, memo: null })) void batch;
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    };
    const message = await failure(0);
    expect(message).toMatch(/line \d+: a quote opened in this row is never closed/);
    expect(message).toBe(await failure(Infinity));
  });

  test('a sync writes the same store from threads as from the file read whole', async () => {
    const path = tempCsv(stringify([HEADER, ...rows(2500)]));
    const config = csvConfig(path, { source: { mapping: FULL_MAPPING } });
    const sync = async (threadsFrom: number) => {
      const store = dist.store.Store.open(':memory:');
      const source = new dist.csv.CsvSource(onlyCsvSource(config), config.roster, config.timezone, { threadsFrom, threads: 2 });
      const { report } = await dist.run.syncSource(source, store, { maxDeleteShare: 0.5, now: () => new Date('2026-03-20T10:00:00Z') });
      const { durationMs, ...rest } = report;
      void durationMs;
      return { report: rest, interviews: store.interviews(), findings: store.findings('notes'), hashes: [...store.recordHashes('notes')] };
    };
    const threaded = await sync(0);
    expect(threaded.interviews).toHaveLength(2497);
    expect(threaded.report.offRoster).toEqual([{ name: 'Sam Stranger', rows: 358 }]);
    expect(threaded).toEqual(await sync(Infinity));
  });

  test('a second sync of the file edited, in threads, skips the rows stored from the same cells and leaves the store the whole read leaves', async () => {
    const first = rows(2500);
    // Row 10 renamed, row 20 gone, row 30's duration re-spaced (the same interview from other cells).
    const edited = first.flatMap((row, i) =>
      i === 20 ? [] : i === 10 ? [[`${row[0]} (renamed)`, ...row.slice(1)]] : i === 30 ? [[...row.slice(0, 3), ` ${row[3]} `, ...row.slice(4)]] : [row],
    );
    // One path for both ways: it is in every raw hash.
    const path = tempCsv('');
    const config = csvConfig(path, { source: { mapping: FULL_MAPPING } });
    const sync = async (threadsFrom: number) => {
      writeFileSync(path, stringify([HEADER, ...first]));
      const store = dist.store.Store.open(':memory:');
      const run = () =>
        dist.run.syncSource(new dist.csv.CsvSource(onlyCsvSource(config), config.roster, config.timezone, { threadsFrom, threads: 2 }), store, {
          maxDeleteShare: 0.5,
          now: () => new Date('2026-03-20T10:00:00Z'),
        });
      await run();
      writeFileSync(path, stringify([HEADER, ...edited]));
      const { durationMs: _duration, ...report } = (await run()).report;
      return { report, interviews: store.interviews(), findings: store.findings('notes'), hashes: [...store.recordHashes('notes')] };
    };
    const threaded = await sync(0);
    expect(threaded.report).toMatchObject({ created: 0, updated: 1, deleted: 1, unchanged: 2495 });
    expect(threaded).toEqual(await sync(Infinity));
  });
});

describe('where a file is cut', () => {
  test('at line ends outside quotes, near each share', () => {
    const text = 'h\n' + Array.from({ length: 40 }, (_, i) => (i % 3 ? `a${i},"x\ny"\n` : `b${i},z\n`)).join('');
    const starts = partsOf(text, 2, 3)!;
    expect(starts[0]).toBe(2);
    for (const start of starts.slice(1)) {
      expect(text[start - 1]).toBe('\n');
      expect((text.slice(0, start).match(/"/g) ?? []).length % 2).toBe(0);
      expect(start).toBeLessThan(text.length);
    }
    expect(new Set(starts).size).toBe(3);
  });

  test('not at all when there is no line end outside quotes to cut at', () => {
    expect(partsOf('h\n"one long\nquoted\nvalue', 2, 2)).toBeNull();
    expect(partsOf('h\nsingle line without end', 2, 2)).toBeNull();
  });
});
