import { readFile } from 'node:fs/promises';
import { createHash, hash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { CsvSourceConfig, Mapping } from '../../config/schema.js';
import type { Person } from '../../model/person.js';
import type { Finding } from '../../model/finding.js';
import { clip } from '../../model/kinds.js';
import { TouchpointError } from '../../errors.js';
import type {
  ColumnDescription,
  ReadOutcome,
  ReadRequest,
  RequestLogEntry,
  SampleRequest,
  SchemaDescription,
  Source,
  SourceRecord,
  SourceStats,
  ValueSample,
} from '../source.js';
import { ValueCounter } from '../kit/sample.js';
import { setupFingerprint } from '../kit/fingerprint.js';
import { assembleInterview, plausibleAt, type Plausible } from '../kit/assemble.js';
import { RosterIndex } from '../kit/people.js';
import { CsvCells, type CsvCellOptions } from './map.js';
import { readInThreads, THREADS_FROM_BYTES } from './threads.js';
import { sniffDelimiter } from './delimiter.js';

const BATCH_SIZE = 500;
/** A column with at most this many distinct values is described as a select, with counts. */
const OPTION_LIMIT = 30;

/** What every row of one file is read with (`CsvSource.setupOf`). */
export interface FileSetup {
  columns: Map<string, number>;
  salt: string;
  limits: Plausible;
  cells: CsvCellOptions;
}

/** Whether the store holds a live row read from these raw cells (`StoredRows.known`). */
export type IsKnown = (recordId: string, rawHash: string) => boolean;

export interface CsvReadOptions {
  /** Files of at least this many bytes are read in threads when the compiled reader exists (threads.ts). */
  threadsFrom?: number;
  /** Parts, one thread each: by default 2 to 4 by the cores (none on one core). */
  threads?: number;
}

/** A CSV file exported from Notion or Airtable, read whole on every run (no incremental). */
export class CsvSource implements Source {
  readonly kind = 'csv' as const;
  readonly incremental = false;
  readonly fullListingEveryMs = null;
  readonly local = true;
  readonly name: string;
  readonly fingerprint: string;
  private readonly roster: RosterIndex;
  private readonly threadsFrom: number;
  readonly threads: number | undefined;

  constructor(
    readonly config: CsvSourceConfig,
    readonly people: readonly Person[],
    readonly timezone: string,
    options: CsvReadOptions = {},
  ) {
    this.threadsFrom = options.threadsFrom ?? THREADS_FROM_BYTES;
    this.threads = options.threads;
    this.name = config.name;
    this.fingerprint = setupFingerprint(config, people, timezone);
    this.roster = new RosterIndex(people);
  }

  stats(): SourceStats {
    return { requests: 0, retries: 0, waitedMs: 0 };
  }

  requestLog(): readonly RequestLogEntry[] {
    return [];
  }

  /** The header, and for each column its distinct values with counts (few) or a few samples. */
  async describeSchema(): Promise<SchemaDescription> {
    const text = await this.load();
    const { header, body } = this.parseAll(text, []);
    const columns: ColumnDescription[] = header.map((raw, i) => {
      const name = raw.trim();
      const counts = new Map<string, number>();
      for (const { record } of body) {
        const value = (record[i] ?? '').trim();
        if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      const options =
        counts.size > 0 && counts.size <= OPTION_LIMIT ? [...counts].sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ name: value, count })) : null;
      return { id: name, name, type: 'text', options, samples: [...counts.keys()].slice(0, 3), gives: ['text', 'date', 'people', 'minutes', 'boolean'] };
    });
    return { source: this.name, kind: 'csv', title: this.config.path, columns, rows: body.length };
  }

  async sampleValues(request: SampleRequest): Promise<ValueSample> {
    const { header, body } = this.parseAll(await this.load(), []);
    const columns = new Map(header.map((name, i) => [name.trim(), i]));
    const options = { zone: this.config.timezone ?? this.timezone, order: this.config.dateOrder, listSeparator: this.config.listSeparator };
    const counter = new ValueCounter(request);
    for (const { record } of body) {
      counter.add(new CsvCells(record, columns, options));
      if (counter.full) return counter.result(false);
    }
    return counter.result(true);
  }

  async probe(): Promise<string> {
    const text = await this.load();
    if (text.trim() === '') return `${this.config.path} is empty`;
    const delimiter = this.config.delimiter ?? sniffDelimiter(text);
    const header = parse(text.split(/\r?\n/, 1)[0] ?? '', { bom: true, delimiter, relax_column_count: true })[0] ?? [];
    indexColumns(header, this.config.mapping, this.config.path, delimiter);
    const rows = text.split(/\r?\n/).filter((line) => line.trim()).length - 1;
    return `${this.config.path}: about ${rows} rows, delimiter ${JSON.stringify(delimiter)}, every mapped column present`;
  }

  private async load(): Promise<string> {
    return (await this.loadBytes()).toString('utf8');
  }

  private async loadBytes(): Promise<Buffer> {
    try {
      return await readFile(this.config.path);
    } catch (error) {
      throw new TouchpointError(
        'source_unreadable',
        `Source "${this.name}": cannot read ${this.config.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check sources[].path in the config.`,
        [],
        { cause: error },
      );
    }
  }

  /**
   * The file's rows. The memo keeps a hash of the whole file with what decides how it is read
   * (the setup and the day, as each row's raw hash has): the same file again, with every stored
   * row readable, is answered `unchanged` without parsing a row.
   */
  async *read(request: ReadRequest): AsyncGenerator<SourceRecord[], ReadOutcome> {
    const bytes = await this.loadBytes();
    const content = createHash('sha1')
      .update(`${this.fingerprint}\u0001${new Date().toISOString().slice(0, 10)}\u0001`)
      .update(bytes)
      .digest('base64');
    const memo = { content };
    if (request.memo?.['content'] === content && request.stored?.().complete) return { listing: 'full', memo, unchanged: true };
    yield* this.rows(request, bytes);
    return { listing: 'full', memo };
  }

  private async *rows(request: ReadRequest, bytes: Buffer): AsyncGenerator<SourceRecord[]> {
    const now = Date.now();
    // A large file is parsed and assembled in threads, a part each (threads.ts): the same rows.
    if (bytes.length >= this.threadsFrom && (yield* readInThreads(this, { bytes, now, stored: request.stored, onProgress: request.onProgress }))) return;
    const text = bytes.toString('utf8');
    if (text.trim() === '') {
      yield [asRecord(this.sourceFinding('empty_source'))];
      return;
    }
    const skipped: Finding[] = [];
    const { header, body, delimiter } = this.parseAll(text, skipped);
    if (header.length === 0) {
      yield [asRecord(this.sourceFinding('empty_source')), ...skipped.map(asRecord)];
      return;
    }
    const setup = this.setupOf(header, delimiter, now);
    const out: SourceRecord[] = skipped.map(asRecord);
    if (body.length === 0) out.push(asRecord(this.sourceFinding('empty_source')));
    const seen = new Set<string>();
    const known = request.stored?.().known;
    const isKnown: IsKnown | null = known && known.size > 0 ? (recordId, rawHash) => known.get(recordId) === rawHash : null;
    let read = 0;
    for (const { record, info } of body) {
      const row = this.recordOf(record, info.lines, setup, isKnown, seen);
      if (row.interview || row.unchanged) read += 1;
      out.push(row);
      if (out.length >= BATCH_SIZE) {
        request.onProgress?.(read, body.length);
        yield out.splice(0);
      }
    }
    request.onProgress?.(read, body.length);
    if (out.length > 0) yield out;
  }

  /** What every row of a file is read with: the columns by name, the raw hash's salt and the bounds of the day. */
  setupOf(header: string[], delimiter: string, now: number): FileSetup {
    return {
      columns: indexColumns(header, this.config.mapping, this.config.path, delimiter),
      // A row's raw hash covers its cells and what decides how they are read: the setup, the header
      // and the day (what is plausible moves with it). The same hash stored means the same interview.
      salt: `${this.fingerprint}\u0001${header.join('\u0000')}\u0001${new Date(now).toISOString().slice(0, 10)}\u0001`,
      limits: plausibleAt(now, this.config.maxDurationMinutes),
      cells: { zone: this.config.timezone ?? this.timezone, order: this.config.dateOrder, listSeparator: this.config.listSeparator },
    };
  }

  /**
   * One record of the file, ending on `line`: its interview, a finding without one (no id, or an
   * id `seen` before), or `unchanged` when its raw hash is a `known` one. Without `seen` the
   * caller finds the duplicates (a part read in a thread cannot).
   */
  recordOf(record: string[], line: number, setup: FileSetup, isKnown: IsKnown | null, seen: Set<string> | null): SourceRecord {
    const m = this.config.mapping;
    const cells = new CsvCells(record, setup.columns, setup.cells);
    const explicitId = m.id ? cells.text(m.id.column) : null;
    if (m.id && !explicitId) {
      return asRecord({ ...this.sourceFinding('missing_id'), recordId: `line ${line}`, field: m.id.column, row: line, severity: 'excluded' });
    }
    const recordId = explicitId ?? derivedId(cells.text(m.title.column), cells.text(m.startsAt.column));
    if (seen) {
      if (seen.has(recordId)) return this.duplicate(recordId, line);
      seen.add(recordId);
    }
    // One-shot hashing: a Hash object per row cost more than the hashing.
    const rawHash = hash('sha1', setup.salt + record.join('\u0000'), 'base64');
    if (isKnown?.(recordId, rawHash)) return { recordId, interview: null, findings: [], editedAt: null, rawHash, unchanged: true };
    const { interview, findings } = assembleInterview(cells, {
      source: { name: this.name, kind: 'csv' },
      recordId,
      url: m.url ? cells.text(m.url.column) : null,
      row: line,
      mapping: m,
      roster: this.roster,
      defaultCallType: this.config.defaultCallType,
      limits: setup.limits,
    });
    return { recordId, interview, findings, editedAt: interview.updatedAt, rawHash };
  }

  /** The finding for a row whose id an earlier row of the file has: it is left out. */
  duplicate(recordId: string, line: number): SourceRecord {
    return asRecord({
      ...this.sourceFinding('duplicate_id'),
      recordId: `line ${line}`,
      field: this.config.mapping.id?.column ?? null,
      value: recordId,
      row: line,
      severity: 'excluded',
    });
  }

  /** Parse the whole file: its first record is the header (`parseRecords`). */
  private parseAll(text: string, skipped: Finding[]): { header: string[]; body: Array<{ record: string[]; info: { lines: number } }>; delimiter: string } {
    const delimiter = this.config.delimiter ?? sniffDelimiter(text);
    const { records, ends } = this.parseRecords(text, delimiter, skipped);
    const rows = records.map((record, i) => ({ record, info: { lines: ends[i] ?? 0 } }));
    const [header, ...body] = rows;
    return { header: header?.record ?? [], body, delimiter };
  }

  /**
   * A part of a large file, read in a thread (threads.ts): its records, the line each ends on
   * counted from the part's start, and the lines it spans, as csv-parse counts them reading the
   * whole file. Null when any of it does not parse cleanly (the whole file is then read here, for
   * the findings or the error it gives).
   */
  parsePart(bytes: Buffer, delimiter: string): { records: string[][]; ends: number[]; lines: number } | null {
    const skipped: Finding[] = [];
    try {
      const parsed = bytes.includes(0x0d) ? this.parseRecords(bytes, delimiter, skipped) : this.parseLines(bytes, delimiter, skipped);
      const lines = parsed?.ends.at(-1);
      // A part ends with its last record's line end; blank lines after it would be lines no record shows.
      if (
        !parsed ||
        lines === undefined ||
        skipped.length > 0 ||
        /[\r\n]$/.test(
          bytes
            .subarray(-4)
            .toString('latin1')
            .replace(/(?:\r\n|\r|\n)$/, ''),
        )
      )
        return null;
      return { ...parsed, lines };
    } catch {
      return null;
    }
  }

  /**
   * `parseRecords` for a text whose lines all end in `\n` alone, without asking the parser for
   * each record's line (a fifth of the parse): csv-parse counts one line per `\n`, so a record ends
   * on the line after the previous one plus the line ends inside its quoted fields. A blank line
   * would be a line no record shows: null then.
   */
  private parseLines(bytes: Buffer, delimiter: string, skipped: Finding[]): { records: string[][]; ends: number[] } | null {
    const records = parse(bytes, {
      delimiter,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error) skipped.push(this.sourceFinding('malformed_row'));
      },
    }) as string[][];
    const ends = new Array<number>(records.length);
    let line = 0;
    for (const [i, record] of records.entries()) {
      if (record.length === 1 && record[0] === '') return null;
      line += 1;
      for (const field of record) for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) line += 1;
      ends[i] = line;
    }
    return { records, ends };
  }

  /**
   * A record that fails to parse on its own line becomes a `malformed_row` finding; one that
   * swallows more lines (an unclosed quote eats the rest of the file) stops the run before the
   * store is touched, naming the line where it began.
   */
  private parseRecords(text: string | Buffer, delimiter: string, skipped: Finding[]): { records: string[][]; ends: number[] } {
    let lastGood = 0;
    const ends: number[] = []; // the line each record ends on, in order
    const records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_record: (record, context) => {
        lastGood = context.lines;
        ends.push(lastGood);
        return record;
      },
      on_skip: (error) => {
        if (!error) return;
        const line = Number(error['lines']) || null;
        const began = lastGood + 1;
        if (error.code === 'CSV_QUOTE_NOT_CLOSED' || (line !== null && line > began)) {
          throw new TouchpointError(
            'source_layout',
            `${this.config.path}, line ${began}: ${error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote opened in this row is never closed' : `a row that does not parse (${error.message})`}, so everything after it${line ? ` up to line ${line}` : ''} would be read as one value. Fix the quote in the file and sync again; nothing was changed.`,
          );
        }
        lastGood = line ?? lastGood;
        skipped.push({ ...this.sourceFinding('malformed_row'), severity: 'excluded', recordId: `line ${line}`, row: line, value: clip(error.message) });
      },
    });
    return { records, ends };
  }

  private sourceFinding(code: Finding['code']): Finding {
    return { code, severity: 'warning', source: this.name, recordId: '', field: null, value: null, url: null, row: null };
  }
}

