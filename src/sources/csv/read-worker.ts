/**
 * One part of a large CSV file, parsed and assembled in a worker thread (threads.ts). It says
 * first whether the part parsed cleanly and how many lines it spans, is told the line it begins
 * after, then sends its rows as JSON already hashed, in order, and waits to be ended.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CsvSource } from './read.js';
import { addRow, BATCH_ROWS, knownOf, rowCount, type Flat, type PartJob, type PartMessage, type PartStart } from './threads.js';

const job = workerData as PartJob;
const post = (message: PartMessage) => {
  job.port.postMessage(message);
  parentPort!.postMessage(null); // wakes the reader (threads.ts, `Part`)
};

/** The file's line the part begins after, known once every part before it is parsed, and the stored raw hashes (threads.ts). */
const start = new Promise<PartStart>((resolve) => parentPort!.once('message', resolve));

try {
  const source = new CsvSource(job.config, job.roster, job.timezone);
  const parsed = source.parsePart(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.delimiter);
  if (!parsed) post({ kind: 'irregular' });
  else {
    post({ kind: 'parsed', rows: parsed.records.length, lines: parsed.lines });
    const setup = source.setupOf(job.header, job.delimiter, job.now);
    const { lineOffset: offset, known: packed } = await start;
    const known = knownOf(packed);
    let flat: Flat = [];
    for (const [i, record] of parsed.records.entries()) {
      const line = offset + parsed.ends[i]!;
      addRow(flat, source.recordOf(record, line, setup, known, null), line);
      if (rowCount(flat) >= BATCH_ROWS) {
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
