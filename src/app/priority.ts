import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The CPU niceness of background work (view computing, syncs): below a reader's request, above nothing else. */
export const BACKGROUND_NICENESS = 10;

/**
 * Lowers the calling thread's CPU priority to BACKGROUND_NICENESS, so that on a busy machine the
 * thread that answers readers gets a core first (docs/RELIABILITY.md "Availability"). On Linux a
 * niceness belongs to one thread, named by `/proc/thread-self`; elsewhere it would lower the whole
 * process, dashboard included, so it does nothing. Never raises a priority someone lowered
 * further. Returns whether the thread now runs at that niceness or lower.
 */
export function runInBackground(): boolean {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false;
  }
  try {
    if (getPriority(tid) < BACKGROUND_NICENESS) setPriority(tid, BACKGROUND_NICENESS);
    return getPriority(tid) >= BACKGROUND_NICENESS;
  } catch {
    return false;
  }
}
