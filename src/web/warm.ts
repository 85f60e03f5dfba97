import { Agent, get } from 'node:http';
import { PAGES } from './pages.js';

/**
 * Asks a just-started dashboard for its main pages, one after the other, as a reader would (same
 * host check, token, handlers). Each is then kept (kept.ts): the first readers after a restart
 * are answered from a rendering, and none of them waits for a cold template while a crowd
 * arrives. A page that fails is left to its first reader, who is told why.
 *
 * Over node:http, which the server has loaded, not `fetch`: the first `fetch` of a process loads
 * its client (40–50 ms), and it ran in the very turn the first reader's page was due.
 */
export async function warmPages(origin: string, token: string | null, paths: readonly string[] = PAGES.map((p) => p.path)): Promise<number> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let warmed = 0;
  try {
    for (const path of paths) if (await answered(new URL(path, origin), headers, agent)) warmed += 1;
  } finally {
    agent.destroy();
  }
  return warmed;
}

/** Whether a GET answered 2xx, its body read to the end; false for a failure or a server that stopped. */
function answered(url: URL, headers: Record<string, string>, agent: Agent): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, { headers, agent }, (res) => {
      res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
      res.on('error', () => resolve(false));
      res.resume();
    }).on('error', () => resolve(false));
  });
}
