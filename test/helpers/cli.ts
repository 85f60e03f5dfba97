import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The installed entry point; test/setup/global.ts builds the dist/ it runs, once per suite. */
const BIN = fileURLToPath(new URL('../../bin/touchpoint.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Run the CLI's `main()` in this process, in `cwd` with `env` added, and collect what it writes
 * and its exit code — the whole command, from argv to output, without a node process per call
 * (a fresh process spends 0.4 s loading modules; a hundred of them were most of the suite's
 * time). Calls run one at a time: the working directory, the environment and the output streams
 * are the process's own, and each is restored after. Long-running commands (`startCli`) and the
 * tests of the installed binary itself (`runBin`) still spawn `bin/touchpoint.js`.
 */
export function runCli(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<CliResult> {
  const run = queue.then(() => inProcess(args, cwd, env));
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let queue: Promise<void> = Promise.resolve();

async function inProcess(args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const writes = { out: process.stdout.write, err: process.stderr.write };
  let stdout = '';
  let stderr = '';
  const capture = (append: (text: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture((text) => (stdout += text));
  process.stderr.write = capture((text) => (stderr += text));
  Object.assign(process.env, { CI: 'true', NO_COLOR: '1', ...env });
  process.chdir(cwd);
  process.exitCode = undefined;
  try {
    await main(['node', BIN, ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    process.chdir(savedCwd);
    process.exitCode = undefined;
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
}

/** Run the installed binary (`bin/touchpoint.js`, on the dist/ built for the suite) in `cwd` and collect its output. */
export function runBin(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawnCli(args, cwd, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Start a long-running command and resolve once its stdout matches `ready`. */
export function startCli(
  args: string[],
  cwd: string,
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  const child = spawnCli(args, cwd, env);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
}
