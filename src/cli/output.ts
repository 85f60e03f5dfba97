import { terminalSafe } from '../present/terminal.js';

/** Everything the CLI prints goes through here: values from sources are stripped of control characters. */
export function print(text: string): void {
  process.stdout.write(`${terminalSafe(text)}\n`);
}

/** The same, on standard error. */
export function printError(text: string): void {
  process.stderr.write(`${terminalSafe(text)}\n`);
}
