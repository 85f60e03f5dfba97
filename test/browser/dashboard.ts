/**
 * The browser group's dashboard: the demo (plus one row whose fields try to inject markup) served
 * on 127.0.0.1, and Debian's Chromium driven by playwright-core. Each test file of the group calls
 * `useDashboard()` once; two files let both test workers drive a browser. Without Chromium
 * `npm test` skips the group and says so (test/setup/browser.ts); under CI=true — `.ci/run`
 * installs Chromium — a missing browser fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/load.js';
import { Store } from '../../src/store/store.js';
import { Workspace } from '../../src/app/workspace.js';
import { syncAll } from '../../src/app/sync.js';
import { createApp } from '../../src/web/app.js';
import { listen } from '../../src/web/server.js';
import { interview, person } from '../helpers/interviews.js';
import { CHROMIUM, browserGroup } from '../setup/browser.js';
import { CHROMIUM_ARGS } from '../../scripts/chromium.js';

const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);
export const XSS = '<img src=x onerror=alert(1)>';
export const skip = !browserGroup().run;
const SCREENSHOTS = process.env['CI'] === 'true' || process.env['TOUCHPOINT_SCREENSHOTS'] === '1';

let browser: Browser;
/** One browser context for the group: a context per page cost a tenth of a second each. */
let context: BrowserContext;
let server: Server;
let base: string;

/** Start the dashboard and the browser for this file (once), and close them after it. */
export function useDashboard(): void {
  beforeAll(async () => {
    if (skip) return;
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium is not at ${CHROMIUM}, and CI=true makes the browser group mandatory: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
      );
    mkdirSync(SHOTS, { recursive: true });
    const { config } = loadConfig('examples/demo/touchpoint.config.yaml');
    const store = Store.open(':memory:');
    await syncAll(config, store);
    // One more row whose title, account and tl;dr try to inject markup into the pages.
    store.commitRun({
      source: 'xss',
      startedAt: '2026-11-20T08:00:00.000Z',
      finishedAt: '2026-11-20T08:00:01.000Z',
      upserts: [
        {
          interview: interview({
            id: 'xss:1',
            title: XSS,
            account: XSS,
            tldr: XSS,
            tags: [XSS],
            startsAt: '2026-11-19T10:00:00.000Z',
            interviewers: [person('amara.okafor@northwind.example')],
            segment: 'SMB',
          }),
          hash: 'x',
        },
      ],
      deletes: [],
      findings: { replace: 'all', items: [] },
      state: { bookmark: null, lastFullAt: null, memo: null },
      report: {},
    });
    server = await listen(createApp({ workspace: new Workspace(config, store, { demo: true }), token: null }), { host: '127.0.0.1', port: 0, token: null });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext();
  }, 60_000);

  afterAll(async () => {
    // Module state outlives the file (the workers share modules): the next file opens its own tab.
    tab = null;
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });
}

/** The file's one tab: each visit navigates it (a new tab starts a renderer process, about 0.2 s of CPU). */
let tab: Page | null = null;
/** What the page being visited has reported: console errors, uncaught errors, dialogs. */
let problems: string[] = [];

/** Open a path at a width in the file's tab, with what it reports; saved as a screenshot under CI. */
export async function visit(path: string, shot: string, width = path.startsWith('/digests/') ? 760 : 1366) {
  if (!tab) {
    tab = await context.newPage();
    tab.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    tab.on('pageerror', (e) => problems.push(e.message));
    tab.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  }
  const page = tab;
  problems = [];
  const mine = problems;
  await page.setViewportSize({ width, height: 900 });
  // 'load', not 'networkidle': the pages run no script, and networkidle waits half a second more per page.
  const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
  // Saved for a look by eye under CI (the artifacts) or when asked: a full-page PNG of each costs a third of the group's time.
  if (SCREENSHOTS) await page.screenshot({ path: new URL(`${shot}.png`, SHOTS).pathname, fullPage: true });
  return { page, problems: mine, status: response?.status() };
}
