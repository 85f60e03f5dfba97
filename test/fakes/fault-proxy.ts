/**
 * A small fault proxy on 127.0.0.1 between touchpoint and a loopback fake: it forwards every
 * request, except those a scripted fault matches, which get a misbehaving answer instead.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';

export type FaultKind =
  /** Headers and the start of a body, then nothing: the connection stays open. */
  | 'stall'
  /** The real answer, cut off half-way, and the connection closed. */
  | 'truncate'
  /** A proxy's HTML error page. */
  | 'html-502'
  /** 200 with a body that is not JSON. */
  | 'not-json'
  /** The connection reset before any answer. */
  | 'reset';

export interface Fault {
  match: (method: string, path: string) => boolean;
  kind: FaultKind;
  times: number;
}

export interface FaultProxy {
  url: string;
  faults: Fault[];
  /** Every request that reached the proxy, `METHOD /path`. */
  seen: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const faults: Fault[] = [];
  const seen: string[] = [];
  const open = new Set<ServerResponse>();
  const upstream = new URL(target);
  const pass = (req: IncomingMessage, res: ServerResponse, body: Buffer, cut: boolean) => {
    const out = forward(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const whole = Buffer.concat(chunks);
          const headers = { ...answer.headers };
          delete headers['transfer-encoding'];
          if (!cut) {
            res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(whole.length) });
            res.end(whole);
            return;
          }
          res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(whole.length) });
          res.write(whole.subarray(0, Math.floor(whole.length / 2)));
          // Let the headers and the first half arrive, then cut the connection.
          setTimeout(() => res.socket?.destroy(), 50);
        });
      },
    );
    out.on('error', () => res.socket?.destroy());
    out.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push(`${req.method} ${path}`);
      const fault = faults.find((f) => f.times > 0 && f.match(req.method ?? 'GET', path));
      if (fault) fault.times -= 1;
      switch (fault?.kind) {
        case 'stall':
          open.add(res);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"records":[');
          return;
        case 'html-502':
          res.writeHead(502, { 'content-type': 'text/html' });
          res.end('<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
          return;
        case 'not-json':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('OK');
          return;
        case 'reset':
          req.socket.destroy();
          return;
        default:
          pass(req, res, Buffer.concat(chunks), fault?.kind === 'truncate');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    seen,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
