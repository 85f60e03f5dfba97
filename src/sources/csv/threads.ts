/**
 * A large CSV file read in threads (docs/sources.md, "CSV"; BENCHMARKS.md, "Syncs"): the bytes are
 * cut at line ends outside quotes, each part is parsed and assembled in a worker thread, and the
 * rows come back in file order as JSON already hashed, which this thread only writes. The rows,
 * findings and line numbers are the ones the file read whole gives: when a part does not parse
 * cleanly, or the file cannot be cut, nothing is taken from the threads and the file is read whole.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { parse } from 'csv-parse/sync';
import type { CsvSourceConfig } from '../../config/schema.js';
import type { Person } from '../../model/person.js';
import type { Finding } from '../../model/finding.js';
import type { SourceRecord, StoredRows } from '../source.js';
import type { CsvSource, IsKnown } from './read.js';
import { prepareRow } from '../kit/prepare.js';
import { sniffDelimiter } from './delimiter.js';

/** The compiled reader next to this file; absent when running from the TypeScript sources. */
const WORKER = new URL('./read-worker.js', import.meta.url);

/**
 * Below it, starting the threads costs more than they save: the bench's rows (14 columns, 170
 * bytes) synced in 0.70 s in threads against 0.61 s whole at 2.6 MB, 0.83 against 0.88 s at 4.3 MB.
 */
export const THREADS_FROM_BYTES = 4_000_000;

/** What a part's thread is given. */
export interface PartJob {
  config: CsvSourceConfig;
  roster: readonly Person[];
  timezone: string;
  /** The part's bytes, shared with the thread. */
  bytes: Uint8Array;
  header: string[];
  delimiter: string;
  now: number;
  /** Where the thread sends its messages (`Part`). */
  port: MessagePort;
}

/**
 * The rows of a part, flat: per row its kind (ROW), record id, line, raw hash, id, JSON, hash,
 * last edit, people off the roster and findings (`addRow`, `rowsOf`). Strings in an array are
 * copied between threads at a fraction of what objects cost.
 */
export type Flat = unknown[];

/** What a part's thread is told once every part before it is parsed. */
export interface PartStart {
  /** The file's line the part begins after (the header is line 1). */
  lineOffset: number;
  /** The stored raw hashes (`packHashes`), or null. */
  known: string | null;
}

/** A raw hash: SHA-1 in base64 (`CsvSource.recordOf`). */
const RAW_HASH_LENGTH = 28;

/**
 * The raw hashes of the stored rows as one string of them end to end, which a thread is sent at a
 * fraction of what a map of ids costs. A row's raw hash covers all its cells, the id's among them,
 * so a row whose hash is one of them is the stored row of its id, read from the same cells.
 */
export function packHashes(known: ReadonlyMap<string, string> | undefined): string | null {
  if (!known || known.size === 0) return null;
  const hashes: string[] = [];
  for (const hash of known.values()) if (hash.length === RAW_HASH_LENGTH) hashes.push(hash);
  return hashes.length > 0 ? hashes.join('') : null;
}

/** `packHashes` read back in a thread: whether a row's raw hash is a stored one. */
export function knownOf(packed: string | null): IsKnown | null {
  if (packed === null) return null;
  const hashes = new Set<string>();
  for (let at = 0; at < packed.length; at += RAW_HASH_LENGTH) hashes.add(packed.slice(at, at + RAW_HASH_LENGTH));
  return (_recordId, rawHash) => hashes.has(rawHash);
}

/** Fields per row in a `Flat`. */
const STRIDE = 10;
const ROW = { findingsOnly: 0, unchanged: 1, prepared: 2 } as const;

/** Rows per message: as the file read whole yields them. */
export const BATCH_ROWS = 500;

/** Adds a row read in a part's thread (`CsvSource.recordOf`, duplicates not yet found) on `line`. */
export function addRow(flat: Flat, row: SourceRecord, line: number): void {
  const findings = row.findings.length > 0 ? row.findings : null;
  if (row.unchanged) flat.push(ROW.unchanged, row.recordId, line, row.rawHash, null, null, null, null, null, null);
  else if (!row.interview) flat.push(ROW.findingsOnly, row.recordId, line, null, null, null, null, null, null, findings);
  else {
    const { key, json, hash, offRoster } = prepareRow(row.interview);
    flat.push(ROW.prepared, row.recordId, line, row.rawHash, key.id, json, hash, key.updatedAt, offRoster.length > 0 ? offRoster : null, findings);
  }
}

