import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { SourceDeps } from '../sources/create.js';
import type { SyncOutcome } from '../sync/run.js';
import type { RequestLogEntry } from '../sources/source.js';
import { TouchpointError, type ErrorCode } from '../errors.js';
import type { SourceResult } from './sync.js';

/** The compiled worker next to this file; absent when running from the TypeScript sources (tests). */
const WORKER = new URL('./sync-worker.js', import.meta.url);

/** What the sync thread is given. */
export interface SyncThreadRequest {
  config: Config;
  storePath: string;
  secrets: SourceDeps['secrets'];
}

/** What it answers: each source's outcome or error message, or the failure that stopped the run. */
export type SyncThreadReply =
  | {
      ok: true;
      results: Array<
        { source: string; requests: readonly RequestLogEntry[] } & ({ outcome: SyncOutcome; error?: undefined } | { error: string; outcome?: undefined })
      >;
    }
  | { ok: false; code: ErrorCode | null; message: string; details: readonly string[] };

/** Whether syncs can run in a thread: the compiled worker exists (in dist/, which `serve` runs) and the store is a file. */
export function canSyncInThread(storePath: string): boolean {
  return storePath !== ':memory:' && existsSync(fileURLToPath(WORKER));
}

/**
 * `syncAll` in a worker thread with its own store connection (docs/RELIABILITY.md, "Readers don't
 * wait"): the same lock, the same results; the caller's event loop stays free. The thread ends
 * with the run.
 */
export function syncInThread(request: SyncThreadRequest): Promise<SourceResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: request });
    let settled = false;
    worker.once('message', (reply: SyncThreadReply) => {
      settled = true;
      if (!reply.ok) return reject(reply.code ? new TouchpointError(reply.code, reply.message, reply.details) : new Error(reply.message));
      resolve(reply.results.map((r) => (r.error !== undefined ? { source: r.source, error: new Error(r.error), requests: r.requests } : r)) as SourceResult[]);
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the sync thread stopped (exit code ${code}) before it answered`));
    });
  });
}
