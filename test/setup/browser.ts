import { existsSync } from 'node:fs';

import { CHROMIUM_PATH } from '../../scripts/chromium.js';

/** Where the browser tests find Chromium (Debian's package by default). */
export const CHROMIUM = CHROMIUM_PATH;

/**
 * Whether the browser group runs. It runs wherever Chromium is installed; without it `npm test`
 * skips it and says so, except under CI=true, where a missing browser fails the suite.
 */
export function browserGroup(): { run: true } | { run: false; why: string } {
  if (process.env['TOUCHPOINT_SKIP_BROWSER'] === '1' && process.env['CI'] !== 'true') return { run: false, why: 'TOUCHPOINT_SKIP_BROWSER=1 is set.' };
  if (existsSync(CHROMIUM) || process.env['CI'] === 'true') return { run: true };
  return { run: false, why: `Chromium is not at ${CHROMIUM}.` };
}
