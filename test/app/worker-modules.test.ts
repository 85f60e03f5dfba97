import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/** Every package a compiled module loads, following its relative imports (static ones: what loads before it runs). */
function packagesLoadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s*"([^"]+)"/gm)) {
      if (spec!.startsWith('.')) visit(join(dirname(file), spec!));
      else if (!spec!.startsWith('node:')) packages.add(spec!);
    }
  };
  visit(entry);
  return packages;
}

// The worker reads the rows at a cold start while the dashboard loads: zod and node-cron (the
// config's schema) were 45 ms of its start that no view needs (BENCHMARKS.md, "First page").
test('the metrics worker loads the store, luxon and nothing of the config schema', () => {
  const worker = fileURLToPath(new URL('../../dist/app/metrics-worker.js', import.meta.url));
  expect([...packagesLoadedBy(worker)].sort()).toEqual(['better-sqlite3', 'luxon']);
});

// Each reading thread of a large CSV loads its own modules: zod through the model was about 50 ms of a thread's start.
test('a CSV reading thread loads csv-parse and luxon, nothing of the config schema', () => {
  const worker = fileURLToPath(new URL('../../dist/sources/csv/read-worker.js', import.meta.url));
  expect([...packagesLoadedBy(worker)].sort()).toEqual(['csv-parse/sync', 'luxon']);
});
