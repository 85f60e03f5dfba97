import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { buildStamp } from './first-view.js';
import { TouchpointError, type ErrorCode } from '../errors.js';
import type { ListSpec, ResolvedQuery } from './views.js';
import type { Metrics } from '../metrics/index.js';

/**
 * The worker's heap limit: four times the store file (the rows, their placement and a view being
 * computed fit in about three), at least 384 MB. Without one, V8 lets garbage from every new data
 * version pile up to gigabytes before it collects (docs/RELIABILITY.md, "Memory").
 */
function heapLimitMb(storePath: string): number {
  let size = 0;
  try {
    size = statSync(storePath).size + (existsSync(`${storePath}-wal`) ? statSync(`${storePath}-wal`).size : 0);
  } catch {
    // No file yet: the floor.
  }
  return Math.max(384, Math.ceil((4 * size) / 1024 / 1024));
}

/** The compiled worker next to this file; absent when running from the TypeScript sources (tests). */
const WORKER = new URL('./metrics-worker.js', import.meta.url);

/** What the worker is asked: a metrics document, or a list (a person's latest conversations, the rows behind a count). */
export type EngineRequest =
  | {
      kind: 'metrics';
      config: Config;
      query: ResolvedQuery;
      /**
       * Open promises do not depend on the window: `share` names the views that have the same
       * ones (a config generation, as-of date, team and source), and `have` the lists the main
       * thread holds (`<hash of the list>|<share>`), which the worker then leaves out of its answer.
       */
      share: string;
      have: readonly string[];
      /** The default view: kept in this file for the next start (first-view.ts), under this key. */
      persist?: { path: string; key: string };
    }
  | { kind: 'list'; config: Config; query: ResolvedQuery; list: ListSpec };

/** A metrics answer: the document, and under which key its open promises are (left out when the main thread has them). */
export interface EngineMetrics {
  metrics: Metrics;
  promises: { key: string; included: boolean };
}

/** The worker's answer: the value and the data version it was computed on, or a failure to rethrow. */
export type EngineReply =
  { id: number; ok: true; version: number; value: unknown } | { id: number; ok: false; code: ErrorCode | null; message: string; details: readonly string[] };

/**
 * Computes metrics in a worker thread that reads the store itself, so no request waits on the
 * event loop while 100 000 interviews are placed (docs/RELIABILITY.md, "Readers don't wait").
 * One worker, requests in order; a worker that dies is started again on the next request.
 */
export class MetricsEngine {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (reply: { version: number; value: unknown }) => void; reject: (error: Error) => void }>();

  constructor(private readonly storePath: string) {}

  /** Whether the compiled worker exists (it does in dist/, which `serve` runs). */
  static available(): boolean {
    return existsSync(fileURLToPath(WORKER));
  }

  /** The build of the worker's code: a view kept by another build is not used. */
  static build(): string {
    return buildStamp(fileURLToPath(WORKER));
  }

  run(request: EngineRequest): Promise<{ version: number; value: unknown }> {
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...request });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER, { workerData: { storePath: this.storePath }, resourceLimits: { maxOldGenerationSizeMb: heapLimitMb(this.storePath) } });
    worker.on('message', (reply: EngineReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve({ version: reply.version, value: reply.value });
      else waiting.reject(reply.code ? new TouchpointError(reply.code, reply.message, reply.details) : new Error(reply.message));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the metrics worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
