#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (`npm run build` makes dist/; `npm install` does it too).
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code on disk (os.tmpdir()/node-compile-cache, or
// NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off): `serve` listens about 50 ms
// sooner, its worker threads too through the variable they inherit (BENCHMARKS.md). Node 20 has
// no such call, and nothing changes there.
const cache = module.enableCompileCache?.();
if (cache?.directory) process.env.NODE_COMPILE_CACHE = cache.directory;

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('touchpoint: dist/ is missing. Run `npm install` (or `npm run build`) in the touchpoint folder first.');
  process.exit(1);
}
const { main: run } = await import(main.href);
await run(process.argv);
