/**
 * Runs once before the suite: builds the CLI into dist/ (esbuild, a fraction of a second, so the
 * end-to-end tests spawn the real `bin/touchpoint.js` instead of compiling TypeScript in every
 * child), and says loudly whether the browser group runs.
 */
import { buildDist } from '../../scripts/build-dist.js';
import { browserGroup } from './browser.js';

function banner(): void {
  const group = browserGroup();
  if (group.run) return;
  const line = '─'.repeat(78);
  process.stderr.write(
    `\n${line}\n  SKIPPED: the browser group (test/browser/). ${group.why}\n  To run it: apt-get install -y chromium (or set CHROMIUM_PATH). Under CI=true it is mandatory.\n${line}\n\n`,
  );
}

export default async function setup(): Promise<() => void> {
  await buildDist();
  banner();
  return banner; // again after the summary, where it is seen
}