/** No findings, no people off the roster: one array for every row without them, frozen as it is shared. */
const NONE: never[] = Object.freeze([]) as never[];

/** How many rows a `Flat` holds. */
export const rowCount = (flat: Flat) => flat.length / STRIDE;

/**
 * The rows of a `Flat` as the sync takes them, a row whose id is `seen` already a duplicate;
 * `onRead` counts each row read (as the file read whole counts them).
 */
function rowsOf(flat: Flat, source: CsvSource, seen: Set<string>, onRead: () => void): SourceRecord[] {
  const out: SourceRecord[] = [];
  for (let i = 0; i < flat.length; i += STRIDE) {
    const kind = flat[i] as number;
    const recordId = flat[i + 1] as string;
    const findings = (flat[i + 9] as Finding[] | null) ?? NONE;
    if (kind === ROW.findingsOnly) {
      out.push({ recordId, interview: null, findings, editedAt: null });
      continue;
    }
    if (seen.has(recordId)) {
      out.push(source.duplicate(recordId, flat[i + 2] as number));
      continue;
    }
    seen.add(recordId);
    onRead();
    const rawHash = flat[i + 3] as string;
    if (kind === ROW.unchanged) {
      out.push({ recordId, interview: null, findings: NONE, editedAt: null, rawHash, unchanged: true });
      continue;
    }
    const updatedAt = flat[i + 7] as string | null;
    out.push({
      recordId,
      interview: null,
      findings,
      editedAt: updatedAt,
      rawHash,
      prepared: {
        key: { id: flat[i + 4] as string, updatedAt, source: { recordId } },
        json: flat[i + 5] as string,
        hash: flat[i + 6] as string,
        offRoster: (flat[i + 8] as string[] | null) ?? NONE,
      },
    });
  }
  return out;
}

/** What a part's thread says: whether the part parsed cleanly, then its rows, then that it is done. */
export type PartMessage =
  | { kind: 'parsed'; rows: number; lines: number }
  | { kind: 'irregular' }
  | { kind: 'rows'; flat: Flat }
  | { kind: 'done' }
  | { kind: 'failed'; message: string };

/** A text or its UTF-8 bytes: quotes and line ends are the same single bytes in both. */
export interface Searchable {
  readonly length: number;
  indexOf(value: string, from?: number): number;
}

/**
 * Where the parts begin: after the header line, then at the first line end outside quotes past
 * each share of the text. A quote opens or closes a quoted field (a doubled one, escaped, does
 * both), so a line end after an even number of them ends a record. Null when a part would be empty.
 */
export function partsOf(text: Searchable, from: number, parts: number): number[] | null {
  const starts = [from];
  let quotes = 0;
  let at = from; // quotes are counted up to here
  const countTo = (end: number) => {
    for (let q = text.indexOf('"', at); q !== -1 && q < end; q = text.indexOf('"', q + 1)) quotes += 1;
    at = end;
  };
  for (let k = 1; k < parts; k++) {
    let end = text.indexOf('\n', Math.max(at, from + Math.floor(((text.length - from) * k) / parts)));
    for (;;) {
      if (end === -1) return null;
      countTo(end);
      if (quotes % 2 === 0) break;
      end = text.indexOf('\n', end + 1);
    }
    if (end + 1 >= text.length || end + 1 <= starts[starts.length - 1]!) return null;
    starts.push(end + 1);
  }
  return starts;
}

/**
 * One part's thread. Its messages wait on a port of their own, serialised outside this thread's
 * heap, until `next` takes them: a part that reads ahead of the writer (the second while the first
 * is written) would otherwise hold its rows here as strings that outlive every minor collection.
 * The thread says on its own port that it has sent one (`wake`).
 */
