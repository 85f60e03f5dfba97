import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  COLD_AFTER_MS,
  PACING_MARGIN_MS,
  Pacer,
  Transport,
  TransportError,
  judge,
  type ApiRules,
  type TransportOptions,
} from '../../../src/sources/kit/transport.js';
import { NOTION_RULES } from '../../../src/sources/notion/rules.js';
import { AIRTABLE_RULES } from '../../../src/sources/airtable/rules.js';
import type { Clock } from '../../../src/model/clock.js';

/** What the loopback server does for one request. */
type Answer =
  | { status: number; headers?: Record<string, string>; body: string }
  /** Headers, the start of a body, and then nothing: the connection stays open. */
  | { stall: true }
  /** Headers promise more than arrives, and the connection closes. */
  | { truncate: string };

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const ok = json(200, { object: 'list', results: [], records: [] });
const T0 = Date.parse('2026-11-30T12:00:00.000Z');

let server: Server;
let base = '';
let script: Answer[] = [];
let received = 0;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    received += 1;
    const answer = script.shift() ?? json(500, { error: 'script ran out' });
    if ('stall' in answer) {
      open.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"object":"list","results":[');
      return;
    }
    if ('truncate' in answer) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.truncate.length + 100) });
      res.write(answer.truncate);
      res.socket?.destroy();
      return;
    }
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function fakeClock(): Clock & { sleeps: number[] } {
  let t = T0;
  const sleeps: number[] = [];
  return { sleeps, now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)) };
}

function transport(rules: ApiRules, clock: Clock, options: Partial<TransportOptions> = {}) {
  return new Transport({
    rules,
    connection: 'test',
    requestsPerSecond: 1000,
    attemptTimeoutMs: 300,
    runTimeoutMs: 3_600_000,
    maxRetries: 3,
    clock,
    random: () => 0.5,
    ...options,
  });
}

const httpDate = new Date(T0 + 10_000).toUTCString();

