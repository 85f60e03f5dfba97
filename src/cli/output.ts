import { terminalSafe } from '../present/terminal.js';

let redact: (text: string) => string = (text) => text;

/** Every configured secret is cut from everything the CLI writes from here on (main sets it once). */
export function redactSecrets(redactor: (text: string) => string): void {
  redact = redactor;
}

/** Everything the CLI prints goes through here: no secret, and no control character from a source. */
export function print(text: string): void {
  process.stdout.write(`${terminalSafe(redact(text))}\n`);
}

/** The same, on standard error. */
export function printError(text: string): void {
  process.stderr.write(`${terminalSafe(redact(text))}\n`);
}
