import { createHash } from 'node:crypto';

/**
 * Rate limits as a budget: one pacer per API connection and one retry policy, used by every
 * API source. Time comes in through `Clock`, so tests run without real waiting.
 */

/** The clock an API client waits on; the real one, or a fake that only records. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Counters for the run report. */
export interface HttpStats {
  requests: number;
  retries: number;
  waitedMs: number;
}

/** Spaces requests evenly so the average stays at or under `perSecond`. */
export class Pacer {
  private next = 0;
  private readonly intervalMs: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock,
  ) {
    // 5 % under the limit: the server measures arrivals, which jitter.
    this.intervalMs = 1000 / (perSecond * 0.95);
  }

  /** Resolve when the next request may be sent; returns how long it waited. */
  async take(): Promise<number> {
    const now = this.clock.now();
    const wait = Math.max(0, this.next - now);
    this.next = Math.max(now, this.next) + this.intervalMs;
    if (wait > 0) await this.clock.sleep(wait);
    return wait;
  }
}

const pacers = new Map<string, Pacer>();

/**
 * One pacer per API connection (base URL + credential) and clock in this process, so runs that
 * follow each other — a scheduled sync after a manual one — keep the spacing between them.
 */
export function sharedPacer(connection: string, perSecond: number, clock: Clock): Pacer {
  const key = `${createHash('sha256').update(connection).digest('hex')}:${perSecond}`;
  if (clock !== realClock) return new Pacer(perSecond, clock); // fake clocks (tests) get their own
  let pacer = pacers.get(key);
  if (!pacer) pacers.set(key, (pacer = new Pacer(perSecond, clock)));
  return pacer;
}

/** What one failed attempt means for the next. */
export type Verdict =
  /** The server asked us to wait this long (429, 529); `null` when it did not say how long. */
  | { retry: 'after'; ms: number | null }
  /** A transient failure (5xx, timeout, network): back off. */
  | { retry: 'backoff' }
  /** Not worth repeating: the error goes to the caller. */
  | { retry: 'no' };

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** First backoff; doubles each attempt, with ±50 % jitter. */
  baseDelayMs: number;
  /** No single backoff waits longer than this. */
  maxDelayMs: number;
  /** A server asking for a longer wait than this is an error, not a wait. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** Thrown when a server asks for a wait longer than the policy allows. */
export class RetryAfterTooLong extends Error {
  constructor(
    readonly ms: number,
    cause: unknown,
  ) {
    super(`the server asked to wait ${Math.ceil(ms / 1000)} s`, { cause });
  }
}

/**
 * Run `attempt` under the policy: pace every try, wait on `after`, back off on `backoff`,
 * give up after `maxRetries` (the last error is thrown). Never loops forever.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  classify: (error: unknown) => Verdict,
  options: { policy: RetryPolicy; pacer: Pacer; clock: Clock; stats: HttpStats; random?: () => number },
): Promise<T> {
  const { policy, pacer, clock, stats } = options;
  const random = options.random ?? Math.random;
  for (let tries = 0; ; tries++) {
    stats.waitedMs += await pacer.take();
    stats.requests += 1;
    try {
      return await attempt();
    } catch (error) {
      const verdict = classify(error);
      if (verdict.retry === 'no' || tries >= policy.maxRetries) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** tries * (0.5 + random()));
      let wait = backoff;
      if (verdict.retry === 'after' && verdict.ms !== null) {
        if (verdict.ms > policy.maxRetryAfterMs) throw new RetryAfterTooLong(verdict.ms, error);
        wait = verdict.ms;
      }
      stats.retries += 1;
      stats.waitedMs += wait;
      await clock.sleep(wait);
    }
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A fetch that aborts after `timeoutMs` (the Notion SDK's own timeout only races, it never aborts). */
export function fetchWithTimeout(timeoutMs: number, base: typeof fetch = (...args) => fetch(...args)): typeof fetch {
  return (input, init) => base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) });
}
