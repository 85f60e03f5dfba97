import { PAGES } from './pages.js';

/**
 * Asks a just-started dashboard for its main pages, one after the other, as a reader would (same
 * host check, token, handlers). Each is then kept (kept.ts): the first readers after a restart
 * are answered from a rendering, and none of them waits for a cold template while a crowd
 * arrives. A page that fails is left to its first reader, who is told why.
 */
export async function warmPages(origin: string, token: string | null, paths: readonly string[] = PAGES.map((p) => p.path)): Promise<number> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let warmed = 0;
  for (const path of paths) {
    try {
      const res = await fetch(new URL(path, origin), { headers });
      await res.arrayBuffer();
      if (res.ok) warmed += 1;
    } catch {
      // The server stopped, or the page failed: its reader will see the error page.
    }
  }
  return warmed;
}
