import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what survived its last full collection, for a long-running
 * `serve`: 35 %. By default it grows by up to 4× under a high allocation rate, which is what a
 * dashboard under load has (every request's garbage): 80 MB of live views sat in 280 MB of heap.
 * At 20 % the heaps stayed tight, but under a crowd the dashboard's thread ran a full collection
 * every second or two, each holding the event loop for up to 150 ms on a busy 2-core machine; at
 * 35 % those are rarer, and the server stays near 470–485 MB after the benchmark's loads at
 * 100 000 interviews, where 50 % and more cross 500 MB (BENCHMARKS.md, docs/RELIABILITY.md).
 */
export const HEAP_GROWING_PERCENT = 35;

/**
 * Applies HEAP_GROWING_PERCENT to every isolate of the process (V8's flags are process-wide,
 * and the limit is recomputed after each collection, so worker threads started later follow
 * it too), unless the command line sets its own.
 */
export function keepHeapsTight(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
