import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { takeTurns } from '../../src/web/turns.js';
import { warmPages } from '../../src/web/warm.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('takeTurns: a crowd is answered a slice of the event loop at a time', () => {
  test('each turn answers until its slice is spent, in order; a skipped path is answered at once', async () => {
    let clock = 0;
    const admit = takeTurns({ sliceMs: 10, now: () => clock, skip: (path) => path === '/healthz' });
    const answered: string[] = [];
    const ask = (path: string) =>
      admit(
        { path } as Request,
        {} as Response,
        (() => {
          answered.push(path);
          clock += 4; // each request costs 4 ms
        }) as NextFunction,
      );
    for (const n of [1, 2, 3, 4, 5, 6]) ask(`/p${n}`);
    ask('/healthz');
    expect(answered).toEqual(['/healthz']);
    await turn();
    // 4 + 4 + 4 ms reach the 10 ms slice: three in the first turn.
    expect(answered).toEqual(['/healthz', '/p1', '/p2', '/p3']);
    await turn();
    expect(answered).toEqual(['/healthz', '/p1', '/p2', '/p3', '/p4', '/p5', '/p6']);
    // The queue emptied: a new request starts a new round.
    ask('/p7');
    await turn();
    expect(answered.at(-1)).toBe('/p7');
  });
});

describe('warmPages: a just-started dashboard renders its main pages before readers come', () => {
  let server: Server | null = null;
  afterEach(() => server?.close());

  test('asks for each page in turn, with the token, and counts the ones that answered', async () => {
    const asked: Array<{ path: string | undefined; auth: string | undefined }> = [];
    server = createServer((req, res) => {
      asked.push({ path: req.url, auth: req.headers.authorization });
      res.statusCode = req.url === '/broken' ? 500 : 200;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const warmed = await warmPages(`http://127.0.0.1:${port}`, 't0ken', ['/', '/broken', '/people']);
    expect(warmed).toBe(2);
    expect(asked).toEqual([
      { path: '/', auth: 'Bearer t0ken' },
      { path: '/broken', auth: 'Bearer t0ken' },
      { path: '/people', auth: 'Bearer t0ken' },
    ]);
  });
});