function asRecord(finding: Finding): SourceRecord {
  return { recordId: finding.recordId, interview: null, findings: [finding], editedAt: null };
}

/** Without an id column, a row is known by its title and date: edit either and it is a new row. */
function derivedId(title: string | null, date: string | null): string {
  return createHash('sha1')
    .update(`${title ?? ''}\u0000${date ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

/** Column name → index; every mapped column must exist, or the run stops before touching the store. */
function indexColumns(header: string[], mapping: Mapping, path: string, delimiter: string): Map<string, number> {
  const columns = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim();
    if (!columns.has(key)) columns.set(key, i);
  });
  const missing = Object.entries(mapping).flatMap(([field, spec]) =>
    spec && !columns.has(spec.column) ? [`mapping.${field}: column "${spec.column}" is not in the file`] : [],
  );
  if (missing.length === 0) return columns;
  const shown = header
    .slice(0, 12)
    .map((h) => `"${h.trim()}"`)
    .join(', ');
  const hint =
    header.length === 1
      ? ` The header has one column only: is the delimiter right? It was read with ${JSON.stringify(delimiter)}; set sources[].delimiter.`
      : ` The header has: ${shown}${header.length > 12 ? ', …' : ''}.`;
  throw new TouchpointError('source_layout', `${path} does not match its mapping.${hint}`, missing);
}
