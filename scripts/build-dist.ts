// Builds dist/ from src/ with esbuild in a fraction of a second (no declarations: `npm run build`
// makes those). The tests and the benchmark spawn the real bin/touchpoint.js, which runs dist/.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

export async function buildDist(root = new URL('..', import.meta.url).pathname): Promise<void> {
  await build({
    entryPoints: sources(join(root, 'src')),
    outdir: join(root, 'dist'),
    outbase: join(root, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'error',
  });
}