describe('the transport: answer → verdict, and the exact sleeps under the injected clock', () => {
  test.each<[string, ApiRules, Answer[], Partial<TransportOptions>, { result: 'ok' | string; sleeps: number[]; attempts: number }]>([
    ['a JSON 200', NOTION_RULES, [ok], {}, { result: 'ok', sleeps: [], attempts: 1 }],
    [
      'Notion 429 with Retry-After: 27',
      NOTION_RULES,
      [json(429, { object: 'error', code: 'rate_limited' }, { 'retry-after': '27' }), ok],
      {},
      { result: 'ok', sleeps: [27_000], attempts: 2 },
    ],
    [
      'Notion 429 with the wait only in the body',
      NOTION_RULES,
      [json(429, { object: 'error', code: 'rate_limited', additional_data: { retry_after: '5' } }), ok],
      {},
      { result: 'ok', sleeps: [5000], attempts: 2 },
    ],
    [
      'Notion 429 with an HTTP-date Retry-After',
      NOTION_RULES,
      [json(429, { object: 'error', code: 'rate_limited' }, { 'retry-after': httpDate }), ok],
      {},
      { result: 'ok', sleeps: [10_000], attempts: 2 },
    ],
    [
      'Notion 429 blocked: retrying will not help',
      NOTION_RULES,
      [json(429, { object: 'error', code: 'rate_limited', additional_data: { rate_limit_reason: 'public_api_request_blocked' } })],
      {},
      { result: 'http', sleeps: [], attempts: 1 },
    ],
    [
      'Notion 529 without a wait: back off',
      NOTION_RULES,
      [json(529, { object: 'error', code: 'service_overload' }), ok],
      {},
      { result: 'ok', sleeps: [1000], attempts: 2 },
    ],
    [
      'Notion 503 twice on the query, then 200',
      NOTION_RULES,
      [json(503, { object: 'error', code: 'service_unavailable' }), json(503, { object: 'error', code: 'service_unavailable' }), ok],
      {},
      { result: 'ok', sleeps: [1000, 2000], attempts: 3 },
    ],
    ['Notion 404 fails at once', NOTION_RULES, [json(404, { object: 'error', code: 'object_not_found' })], {}, { result: 'http', sleeps: [], attempts: 1 }],
    [
      'Airtable 429 (errors[] shape): the 30-second penalty',
      AIRTABLE_RULES,
      [json(429, { errors: [{ error: 'RATE_LIMIT_REACHED' }] }), ok],
      {},
      { result: 'ok', sleeps: [30_000], attempts: 2 },
    ],
    [
      'Airtable 429 (documented shape)',
      AIRTABLE_RULES,
      [json(429, { error: { type: 'RATE_LIMIT_REACHED' } }), ok],
      {},
      { result: 'ok', sleeps: [30_000], attempts: 2 },
    ],
    [
      'Airtable monthly quota fails at once',
      AIRTABLE_RULES,
      [json(429, { errors: [{ error: 'PUBLIC_API_BILLING_LIMIT_EXCEEDED' }] })],
      {},
      { result: 'http', sleeps: [], attempts: 1 },
    ],
    [
      'a wait longer than the maximum is a failure',
      NOTION_RULES,
      [json(429, { object: 'error', code: 'rate_limited' }, { 'retry-after': '600' })],
      {},
      { result: 'wait_too_long', sleeps: [], attempts: 1 },
    ],
    ['a body that stops after the headers times out, then succeeds', AIRTABLE_RULES, [{ stall: true }, ok], {}, { result: 'ok', sleeps: [1000], attempts: 2 }],
    ['a truncated body is retried like a 5xx', AIRTABLE_RULES, [{ truncate: '{"records":[{"id":"rec' }, ok], {}, { result: 'ok', sleeps: [1000], attempts: 2 }],
    [
      'a non-JSON 200, every time: invalid response after the retries',
      NOTION_RULES,
      [
        { status: 200, body: 'OK' },
        { status: 200, body: 'OK' },
        { status: 200, body: 'OK' },
        { status: 200, body: 'OK' },
      ],
      {},
      { result: 'invalid_response', sleeps: [1000, 2000, 4000], attempts: 4 },
    ],
    [
      'JSON that is not a Notion object is retried',
      NOTION_RULES,
      [json(200, { ok: true }), ok],
      { accept: (j) => typeof (j as { object?: unknown }).object === 'string' },
      { result: 'ok', sleeps: [1000], attempts: 2 },
    ],
    [
      "a proxy's HTML 502 page, then 200",
      NOTION_RULES,
      [{ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><h1>502 Bad Gateway</h1></html>' }, ok],
      {},
      { result: 'ok', sleeps: [1000], attempts: 2 },
    ],
    [
      "a proxy's HTML 403 page fails at once, as not JSON",
      NOTION_RULES,
      [{ status: 403, headers: { 'content-type': 'text/html' }, body: '<html>Forbidden</html>' }],
      {},
      { result: 'invalid_response', sleeps: [], attempts: 1 },
    ],
    [
      'never loops forever: 503 every time',
      AIRTABLE_RULES,
      Array.from({ length: 4 }, () => json(503, { error: { type: 'RETRIABLE_ERROR' } })),
      {},
      { result: 'http', sleeps: [1000, 2000, 4000], attempts: 4 },
    ],
    [
      'backoff doubles up to its cap',
      AIRTABLE_RULES,
      Array.from({ length: 7 }, () => json(503, {})),
      { maxRetries: 6, maxDelayMs: 10_000 },
      { result: 'http', sleeps: [1000, 2000, 4000, 8000, 10_000, 10_000], attempts: 7 },
    ],
    [
      'the run deadline ends the retries',
      AIRTABLE_RULES,
      Array.from({ length: 3 }, () => json(503, {})),
      { maxRetries: 10, runTimeoutMs: 5000 },
      { result: 'deadline', sleeps: [1000, 2000], attempts: 3 },
    ],
  ])('%s', async (_name, rules, answers, options, expected) => {
    script = [...answers];
    received = 0;
    const clock = fakeClock();
    const t = transport(rules, clock, options);
    const outcome = await t.request('GET', `${base}/v1/x`).then(
      () => 'ok',
      (error: unknown) => (TransportError.isTransportError(error) ? error.kind : `not a TransportError: ${String(error)}`),
    );
    expect({ result: outcome, sleeps: clock.sleeps, attempts: received }).toEqual(expected);
    expect(t.log.map((e) => e.attempt)).toEqual(Array.from({ length: expected.attempts }, (_, i) => i + 1));
    expect(t.stats).toMatchObject({ requests: expected.attempts, retries: expected.sleeps.length });
  });

  test('a refused connection is a network failure, retried, and says so without the URL query', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const clock = fakeClock();
    const t = transport(NOTION_RULES, clock, { maxRetries: 1 });
    const error = await t
      .request('GET', `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/x?secret=1`)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', message: expect.stringMatching(/^Notion GET \/v1\/x: ECONNREFUSED \(after 2 attempts\)$/) });
    expect(clock.sleeps).toEqual([1000]);
  });

  test('the request log says what happened to each attempt', async () => {
    script = [json(429, { object: 'error', code: 'rate_limited' }, { 'retry-after': '2' }), ok];
    const t = transport(NOTION_RULES, fakeClock());
    await t.request('POST', `${base}/v1/data_sources/abc/query`, { body: '{}' });
    expect(t.log.map(({ ms: _ms, ...e }) => e)).toEqual([
      { method: 'POST', path: '/v1/data_sources/abc/query', status: 429, outcome: 'retry', note: 'rate_limited', attempt: 1, waitMs: 0 },
      { method: 'POST', path: '/v1/data_sources/abc/query', status: 200, outcome: 'ok', note: null, attempt: 2, waitMs: 2000 },
    ]);
  });

  test('behind a fetch, a final error status comes back as the response it was', async () => {
    script = [json(404, { object: 'error', code: 'object_not_found', message: 'gone' })];
    const response = await transport(NOTION_RULES, fakeClock()).fetch(`${base}/v1/pages/x`);
    expect([response.status, await response.json()]).toEqual([404, { object: 'error', code: 'object_not_found', message: 'gone' }]);
  });
});

test('judge: an error status that no rule names fails at once', () => {
  expect(judge(NOTION_RULES, { exchange: { status: 418, headers: new Headers(), text: '{}', json: {} } }, T0)).toEqual({
    then: 'fail',
    kind: 'http',
    note: 'HTTP 418',
  });
});

describe('pacing from the send time', () => {
  /** A clock whose timers fire late by up to `lateMs`, as a busy event loop does. */
  function lateClock(lateMs: number, seed = 7): Clock {
    let t = T0;
    let s = seed;
    const random = () => (s = (s * 16807) % 2147483647) / 2147483647;
    return { now: () => t, sleep: async (ms) => void (t += ms + random() * lateMs) };
  }

  test.each([
    [4.5, 0],
    [4.5, 80],
    [4.5, 400],
    [3, 0],
    [3, 80],
    [10, 30],
  ])('at %s a second, with timers up to %i ms late, no sliding second holds more than the budget allows', async (perSecond, lateMs) => {
    const clock = lateClock(lateMs);
    const pacer = new Pacer(perSecond, clock);
    const sent: number[] = [];
    for (let i = 0; i < 200; i++) {
      await pacer.take();
      sent.push(clock.now());
      // The caller itself is sometimes slow (a page to map): the next slot never comes earlier for it.
      if (i % 7 === 0) await clock.sleep(300);
    }
    const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / perSecond - 1e-3);
    let worst = 0;
    for (let i = 0; i < sent.length; i++) worst = Math.max(worst, sent.filter((t) => t >= sent[i]! && t < sent[i]! + 1000).length);
    // 3 a second: never a fourth in any second, as the server counts; 4.5: at most 5, Airtable's own limit.
    expect(worst).toBeLessThanOrEqual(Math.ceil(perSecond));
    // And not much slower than the budget, the caller's own pauses (300 ms every 7th) aside.
    const rate = (sent.length - 1) / ((sent[sent.length - 1]! - sent[0]!) / 1000);
    if (lateMs === 0) expect(rate).toBeGreaterThan(perSecond * 0.6);
  });

  test('a request on a cold connection counts from when its answer came; warm ones from when they left', async () => {
    const clock = lateClock(0);
    const pacer = new Pacer(3, clock);
    const sent: number[] = [];
    const first = await pacer.take();
    sent.push(clock.now());
    await clock.sleep(400); // a handshake first: the request may reach the server only now
    first.land();
    for (let i = 0; i < 3; i++) {
      const slot = await pacer.take();
      sent.push(clock.now());
      await clock.sleep(20);
      slot.land(); // warm: no effect
    }
    // The fourth is a full second (and the margin) after the first's answer, not its send.
    const landed = sent[0]! + 400;
    expect(sent[3]! - landed).toBeGreaterThanOrEqual(1000 + PACING_MARGIN_MS);
    expect(sent[1]! - landed).toBeCloseTo(1000 / 3, 3);
    expect(sent[2]! - sent[1]!).toBeCloseTo(1000 / 3, 3);
    // Idle past COLD_AFTER_MS, the next request is cold again.
    await clock.sleep(COLD_AFTER_MS + 1);
    const cold = await pacer.take();
    const coldAt = clock.now();
    await clock.sleep(300);
    cold.land();
    await pacer.take();
    expect(clock.now() - coldAt).toBeCloseTo(300 + 1000 / 3, 3);
  });
});
