/**
 * One measurement of the CSV part of `npm run bench`, in a process of its own (a fresh heap, as
 * `touchpoint sync` has: in one process, whichever ran second paid for the first one's garbage).
 * `npm run bench` compiles it to dist/bench-csv.js and runs it with plain node, so the reading
 * threads start as they do under `touchpoint sync` (under tsx each would load tsx too). Prints JSON.
 *
 *   floor <csv> <dir>                 parse the file; then parse it and insert every raw row (the script a team would write)
 *   sync <csv> <config.json> <store>  a full sync into an empty store, timed to its commit, then the same file
 *                                     again, with one row renamed, and with rows removed and cells re-spaced
 *                                     (the file is restored)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseCsv } from 'csv-parse/sync';
import Database from 'better-sqlite3';
import type { Config } from '../src/config/schema.js';

const [mode, csv, ...rest] = process.argv.slice(2);

if (mode === 'floor') {
  const begun = performance.now();
  const records = parseCsv(readFileSync(csv!, 'utf8'), { relax_column_count: true }) as string[][];
  const parseMs = performance.now() - begun;
  const floorDb = new Database(join(rest[0]!, 'floor.db'));
  floorDb.exec('CREATE TABLE rows (id TEXT PRIMARY KEY, data TEXT)');
  const insert = floorDb.prepare('INSERT INTO rows VALUES (?, ?)');
  floorDb.transaction(() => {
    for (const r of records.slice(1)) insert.run(r[1], JSON.stringify(r));
  })();
  const floorMs = performance.now() - begun;
  floorDb.close();
  console.log(JSON.stringify({ parseMs, floorMs }));
} else if (mode === 'sync') {
  const config = JSON.parse(readFileSync(rest[0]!, 'utf8')) as Config;
  const source = config.sources[0]!;
  if (source.kind !== 'csv') throw new Error('a CSV source is expected');
  // This file runs from dist/, beside what it measures.
  const { Store } = (await import(new URL('./store/store.js', import.meta.url).href)) as typeof import('../src/store/store.js');
  const { syncSource } = (await import(new URL('./sync/run.js', import.meta.url).href)) as typeof import('../src/sync/run.js');
  const { CsvSource } = (await import(new URL('./sources/csv/read.js', import.meta.url).href)) as typeof import('../src/sources/csv/read.js');
  const store = Store.open(rest[1]!);
  const run = async () => {
    const started = performance.now();
    const { report } = await syncSource(new CsvSource(source, config.roster, config.timezone), store, { maxDeleteShare: 0.5 });
    return { ...report, ms: performance.now() - started };
  };
  const profile = process.env['BENCH_CSV_PROFILE'];
  if (profile) {
    // This thread's profile; `--cpu-prof` on the command line gives the reading threads' too.
    const { Session } = await import('node:inspector/promises');
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const full = await run();
    const { profile: taken } = await session.post('Profiler.stop');
    writeFileSync(profile, JSON.stringify(taken));
    console.log(JSON.stringify({ full: full.ms }));
  } else {
    const full = await run();
    const again = await run();
    // The next day's export: the same rows but one, so the file is not the one its memo describes.
    const text = readFileSync(csv!, 'utf8');
    writeFileSync(csv!, text.replace(/\n([^,\n]*),/, '\n$1 (renamed),'));
    const one = await run();
    writeFileSync(csv!, text);
    await run();
    // Then the file with 30 % of its rows gone and a space added to one cell of 10 % (read the same,
    // written the same: only their raw hash changes), as a team's export a month later might be.
    const lines = readFileSync(csv!, 'utf8').split('\n');
    writeFileSync(
      csv!,
      lines
        .filter((_, i) => i === 0 || i % 10 > 2)
        .map((line, i) => (i % 7 === 3 ? line.replace(',45,', ',45 ,') : line))
        .join('\n'),
    );
    const edited = await run();
    writeFileSync(csv!, lines.join('\n'));
    console.log(
      JSON.stringify({
        full: full.ms,
        created: full.created,
        again: again.ms,
        unchanged: again.unchanged,
        one: one.ms,
        updated: one.updated,
        edited: edited.ms,
        deleted: edited.deleted,
        respaced: edited.unchanged,
      }),
    );
  }
  store.close();
} else {
  throw new Error(`usage: bench-csv.js floor|sync …, not ${mode}`);
}
