import { createHash } from 'node:crypto';
import { realClock, type Clock } from '../../model/clock.js';

/**
 * The one transport every API source sends through: pacing from the moment a request is sent,
 * a deadline per attempt that covers the whole body, a deadline for the whole run, bounded
 * retries with jitter, and a request log. What each API's answers mean is not written here but
 * in a small rule table per API (`notion/rules.ts`, `airtable/rules.ts`): this file is where a
 * 429 is handled. Time comes in through `Clock`, so retry tests are exact.
 */

/** What to do with an answer a rule matches. */
export type Action = 'fail' | 'wait' | 'backoff';

/** One line of an API's rule table: a status (or any 5xx), optionally an error code in the body. */
export interface Rule {
  status: number | '5xx';
  /** Matches when the body carries this code (`rate_limited`, `PUBLIC_API_BILLING_LIMIT_EXCEEDED`, …). */
  code?: string;
  then: Action;
  /** For `wait` without a `Retry-After`: how long the API is known to want (Airtable's 30-second penalty). */
  waitMs?: number;
}

/** How one API says what went wrong: the rules, first match wins; an error status no rule matches fails. */
export interface ApiRules {
  /** The API's name, as messages show it. */
  api: string;
  /** The error codes an error body carries, in any of the API's shapes. */
  errorCodes(body: unknown): string[];
  /** A retry-after the body repeats, where the API writes one there. */
  retryAfter?(body: unknown): string | null;
  rules: readonly Rule[];
}

export interface TransportOptions {
  rules: ApiRules;
  /** Average requests per second; consecutive sends are spaced by at least 1000 / this. */
  requestsPerSecond: number;
  /** One attempt — connection, headers and the whole body — ends after this. */
  attemptTimeoutMs: number;
  /** The whole run (every attempt and wait) ends after this, counted from the first request. */
  runTimeoutMs: number;
  /** Attempts after the first. */
  maxRetries: number;
  /** First backoff; doubles each attempt, with ±50 % jitter. */
  baseDelayMs?: number;
  /** No single backoff waits longer than this. */
  maxDelayMs?: number;
  /** A server asking for a longer wait than this is a failure, not a wait. */
  maxRetryAfterMs?: number;
  /** Base URL and credential: requests on one connection share one pacer in the process. */
  connection: string;
  /** The default `accept` of every request: what every JSON answer of this API looks like. */
  accept?: (json: unknown) => boolean;
  clock?: Clock;
  random?: () => number;
  fetch?: typeof fetch;
}

export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 30_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/** A complete answer: status, headers, the whole body as text, and the body as JSON when it is JSON. */
export interface Exchange {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when the body is empty or not JSON. */
  json: unknown;
}

/** Why a request failed for good. */
export type TransportFailure =
  /** An error status the rules say not to retry, or a retryable one that outlasted the retries. */
  | 'http'
  /** No answer: refused, reset, DNS. */
  | 'network'
  /** An attempt did not finish (headers and body) within its deadline. */
  | 'timeout'
  /** An answer whose body is not JSON, or is cut off: a proxy's page, a truncated body. */
  | 'invalid_response'
  /** The server asked for a wait longer than the policy allows. */
  | 'wait_too_long'
  /** The run's own deadline would pass before the next attempt. */
  | 'deadline';

/** A request that failed for good. The message names the API, method and path, never a credential. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportFailure,
    readonly api: string,
    readonly method: string,
    readonly path: string,
    /** Attempts made, the failed one included. */
    readonly attempts: number,
    /** The last answer, for `http` and `invalid_response`. */
    readonly response: Exchange | null,
    /** The error codes of the last answer's body. */
    readonly codes: readonly string[],
    detail: string,
  ) {
    super(`${api} ${method} ${path}: ${detail}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`);
  }

  get status(): number | null {
    return this.response?.status ?? null;
  }

  static isTransportError(error: unknown): error is TransportError {
    return error instanceof Error && error.name === 'TransportError' && typeof (error as { kind?: unknown }).kind === 'string';
  }
}

