import { closeSync, openSync, readSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

/** The window /healthz reports the event loop's delays over, then starts afresh. */
export const LOOP_WINDOW_MS = 60_000;

/** How often the loop is looked at, by the histogram and by the turn watch. */
const RESOLUTION_MS = 10;

/**
 * The window's most delayed turn of the loop, and what it was spent on (Linux): this thread's own work
 * (requests, collections) or waiting for a CPU that other threads and processes held.
 */
export interface WorstTurn {
  /** How much later than due the loop turned. */
  lateMs: number;
  /** Of the turn, the time this thread ran: what the server's own work held the loop. */
  ranMs: number;
  /** Of the turn, the time this thread was ready but had no CPU. */
  waitedForCpuMs: number;
}

/** How long the event loop was held up (a request waited to start) in the current window. */
export interface LoopDelay {
  maxDelayMs: number;
  p99DelayMs: number;
  /** The most delayed turn and its split; null where the kernel does not say (not Linux). */
  worstTurn: WorstTurn | null;
  /** The most this thread ran in any one late turn: the longest the server's own work held the loop (Linux; else null). */
  ownWorkMaxMs: number | null;
  /** How long the window has run so far. */
  sinceSeconds: number;
}

let histogram: IntervalHistogram | null = null;
let watch: TurnWatch | null = null;
let since = 0;

/** The event loop's delays since the window started; the first call (createApp makes it) starts watching, every 10 ms. */
export function loopDelay(now = Date.now()): LoopDelay {
  if (histogram === null) {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    watch = TurnWatch.start();
    since = now;
  }
  const ms = (value: number) => Math.round(value * 10) / 10;
  const worst = watch?.worst ?? null;
  const delay = {
    maxDelayMs: histogram.count ? ms(histogram.max / 1e6) : 0,
    p99DelayMs: histogram.count ? ms(histogram.percentile(99) / 1e6) : 0,
    worstTurn: worst && { lateMs: ms(worst.lateMs), ranMs: ms(worst.ranMs), waitedForCpuMs: ms(worst.waitedForCpuMs) },
    ownWorkMaxMs: watch ? ms(watch.ownWorkMaxMs) : null,
    sinceSeconds: Math.round((now - since) / 1000),
  };
  if (now - since >= LOOP_WINDOW_MS) startLoopWindow(now);
  return delay;
}

/** Starts the window afresh (as each minute does): what came before is no longer reported. */
export function startLoopWindow(now = Date.now()): void {
  if (histogram === null) return void loopDelay(now);
  histogram.reset();
  watch?.reset();
  since = now;
}

/**
 * A timer every 10 ms that reads this thread's scheduler counters (`/proc/thread-self/schedstat`:
 * nanoseconds on a CPU, then nanoseconds ready and waiting for one) and keeps the most delayed
 * turn with what it was spent on. A loop held up by the server's own work shows as time ran; on a
 * machine whose cores are busy with other processes, as time waited.
 */
class TurnWatch {
  worst: WorstTurn | null = null;
  ownWorkMaxMs = 0;
  private readonly buffer = Buffer.alloc(128);
  private last = performance.now();
  private counters: [number, number];
  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly fd: number) {
    this.counters = this.read() ?? [0, 0];
    this.timer = setInterval(() => this.tick(), RESOLUTION_MS);
    this.timer.unref();
  }

  /** Watching, where the kernel gives a thread's counters; null elsewhere. */
  static start(): TurnWatch | null {
    try {
      return new TurnWatch(openSync('/proc/thread-self/schedstat', 'r'));
    } catch {
      return null;
    }
  }

  reset(): void {
    this.worst = null;
    this.ownWorkMaxMs = 0;
  }

  private read(): [number, number] | null {
    try {
      const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      const [ran, waited] = this.buffer.toString('latin1', 0, length).split(' ').map(Number);
      return ran === undefined || waited === undefined || !Number.isFinite(ran + waited) ? null : [ran, waited];
    } catch {
      return null;
    }
  }

  private tick(): void {
    const now = performance.now();
    const counters = this.read();
    if (counters === null) {
      // The counters went away (they never do on a running Linux): the watch stops, the histogram goes on.
      clearInterval(this.timer);
      closeSync(this.fd);
      return;
    }
    const late = now - this.last - RESOLUTION_MS;
    const ranMs = (counters[0] - this.counters[0]) / 1e6;
    if (late > (this.worst?.lateMs ?? 0)) this.worst = { lateMs: late, ranMs, waitedForCpuMs: (counters[1] - this.counters[1]) / 1e6 };
    if (late > 0 && ranMs > this.ownWorkMaxMs) this.ownWorkMaxMs = ranMs;
    this.last = now;
    this.counters = counters;
  }
}
