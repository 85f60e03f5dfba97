import { readdirSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The CPU niceness of background work (view computing, syncs): below a reader's request, above nothing else. */
export const BACKGROUND_NICENESS = 10;

/**
 * Lowers the calling thread's CPU priority to BACKGROUND_NICENESS, so that on a busy machine the
 * thread that answers readers gets a core first (docs/RELIABILITY.md "Availability"). On Linux a
 * niceness belongs to one thread, named by `/proc/thread-self`; elsewhere it would lower the whole
 * process, dashboard included, so it does nothing. Never raises a priority someone lowered
 * further. Returns whether the thread now runs at that niceness or lower.
 *
 * `wholeProcess` (a process that is background work through and through: `touchpoint sync`,
 * `run --once`) lowers every thread it has, V8's collector and compiler helpers among them: they
 * run a sync's collections beside it, and threads made later take their maker's niceness.
 */
export function runInBackground(options: { wholeProcess?: boolean } = {}): boolean {
  let tids: number[];
  try {
    const self = Number(readlinkSync('/proc/thread-self').split('/').pop());
    tids = options.wholeProcess
      ? [
          self,
          ...readdirSync('/proc/self/task')
            .map(Number)
            .filter((tid) => tid !== self),
        ]
      : [self];
  } catch {
    return false;
  }
  let lowered = false;
  for (const [i, tid] of tids.entries()) {
    try {
      if (getPriority(tid) < BACKGROUND_NICENESS) setPriority(tid, BACKGROUND_NICENESS);
      if (i === 0) lowered = getPriority(tid) >= BACKGROUND_NICENESS;
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return lowered;
}
