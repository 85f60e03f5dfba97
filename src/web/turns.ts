import type { RequestHandler } from 'express';

/** How long readers' requests may hold the event loop before timers and sockets get a turn. */
export const TURN_SLICE_MS = 8;

/**
 * Requests are answered in slices of the event loop, not all in the turn they arrive in.
 *
 * When a crowd's sockets become readable together, Node parses and dispatches every one of them
 * in the same turn: 100 readers of kept pages held the loop for 150 ms in one go, and /healthz
 * (and every timer, the schedules' deadlines among them) waited behind them. Here a request
 * waits in one queue, and each turn answers from it for at most `sliceMs` before letting the
 * loop go round (`setImmediate` queued in the check phase runs in the next turn, after timers and
 * I/O). The order is first come, first served; /healthz is never queued, so it answers from the
 * next turn whatever the crowd.
 */
export function takeTurns(options: { sliceMs?: number; now?: () => number; skip?: (path: string) => boolean } = {}): RequestHandler {
  const sliceMs = options.sliceMs ?? TURN_SLICE_MS;
  const now = options.now ?? (() => performance.now());
  const skip = options.skip ?? (() => false);
  const waiting: Array<() => void> = [];
  let head = 0;
  let scheduled = false;
  const run = () => {
    const until = now() + sliceMs;
    while (head < waiting.length) {
      const next = waiting[head]!;
      waiting[head++] = noop;
      next();
      if (now() >= until) break;
    }
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
      scheduled = false;
      return;
    }
    // A queue that never empties (a crowd that never stops) is compacted now and then.
    if (head > 1024) {
      waiting.splice(0, head);
      head = 0;
    }
    setImmediate(run);
  };
  return (req, _res, next) => {
    if (skip(req.path)) return next();
    waiting.push(next);
    if (scheduled) return;
    scheduled = true;
    setImmediate(run);
  };
}

function noop(): void {}
