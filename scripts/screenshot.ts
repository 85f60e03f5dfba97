/**
 * Screenshots dashboard pages in headless Chromium (Debian's package) for a look by eye:
 * `npx tsx scripts/screenshot.ts http://127.0.0.1:3000/ out.png [width] [css selector]` (a selector shoots that element only).
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

const [url = 'http://127.0.0.1:3000/', out = 'screenshot.png', width = '1366', selector] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
const errors: string[] = [];
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
await page.goto(url, { waitUntil: 'networkidle' });
if (selector) await page.locator(selector).first().screenshot({ path: out });
else await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`${out}${errors.length ? ` — console errors: ${errors.join('; ')}` : ''}`);