/** One attempt, as `--verbose` prints it. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** The HTTP status, or null when no answer arrived. */
  status: number | null;
  /** `ok`, `retry`, `fail`: what the transport did next. */
  outcome: 'ok' | 'retry' | 'fail';
  /** What went wrong, when something did (`timeout`, `not JSON`, `rate_limited`). */
  note: string | null;
  /** 1 for the first try. */
  attempt: number;
  /** Time waited before it was sent (pacing and retry waits). */
  waitMs: number;
  /** Time the attempt took. */
  ms: number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string;
  /** Whether a JSON success is the shape the caller expects; one that is not is retried like a 5xx. */
  accept?: (json: unknown) => boolean;
}

/** Counters for the run report. */
export interface TransportStats {
  requests: number;
  retries: number;
  waitedMs: number;
}

/**
 * Room for network jitter: a window the server counts arrivals in is taken to be this much longer.
 * 75 ms: with 0–60 ms of jitter per request, 50 ms let two of 104 Notion requests land a fourth
 * inside a second (`npm run bench`, BENCHMARKS.md); the cost is 2.5 % at 3 a second.
 */
export const PACING_MARGIN_MS = 75;

/** A connection unused this long is cold: its next request may spend a handshake on the way. */
export const COLD_AFTER_MS = 5_000;

/** A slot taken from the pacer: how long it waited, and `land` to call when its answer came. */
export interface Slot {
  waitedMs: number;
  /** For a request sent on a cold connection, its time counts from when its answer came. */
  land(): void;
}

/**
 * Paces sends to `perSecond`, counted from the moment each request really went out: consecutive
 * sends are at least 1000 / perSecond apart, and no window of a second (plus a margin for jitter)
 * holds more than ⌈perSecond⌉ of them — at 3 a second, never a fourth inside a second, which is
 * how a server counts. A timer that fires late moves the next slot later, never earlier, so no
 * catch-up burst follows. One request at a time takes a slot, in order.
 *
 * The first request on a cold connection (DNS, TCP and TLS first) can reach the server much later
 * than it left while the next ones, on the warm connection, arrive at once; counted from its send
 * time, the server would see a full window early. So its time is the moment its answer came, the
 * latest it can have arrived.
 */
export class Pacer {
  private readonly sent: number[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly perWindow: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock,
    private readonly marginMs = PACING_MARGIN_MS,
  ) {
    this.intervalMs = 1000 / perSecond;
    this.perWindow = Math.max(1, Math.ceil(perSecond - 1e-9));
  }

