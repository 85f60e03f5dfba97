import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The window /healthz reports the event loop's delays over, then starts afresh. */
export const LOOP_WINDOW_MS = 60_000;

/** How long the event loop was held up (a request waited to start) in the current window. */
export interface LoopDelay {
  maxDelayMs: number;
  p99DelayMs: number;
  /** How long the window has run so far. */
  sinceSeconds: number;
}

let histogram: IntervalHistogram | null = null;
let since = 0;

/** The event loop's delays since the window started; the first call (createApp makes it) starts watching, every 10 ms. */
export function loopDelay(now = Date.now()): LoopDelay {
  if (histogram === null) {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    since = now;
  }
  const ns = (value: number) => Math.round(value / 1e5) / 10; // ns → ms, one decimal
  const delay = {
    maxDelayMs: histogram.count ? ns(histogram.max) : 0,
    p99DelayMs: histogram.count ? ns(histogram.percentile(99)) : 0,
    sinceSeconds: Math.round((now - since) / 1000),
  };
  if (now - since >= LOOP_WINDOW_MS) {
    histogram.reset();
    since = now;
  }
  return delay;
}
