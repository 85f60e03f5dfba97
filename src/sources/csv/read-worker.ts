/**
 * One part of a large CSV file, parsed and assembled in a worker thread (threads.ts). It says
 * first whether the part parsed cleanly and how many lines it spans, is told the line it begins
 * after, then sends its rows as JSON already hashed, in order, and waits to be ended.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareRow } from '../kit/prepare.js';
import { CsvSource } from './read.js';
import { ROW, STRIDE, type Flat, type PartJob, type PartMessage } from './threads.js';

/** Rows per message: as the file read whole yields them. */
const BATCH_ROWS = 500;

const job = workerData as PartJob;
const post = (message: PartMessage) => parentPort!.postMessage(message);

/** The file's line the part begins after: known once every part before it is parsed (threads.ts). */
const lineOffset = new Promise<number>((resolve) => parentPort!.once('message', (message: { lineOffset: number }) => resolve(message.lineOffset)));

try {
  const source = new CsvSource(job.config, job.roster, job.timezone);
  const parsed = source.parsePart(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.delimiter);
  if (!parsed) post({ kind: 'irregular' });
  else {
    post({ kind: 'parsed', rows: parsed.records.length, lines: parsed.lines });
    const setup = source.setupOf(job.header, job.delimiter, job.now);
    const known = job.known ? new Map(job.known) : undefined;
    const offset = await lineOffset;
    let flat: Flat = [];
    for (const [i, record] of parsed.records.entries()) {
      const line = offset + parsed.ends[i]!;
      const row = source.recordOf(record, line, setup, known, null);
      const findings = row.findings.length > 0 ? row.findings : null;
      if (row.unchanged) flat.push(ROW.unchanged, row.recordId, line, row.rawHash, null, null, null, null, null, null);
      else if (!row.interview) flat.push(ROW.findingsOnly, row.recordId, line, null, null, null, null, null, null, findings);
      else {
        const { key, json, hash, offRoster } = prepareRow(row.interview);
        flat.push(ROW.prepared, row.recordId, line, row.rawHash, key.id, json, hash, key.updatedAt, offRoster.length > 0 ? offRoster : null, findings);
      }
      if (flat.length >= BATCH_ROWS * STRIDE) {
        post({ kind: 'rows', flat });
        flat = [];
      }
    }
    if (flat.length > 0) post({ kind: 'rows', flat });
    post({ kind: 'done' });
  }
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}
// Kept open until the reader ends the thread: every message is taken before it stops.
parentPort!.on('message', () => {});
