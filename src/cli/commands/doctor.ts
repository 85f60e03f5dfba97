import { print } from '../output.js';
import { runDoctor, type Check } from '../../index.js';
import { smtpMailer } from '../../digest/send.js';

const MARK: Record<Check['verdict'], string> = { ok: '✓', fail: '✗', note: '–' };

/** `touchpoint doctor`: print each check on its line; exit 1 when one failed. */
export async function run(flags: { config: string }): Promise<void> {
  const checks = await runDoctor(flags.config, { smtpVerify: async (url) => void (await smtpMailer(url, { timeoutMs: 10_000 }).verify?.()) });
  const failed = checks.filter((c) => c.verdict === 'fail').length;
  print(checks.flatMap((c) => [`${MARK[c.verdict]} ${c.what.padEnd(22)} ${c.detail}`, ...c.more.map((m) => `  ${' '.repeat(22)}- ${m}`)]).join('\n'));
  print(failed === 0 ? '\nAll checks passed.' : `\n${failed} check${failed === 1 ? '' : 's'} failed.`);
  if (failed > 0) process.exitCode = 1;
}
