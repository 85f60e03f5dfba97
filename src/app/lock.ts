import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { TouchpointError } from '../errors.js';

/** A held lock; `release` is idempotent. */
export interface Lock {
  release(): void;
}

const POLL_MS = 250;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One sync at a time on a store, across processes: a lock file beside it holding the pid, created
 * exclusively. A second sync waits up to `waitMs`, then says who holds it; a lock left by a process
 * that died (SIGKILL) is taken over. Stores in memory need none.
 */
export async function acquireSyncLock(storePath: string, waitMs: number): Promise<Lock> {
  if (storePath === ':memory:') return { release: () => {} };
  const path = `${storePath}.sync-lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      return {
        release: () => {
          if (held) rmSync(path, { force: true });
          held = false;
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(path, 'utf8').trim());
    } catch {
      continue; // released between our two calls: try again
    }
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
      rmSync(path, { force: true }); // left by a process that died
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TouchpointError('sync_locked', `Another sync is running on this store (pid ${pid}); nothing was done. Try again when it has finished.`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