  /** Resolves when the next request may be sent, and counts that moment as its send time. */
  take(): Promise<Slot> {
    const turn = this.queue.then(async (): Promise<Slot> => {
      const asked = this.clock.now();
      const last = this.sent[this.sent.length - 1];
      const cold = last === undefined || asked - last > COLD_AFTER_MS;
      for (;;) {
        const now = this.clock.now();
        const latest = this.sent[this.sent.length - 1] ?? Number.NEGATIVE_INFINITY;
        const windowStart = this.sent.length >= this.perWindow ? this.sent[this.sent.length - this.perWindow]! : Number.NEGATIVE_INFINITY;
        const wait = Math.max(latest + this.intervalMs, windowStart + 1000 + this.marginMs) - now;
        if (wait <= 0) break;
        await this.clock.sleep(wait);
      }
      const at = this.clock.now();
      this.sent.push(at);
      if (this.sent.length > this.perWindow) this.sent.shift();
      return { waitedMs: at - asked, land: cold ? () => this.land(at) : () => undefined };
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Moves the send time `at` to now (its answer came); later sends keep their order. */
  private land(at: number): void {
    const i = this.sent.indexOf(at);
    if (i === -1) return;
    this.sent[i] = this.clock.now();
    this.sent.sort((a, b) => a - b);
  }
}

const pacers = new Map<string, Pacer>();

/** One pacer per connection in the process, so runs that follow each other keep their spacing. */
function sharedPacer(connection: string, perSecond: number, clock: Clock): Pacer {
  if (clock !== realClock) return new Pacer(perSecond, clock); // fake clocks (tests) get their own
  const key = `${createHash('sha256').update(connection).digest('hex')}:${perSecond}`;
  let pacer = pacers.get(key);
  if (!pacer) pacers.set(key, (pacer = new Pacer(perSecond, clock)));
  return pacer;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** What the rules make of one attempt. */
export type Verdict =
  { then: 'ok' } | { then: 'fail'; kind: TransportFailure; note: string } | { then: 'retry'; waitMs: number | null; kind: TransportFailure; note: string };

type Attempt = { exchange: Exchange } | { failure: 'network' | 'timeout' | 'invalid_response'; note: string };

const isObjectBody = (json: unknown) => typeof json === 'object' && json !== null;

/**
 * Judge one attempt by the API's rules. A success whose body is not JSON, or not the JSON the
 * caller expects (`accept`), is treated like a 5xx. Pure: the table in `transport.test.ts` drives it.
 */
export function judge(rules: ApiRules, attempt: Attempt, now: number, accept?: (json: unknown) => boolean): Verdict {
  if ('failure' in attempt) return { then: 'retry', waitMs: null, kind: attempt.failure, note: attempt.note };
  const { status, json, headers } = attempt.exchange;
  const jsonOk = isObjectBody(json);
  if (status >= 200 && status < 300) {
    if (!jsonOk) return { then: 'retry', waitMs: null, kind: 'invalid_response', note: 'not JSON' };
    return !accept || accept(json) ? { then: 'ok' } : { then: 'retry', waitMs: null, kind: 'invalid_response', note: 'unexpected JSON' };
  }
  const codes = jsonOk ? rules.errorCodes(json) : [];
  const rule = rules.rules.find(
    (r) => (r.status === '5xx' ? status >= 500 && status < 600 : r.status === status) && (r.code === undefined || codes.includes(r.code)),
  );
  const kind: TransportFailure = jsonOk ? 'http' : 'invalid_response';
  const note = codes[0] ?? (jsonOk ? `HTTP ${status}` : `HTTP ${status}, not JSON`);
  if (!rule || rule.then === 'fail') return { then: 'fail', kind, note };
  if (rule.then === 'backoff') return { then: 'retry', waitMs: null, kind, note };
  const asked = retryAfterMs(headers.get('retry-after'), now) ?? (jsonOk ? retryAfterMs(rules.retryAfter?.(json), now) : null);
  return { then: 'retry', waitMs: asked ?? rule.waitMs ?? null, kind, note };
}

/** A short description of a network failure, without the URL (which the caller already names). */
function networkNote(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : 'network error';
}

/** Sends requests to one API under one policy. See the file comment. */
export class Transport {
  readonly stats: TransportStats = { requests: 0, retries: 0, waitedMs: 0 };
  readonly log: RequestLogEntry[] = [];
  private readonly clock: Clock;
  private readonly pacer: Pacer;
  private readonly random: () => number;
  private readonly send: typeof fetch;
  private deadline: number | null = null;

  constructor(private readonly options: TransportOptions) {
    this.clock = options.clock ?? realClock;
    this.pacer = sharedPacer(options.connection, options.requestsPerSecond, this.clock);
    this.random = options.random ?? Math.random;
    this.send = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * One request to a complete JSON answer, under the policy. Throws a TransportError when it
   * fails for good; an error status the rules do not retry fails at once with its answer.
   */
  async request(method: string, url: string, init: RequestOptions = {}): Promise<Exchange> {
    const { rules, maxRetries } = this.options;
    const path = new URL(url).pathname;
    this.deadline ??= this.clock.now() + this.options.runTimeoutMs;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const slot = await this.pacer.take();
      waited += slot.waitedMs;
      const started = this.clock.now();
      if (started >= this.deadline) throw this.deadlineError(method, path, attempt - 1, null);
      this.stats.requests += 1;
      const result = await this.attempt(method, url, init, Math.min(this.options.attemptTimeoutMs, this.deadline - started));
      slot.land();
      const verdict = judge(rules, result, this.clock.now(), init.accept ?? this.options.accept);
      const exchange = 'exchange' in result ? result.exchange : null;
      const entry: RequestLogEntry = {
        method,
        path,
        status: exchange?.status ?? null,
        outcome: 'ok',
        note: null,
        attempt,
        waitMs: waited,
        ms: this.clock.now() - started,
      };
      this.log.push(entry);
      if (verdict.then === 'ok') return exchange!;
      entry.note = verdict.note;
      const codes = exchange && isObjectBody(exchange.json) ? rules.errorCodes(exchange.json) : [];
      const fail = (kind: TransportFailure, detail: string) => {
        entry.outcome = 'fail';
        return new TransportError(kind, rules.api, method, path, attempt, exchange, codes, detail);
      };
      if (verdict.then === 'fail') throw fail(verdict.kind, describe(verdict.kind, verdict.note, exchange));
      if (attempt > maxRetries) throw fail(verdict.kind, describe(verdict.kind, verdict.note, exchange));
      const backoff = Math.min(
        this.options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
        (this.options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS) * 2 ** (attempt - 1) * (0.5 + this.random()),
      );
      const wait = verdict.waitMs ?? backoff;
      const maxWait = this.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
      if (wait > maxWait) throw fail('wait_too_long', `the server asked to wait ${Math.ceil(wait / 1000)} s, longer than ${Math.ceil(maxWait / 1000)} s`);
      if (this.clock.now() + wait >= this.deadline) {
        entry.outcome = 'fail';
        throw this.deadlineError(method, path, attempt, exchange);
      }
      entry.outcome = 'retry';
      this.stats.retries += 1;
      this.stats.waitedMs += wait;
      await this.clock.sleep(wait);
      waited = wait;
    }
  }

  /**
   * The same policy behind a fetch, for clients that take one (the Notion SDK): the answer comes
   * back complete; an error status that failed for good comes back as the response it was, so
   * the client builds its own typed error; everything else rejects with a TransportError.
   */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = init?.headers ? Object.fromEntries(new Headers(init.headers).entries()) : {};
    const body = typeof init?.body === 'string' ? init.body : undefined;
    let exchange: Exchange;
    try {
      exchange = await this.request(init?.method ?? 'GET', url, { headers, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      if (!TransportError.isTransportError(error) || error.kind !== 'http' || !error.response) throw error;
      exchange = error.response;
    }
    return new Response(exchange.text === '' ? null : exchange.text, { status: exchange.status, headers: exchange.headers });
  };

  /** Per-second pacing already counted by `take`; this sends once and reads the whole body before the deadline. */
  private async attempt(method: string, url: string, init: RequestOptions, timeoutMs: number): Promise<Attempt> {
    const signal = AbortSignal.timeout(Math.max(1, timeoutMs));
    try {
      const response = await this.send(url, { method, headers: init.headers, body: init.body, signal, redirect: 'follow' });
      // The same signal ends a body that stops or trickles: the deadline covers the answer, not its headers.
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (signal.aborted) throw error;
        return { failure: 'invalid_response', note: `the answer (HTTP ${response.status}) was cut off: ${networkNote(error)}` };
      }
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { exchange: { status: response.status, headers: response.headers, text, json } };
    } catch (error) {
      if (signal.aborted) return { failure: 'timeout', note: `no complete answer within ${Math.round(timeoutMs / 100) / 10} s` };
      return { failure: 'network', note: networkNote(error) };
    }
  }

  private deadlineError(method: string, path: string, attempts: number, exchange: Exchange | null): TransportError {
    const minutes = Math.round(this.options.runTimeoutMs / 6000) / 10;
    return new TransportError(
      'deadline',
      this.options.rules.api,
      method,
      path,
      Math.max(1, attempts),
      exchange,
      [],
      `the run reached its deadline of ${minutes} min`,
    );
  }
}

function describe(kind: TransportFailure, note: string, exchange: Exchange | null): string {
  switch (kind) {
    case 'invalid_response': {
      if (!exchange) return note;
      if (note === 'unexpected JSON') return `the answer is JSON, but not what the API sends (HTTP ${exchange?.status ?? '?'})`;
      const type = exchange?.headers.get('content-type')?.split(';')[0] ?? 'no content type';
      const start = (exchange?.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
      return `the answer is not JSON (HTTP ${exchange?.status ?? '?'}, ${type}${start ? `, starting "${start}"` : ', empty'})`;
    }
    case 'http':
      return `HTTP ${exchange?.status ?? '?'} ${note}`;
    default:
      return note;
  }
}