class Part {
  readonly worker: Worker;
  private readonly port: MessagePort;
  private wake: (() => void) | null = null;
  private error: Error | null = null;

  constructor(job: Omit<PartJob, 'port'>) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER, { workerData: { ...job, port: port2 }, transferList: [port2] });
    this.worker.on('message', () => this.wake?.());
    this.worker.once('error', (error) => this.fail(error));
    this.worker.once('exit', (code) => this.fail(new Error(`a CSV reading thread stopped (exit code ${code})`)));
  }

  private fail(error: Error): void {
    this.error ??= error;
    this.wake?.();
  }

  /** The next message, in order. */
  async next(): Promise<PartMessage> {
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received) return received.message as PartMessage;
      if (this.error) return { kind: 'failed', message: this.error.message };
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  close(): Promise<number> {
    this.port.close();
    return this.worker.terminate();
  }
}

/**
 * The file's rows read in threads, yielded as `CsvSource.rows` would yield them; false (nothing
 * yielded) when the file is to be read whole in this thread instead: the reader is not compiled
 * (the TypeScript sources), the file cannot be cut, or a part did not parse cleanly.
 */
export async function* readInThreads(
  source: CsvSource,
  read: { bytes: Buffer; now: number; stored: (() => StoredRows) | undefined; onProgress: ((read: number, total: number | null) => void) | undefined },
): AsyncGenerator<SourceRecord[], boolean> {
  const { bytes } = read;
  // Two parts on two cores (this thread writes while they read); more, up to four, on more.
  const cores = availableParallelism();
  const threads = source.threads ?? (cores < 2 ? 1 : Math.max(2, Math.min(4, cores - 1)));
  if (threads < 2 || !existsSync(fileURLToPath(WORKER))) return false;
  const headerEnd = bytes.indexOf(0x0a);
  if (headerEnd === -1) return false;
  const headerLine = bytes
    .subarray(0, headerEnd)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '');
  // A header with quotes may hold a line end: the file is read whole.
  if (headerLine.trim() === '' || headerLine.includes('"')) return false;
  const delimiter = source.config.delimiter ?? sniffDelimiter(headerLine);
  const header = (parse(headerLine, { delimiter, relax_column_count: true }) as string[][])[0] ?? [];
  const starts = partsOf(bytes, headerEnd + 1, threads);
  if (!starts) return false;
  try {
    source.setupOf(header, delimiter, read.now);
  } catch {
    return false; // the columns do not match the mapping: the whole read says so
  }
  // The file's bytes once, shared: a view of a Buffer is copied to a thread with all of its memory
  // (the whole file to each part), and the two parts of a 17 MB file started 25 ms later.
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  const parts = starts.map(
    (start, i) =>
      new Part({
        config: source.config,
        roster: source.people,
        timezone: source.timezone,
        bytes: shared.subarray(start, starts[i + 1] ?? bytes.length),
        header,
        delimiter,
        now: read.now,
      }),
  );
  try {
    // The store is read while the parts parse: the rows stored from the same cells are not assembled again.
    const known = packHashes(read.stored?.().known);
    let total = 0;
    // Each part's lines are known once it is parsed, so each is told where it begins in turn (the
    // header is line 1), and assembles its rows with the lines the whole file gives them.
    let lines = 1;
    for (const part of parts) {
      const verdict = await part.next();
      if (verdict.kind !== 'parsed') return false;
      part.worker.postMessage({ lineOffset: lines, known } satisfies PartStart);
      lines += verdict.lines;
      total += verdict.rows;
    }
    if (total === 0) return false; // no rows: the whole read gives the finding
    const seen = new Set<string>();
    let done = 0;
    for (const part of parts) {
      for (let message = await part.next(); message.kind !== 'done'; message = await part.next()) {
        if (message.kind === 'failed') throw new Error(`reading ${source.config.path} failed: ${message.message}`);
        if (message.kind !== 'rows') continue;
        const out = rowsOf(message.flat, source, seen, () => (done += 1));
        read.onProgress?.(done, total);
        yield out;
      }
    }
    return true;
  } finally {
    await Promise.all(parts.map((part) => part.close()));
  }
}
