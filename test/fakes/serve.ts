import type { Server } from 'node:http';
import { createServer } from '@mswjs/http-middleware';
import type { HttpHandler } from 'msw';

/** The same msw handlers, served on 127.0.0.1 for end-to-end runs of the real CLI. */
export interface ServedFake {
  url: string;
  /** Requests no handler matched: a test fails on any. */
  unhandled: string[];
  close(): Promise<void>;
}

export async function serveOnLoopback(handlers: HttpHandler[]): Promise<ServedFake> {
  const unhandled: string[] = [];
  // http-middleware declares msw types of its own copy; the handlers are the same at run time.
  const app = createServer(...(handlers as unknown as Parameters<typeof createServer>));
  app.use((req, res) => {
    unhandled.push(`${req.method} ${req.url}`);
    res.status(500).json({ error: 'unhandled request in the fake' });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, unhandled, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
