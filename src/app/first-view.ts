import { closeSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { Metrics } from '../metrics/index.js';
import { VERSION } from '../version.js';
import { jsonHash } from './json-hash.js';

/**
 * The default view (no team, the default window, every source, as of today), kept in a file next
 * to the store by the metrics worker each time it computes it for a new data version, so that
 * `serve`, started again, answers its first page at once instead of after reading and placing
 * every row (1.8 s at 100 000 interviews). It is used only for the config, as-of date and build it
 * was made of. Of an older data version (a sync ran while the dashboard was stopped), it serves as
 * a stale view does after a sync: at once, while the current one is computed behind it. It holds
 * what the dashboard shows, as the store does, and is safe to delete.
 */
export interface FirstView {
  /** What it was made of: build, config, query (`firstViewKey`). */
  key: string;
  version: number;
  metrics: Metrics;
}

/** Where the default view of the store at `storePath` is kept. */
export function firstViewPath(storePath: string): string {
  return `${storePath}-view.json`;
}

/** The key of a view: touchpoint's build (a rebuilt worker changes it), the config and the query. */
export function firstViewKey(config: Config, queryKey: string, build: string): string {
  return `${VERSION}|${build}|${jsonHash(config)}|${queryKey}`;
}

/** The build a file was compiled into (its size and modification time): views of another build are not used. */
export function buildStamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}-${Math.round(s.mtimeMs)}`;
  } catch {
    return 'unknown';
  }
}

/** Write the view whole or not at all (a rename), off the dashboard's thread (the worker calls it). */
export function writeFirstView(path: string, view: FirstView): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(view));
    renameSync(tmp, path);
  } catch {
    // A read-only directory or a full disk: the next start reads the rows, as without the file.
    rmSync(tmp, { force: true });
  }
}

/** The kept view if it has this key and is of this data version or an older one; null otherwise (absent, another build or config, damaged). */
export function readFirstView(path: string, version: number, key: string): { version: number; metrics: Metrics } | null {
  try {
    const view = JSON.parse(readFileSync(path, 'utf8')) as Partial<FirstView>;
    if (view.key !== key || typeof view.version !== 'number' || view.version > version || !view.metrics) return null;
    return { version: view.version, metrics: view.metrics };
  } catch {
    return null;
  }
}

/** The key of the kept view, read from the file's first bytes (it is written first), or null. */
export function keptFirstViewKey(path: string): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4096);
    const read = readSync(fd, head, 0, head.length, 0);
    const match = /^\{"key":("(?:[^"\\]|\\.)*")/.exec(head.subarray(0, read).toString('utf8'));
    return match ? (JSON.parse(match[1]!) as string) : null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
