/**
 * The metrics worker (metrics-engine.ts): holds the store's live rows for the current data
 * version, reads what a sync wrote when it committed (live-rows.ts), and answers metrics and list
 * queries. The findings stay out of it and of the answer: the main thread has them, and copying
 * 10 000 findings into every cached document would multiply the memory. So do open promises the
 * main thread already holds for the same team (8 000 of them were 95 % of a document at 100 000
 * interviews).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../store/store.js';
import { TouchpointError } from '../errors.js';
import { listOf, metricsOf, type Loaded } from './views.js';
import type { EngineMetrics, EngineReply, EngineRequest } from './metrics-engine.js';
import { jsonHash } from './json-hash.js';
import { runInBackground } from './priority.js';
import { LiveRows } from './live-rows.js';
import { writeFirstView } from './first-view.js';

// Views are background work: the thread answering readers gets a core first.
runInBackground();

const store = Store.open((workerData as { storePath: string }).storePath);
// After a sync, only the rows it wrote are read again.
const rows = new LiveRows(store);
let data: Loaded | null = null;

// No findings: the main thread reads them (while this one reads the rows at the start) and puts
// them, with their counts, into every document it is sent (Workspace.metrics).
const NO_FINDINGS: Loaded['findings'] = [];

function current(): Loaded {
  const { version, interviews } = rows.current();
  if (!data || data.version !== version) data = { version, interviews, findings: NO_FINDINGS };
  return data;
}

// Read the rows at once, while the server starts: the first page then waits only for its metrics.
try {
  current();
} catch {
  // A damaged store: said by the first request that asks.
}

parentPort!.on('message', (message: EngineRequest & { id: number }) => {
  let reply: EngineReply;
  try {
    const loaded = current();
    if (message.kind === 'metrics') {
      const metrics = metricsOf(loaded, message.config, message.query);
      // Open promises are the same in every window of a team, and across data versions until a
      // sync changes one: sent once per content. A new copy per version was 2 MB for the
      // dashboard's thread to take in and collect after every sync at 100 000 interviews.
      const key = `${jsonHash(metrics.followUps.items)}|${message.share}`;
      const included = !message.have.includes(key);
      const value: EngineMetrics = {
        metrics: {
          ...metrics,
          findings: { ...metrics.findings, items: [] },
          followUps: { ...metrics.followUps, items: included ? metrics.followUps.items : [] },
        },
        promises: { key, included },
      };
      reply = { id: message.id, ok: true, version: loaded.version, value };
      if (message.persist) {
        const { path, key } = message.persist;
        const kept = { ...metrics, findings: { ...metrics.findings, items: [] } };
        // After the answer is sent: the reader does not wait for the file.
        setImmediate(() => writeFirstView(path, { key, version: loaded.version, metrics: kept }));
      }
    } else {
      reply = { id: message.id, ok: true, version: loaded.version, value: listOf(loaded, message.config, message.query, message.list) };
    }
  } catch (error) {
    const known = TouchpointError.isTouchpointError(error);
    reply = {
      id: message.id,
      ok: false,
      code: known ? error.code : null,
      message: error instanceof Error ? error.message : String(error),
      details: known ? error.details : [],
    };
  }
  parentPort!.postMessage(reply);
});
