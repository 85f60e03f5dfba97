/**
 * Runs once before the suite: builds the CLI into dist/ (esbuild, a fraction of a second, so the
 * end-to-end tests spawn the real `bin/touchpoint.js` instead of compiling TypeScript in every
 * child), and says loudly whether the browser group runs.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { browserGroup } from './browser.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function banner(): void {
  const group = browserGroup();
  if (group.run) return;
  const line = '─'.repeat(78);
  process.stderr.write(
    `\n${line}\n  SKIPPED: the browser group (test/browser/). ${group.why}\n  To run it: apt-get install -y chromium (or set CHROMIUM_PATH). Under CI=true it is mandatory.\n${line}\n\n`,
  );
}

export default async function setup(): Promise<() => void> {
  await build({
    entryPoints: sources('src'),
    outdir: 'dist',
    outbase: 'src',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'error',
  });
  banner();
  return banner; // again after the summary, where it is seen
}
