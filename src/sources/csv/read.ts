import { readFile } from 'node:fs/promises';
import { createHash, hash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { CsvSourceConfig, Mapping } from '../../config/schema.js';
import type { Person } from '../../model/person.js';
import type { Finding } from '../../model/finding.js';
import { clip } from '../../model/finding.js';
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
import { assembleInterview, plausibleAt } from '../kit/assemble.js';
import { RosterIndex } from '../kit/people.js';
import { CsvCells } from './map.js';

const BATCH_SIZE = 500;
/** A column with at most this many distinct values is described as a select, with counts. */
const OPTION_LIMIT = 30;

/** A CSV file exported from Notion or Airtable, read whole on every run (no incremental). */
export class CsvSource implements Source {
  readonly kind = 'csv' as const;
  readonly incremental = false;
  readonly fullListingEveryMs = null;
  readonly local = true;
  readonly name: string;
  readonly fingerprint: string;
  private readonly roster: RosterIndex;

  constructor(
    private readonly config: CsvSourceConfig,
    roster: readonly Person[],
    private readonly timezone: string,
  ) {
    this.name = config.name;
    this.fingerprint = setupFingerprint(config, roster, timezone);
    this.roster = new RosterIndex(roster);
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
    try {
      return await readFile(this.config.path, 'utf8');
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
    const text = await this.load();
    const content = hash('sha1', `${this.fingerprint}\u0001${new Date().toISOString().slice(0, 10)}\u0001${text}`, 'base64');
    const memo = { content };
    if (request.complete && request.memo?.['content'] === content) return { listing: 'full', memo, unchanged: true };
    yield* this.rows(request, text);
    return { listing: 'full', memo };
  }

  private async *rows(request: ReadRequest, text: string): AsyncGenerator<SourceRecord[]> {
    if (text.trim() === '') {
      yield [asRecord(this.sourceFinding('empty_source'))];
      return;
    }
    const skipped: Finding[] = [];
    const { header: headerRow, body, delimiter } = this.parseAll(text, skipped);
    if (headerRow.length === 0) {
      yield [asRecord(this.sourceFinding('empty_source')), ...skipped.map(asRecord)];
      return;
    }
    const header = { record: headerRow };
    const columns = indexColumns(header.record, this.config.mapping, this.config.path, delimiter);
    const out: SourceRecord[] = skipped.map(asRecord);
    if (body.length === 0) out.push(asRecord(this.sourceFinding('empty_source')));
    const seen = new Set<string>();
    const now = Date.now();
    const limits = plausibleAt(now, this.config.maxDurationMinutes);
    // A row's raw hash covers its cells and what decides how they are read: the setup, the header
    // and the day (what is plausible moves with it). The same hash stored means the same interview.
    const salt = `${this.fingerprint}\u0001${headerRow.join('\u0000')}\u0001${new Date(now).toISOString().slice(0, 10)}\u0001`;
    let read = 0;
    const m = this.config.mapping;
    const options = { zone: this.config.timezone ?? this.timezone, order: this.config.dateOrder, listSeparator: this.config.listSeparator };
    for (const { record, info } of body) {
      const cells = new CsvCells(record, columns, options);
      const line = info.lines;
      const explicitId = m.id ? cells.text(m.id.column) : null;
      if (m.id && !explicitId) {
        out.push(asRecord({ ...this.sourceFinding('missing_id'), recordId: `line ${line}`, field: m.id.column, row: line, severity: 'excluded' }));
        continue;
      }
      const recordId = explicitId ?? derivedId(cells.text(m.title.column), cells.text(m.startsAt.column));
      if (seen.has(recordId)) {
        out.push(
          asRecord({
            ...this.sourceFinding('duplicate_id'),
            recordId: `line ${line}`,
            field: m.id?.column ?? null,
            value: recordId,
            row: line,
            severity: 'excluded',
          }),
        );
        continue;
      }
      seen.add(recordId);
      // One-shot hashing: a Hash object per row cost more than the hashing.
      const rawHash = hash('sha1', salt + record.join('\u0000'), 'base64');
      read += 1;
      if (request.known?.get(recordId) === rawHash) {
        out.push({ recordId, interview: null, findings: [], editedAt: null, rawHash, unchanged: true });
        if (out.length >= BATCH_SIZE) {
          request.onProgress?.(read, body.length);
          yield out.splice(0);
        }
        continue;
      }
      const { interview, findings } = assembleInterview(cells, {
        source: { name: this.name, kind: 'csv' },
        recordId,
        url: m.url ? cells.text(m.url.column) : null,
        row: line,
        mapping: m,
        roster: this.roster,
        defaultCallType: this.config.defaultCallType,
        limits,
      });
      out.push({ recordId, interview, findings, editedAt: interview.updatedAt, rawHash });
      if (out.length >= BATCH_SIZE) {
        request.onProgress?.(read, body.length);
        yield out.splice(0);
      }
    }
    request.onProgress?.(read, body.length);
    if (out.length > 0) yield out;
  }

  /**
   * Parse the whole file. A record that fails to parse on its own line becomes a `malformed_row`
   * finding; one that swallows more lines (an unclosed quote eats the rest of the file) stops the
   * run before the store is touched, naming the line where it began.
   */
  private parseAll(text: string, skipped: Finding[]): { header: string[]; body: Array<{ record: string[]; info: { lines: number } }>; delimiter: string } {
    const delimiter = this.config.delimiter ?? sniffDelimiter(text);
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
        ends.push(context.lines);
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
    const rows = records.map((record, i) => ({ record, info: { lines: ends[i] ?? 0 } }));
    const [header, ...body] = rows;
    return { header: header?.record ?? [], body, delimiter };
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

/** The delimiter that splits the header line most often (outside quotes). */
export function sniffDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    const count = unquoted.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
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
