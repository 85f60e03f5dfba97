#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (`npm run build` makes dist/; `npm install` does it too).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('touchpoint: dist/ is missing. Run `npm install` (or `npm run build`) in the touchpoint folder first.');
  process.exit(1);
}
const { main: run } = await import(main.href);
await run(process.argv);
