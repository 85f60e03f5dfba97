import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what survived its last full collection, for a long-running
 * `serve`: 20 %. By default it grows by up to 4× under a high allocation rate, which is what a
 * dashboard under load has (every request's garbage), so 80 MB of live views sat in 280 MB of
 * heap and the rows' worker likewise; at 20 % the process peaks at about 650 MB at 100 000
 * interviews instead of 1 GB, at the same latencies (BENCHMARKS.md, docs/RELIABILITY.md "Memory").
 */
export const HEAP_GROWING_PERCENT = 20;

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
