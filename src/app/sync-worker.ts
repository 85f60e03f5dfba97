/**
 * A scheduled sync, in a worker thread of `touchpoint serve` (sync-thread.ts): it opens the store
 * itself, runs every source as `touchpoint sync` does and answers with the results. Mapping a
 * 100 000-row CSV is seconds of CPU; here the dashboard's event loop does not wait on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../store/store.js';
import { TouchpointError } from '../errors.js';
import { realClock } from '../model/clock.js';
import { syncAll } from './sync.js';
import type { SyncThreadReply, SyncThreadRequest } from './sync-thread.js';
import { runInBackground } from './priority.js';

// A sync is background work: the dashboard's thread gets a core first.
runInBackground();

const request = workerData as SyncThreadRequest;
let reply: SyncThreadReply;
let store: Store | null = null;
try {
  store = Store.open(request.storePath);
  const results = await syncAll(request.config, store, { deps: { secrets: request.secrets, clock: realClock } });
  // Errors cross the thread as their message: a class does not survive the copy.
  reply = {
    ok: true,
    results: results.map((r) =>
      r.error ? { source: r.source, error: r.error.message, requests: r.requests } : { source: r.source, outcome: r.outcome, requests: r.requests },
    ),
  };
} catch (error) {
  const known = TouchpointError.isTouchpointError(error);
  reply = { ok: false, code: known ? error.code : null, message: error instanceof Error ? error.message : String(error), details: known ? error.details : [] };
} finally {
  store?.close();
}
parentPort!.postMessage(reply);
