import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { BACKGROUND_NICENESS } from '../../src/app/priority.js';

// Worker threads run compiled code: the dist/ that test/setup/global.ts builds, as `serve` runs it.
const PRIORITY = new URL('../../dist/app/priority.js', import.meta.url).href;

// Niceness per thread is Linux's; elsewhere runInBackground does nothing (and says so).
test.runIf(process.platform === 'linux')('background work lowers its own thread, never the thread that answers readers', async () => {
  const main = Number(readlinkSync('/proc/thread-self').split('/').pop());
  const before = getPriority(main);
  const worker = new Worker(
    `import { runInBackground } from ${JSON.stringify(PRIORITY)};
     import { readlinkSync } from 'node:fs';
     import { getPriority } from 'node:os';
     import { parentPort } from 'node:worker_threads';
     const ok = runInBackground();
     const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
     parentPort.postMessage({ ok, tid, niceness: getPriority(tid) });`,
    { eval: true },
  );
  const answer = await new Promise<{ ok: boolean; tid: number; niceness: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  expect(answer.ok).toBe(true);
  expect(answer.tid).not.toBe(main);
  expect(answer.niceness).toBe(Math.max(before, BACKGROUND_NICENESS));
  expect(getPriority(main)).toBe(before);
});

test.runIf(process.platform === 'linux')('a process that is background work lowers every thread it has, V8 helpers included', () => {
  const script = `import { runInBackground } from ${JSON.stringify(PRIORITY)};
    import { readdirSync } from 'node:fs';
    import { getPriority } from 'node:os';
    const ok = runInBackground({ wholeProcess: true });
    console.log(JSON.stringify({ ok, niceness: readdirSync('/proc/self/task').map((tid) => getPriority(Number(tid))) }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const { ok, niceness } = JSON.parse(out) as { ok: boolean; niceness: number[] };
  expect(ok).toBe(true);
  // The main thread and V8's platform threads at least.
  expect(niceness.length).toBeGreaterThan(2);
  for (const value of niceness) expect(value).toBeGreaterThanOrEqual(BACKGROUND_NICENESS);
});
