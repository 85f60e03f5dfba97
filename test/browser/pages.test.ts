/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core. Each page of the
 * demo loads without a console error, shows its key text, and is saved as a screenshot under
 * test-results/screenshots/. Without Chromium `npm test` skips this group and says so
 * (test/setup/browser.ts); under CI=true — `.ci/run` installs Chromium — a missing browser fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
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
const XSS = '<img src=x onerror=alert(1)>';
const skip = !browserGroup().run;

let browser: Browser;
let server: Server;
let base: string;

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
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

async function visit(path: string, shot: string, width = path.startsWith('/digests/') ? 760 : 1366) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  // 'load', not 'networkidle': the pages run no script, and networkidle waits half a second more per page.
  const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
  await page.screenshot({ path: new URL(`${shot}.png`, SHOTS).pathname, fullPage: true });
  return { page, problems, status: response?.status() };
}

describe.skipIf(skip)('the dashboard in Chromium', () => {
  test.each([
    ['/', 'overview', ['Are we talking to customers?', 'Amara Okafor', 'Demo data.']],
    ['/people', 'people', ['Everyone on the roster', 'Practice quality']],
    ['/people/amara.okafor%40northwind.example', 'person', ['Amara Okafor', 'Week by week', 'Recent conversations']],
    ['/coverage', 'coverage', ['Whom do we hear from?', 'Public sector']],
    ['/studies', 'studies', ['Onboarding friction', 'anecdotal']],
    ['/follow-ups', 'follow-ups', ['Open promises, oldest first']],
    ['/accounts', 'accounts', ['The ten most heard accounts']],
    ['/themes', 'themes', ['AI assistant']],
    ['/data-quality', 'data-quality', ['next Tuesday']],
    ['/sync', 'sync', ['Recent syncs']],
    ['/?team=Platform&window=30', 'overview-platform', ['Priya Raman', 'team Platform']],
    ['/digests', 'digests', ['Exec digest (weekly)', 'Growth team digest', 'Send log']],
    ['/digests/exec', 'digest-exec', ['Worth hearing', 'Cadence', 'Open the dashboard']],
    ['/digests/team/Growth', 'digest-team-growth', ['Still missing a tl;dr or a debrief', 'Open Growth on the dashboard']],
  ])('%s', async (path, shot, texts) => {
    const { page, problems, status } = await visit(path, shot);
    expect(status).toBe(200);
    const text = await page.locator('body').innerText();
    for (const t of texts) expect(text).toContain(t);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('an interview titled with markup renders as text and runs nothing', async () => {
    const { page, problems } = await visit('/people/amara.okafor%40northwind.example', 'person-xss');
    await expect(page.getByText(XSS).first().isVisible()).resolves.toBe(true);
    expect(await page.locator('main img').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  test.each(['/', '/people', '/people/amara.okafor%40northwind.example', '/coverage', '/follow-ups', '/data-quality'])(
    'on a 390 px phone %s is no wider than the screen: wide tables scroll in their own box',
    async (path) => {
      const { page } = await visit(path, `phone-${path.replace(/\W+/g, '-')}`, 390);
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
      await page.close();
    },
  );

  const CHART_PAGES = ['/', '/coverage', '/people/amara.okafor%40northwind.example', '/conversations?person=amara.okafor%40northwind.example&window=all'];
  test.each(CHART_PAGES.flatMap((path) => [1440, 390].map((width) => [path, width] as const)))(
    '%s at %i px: no horizontal overflow, every chart text at least 11 px on screen, plots as wide as their card',
    async (path, width) => {
      const { page } = await visit(path, `${width}-${path.replace(/\W+/g, '-')}`, width);
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(width);
      // The size a reader sees: the computed font size times the scale the SVG is drawn at.
      // Chart text is SVG text (axes, weeks) or HTML beside the marks (row labels and notes).
      const sizes = (await page.evaluate(`[...document.querySelectorAll('.chart svg text, .chart .row-label, .chart .row-note')]
        .filter((t) => t.getBoundingClientRect().width > 0)
        .map((t) => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM ? t.getScreenCTM().a : 1))`)) as number[];
      if (!path.startsWith('/conversations')) expect(sizes.length).toBeGreaterThan(0);
      expect(sizes.filter((size) => size < 11)).toEqual([]);
      // Each plot fills its card: at least 60 % of the card's inner width.
      const fill = (await page.evaluate(`[...document.querySelectorAll('.chart-block')].map((card) => {
        const plot = card.querySelector('svg.plot, svg.track-svg');
        return plot ? plot.getBoundingClientRect().width / card.clientWidth : 1;
      })`)) as number[];
      expect(fill.filter((f) => f < (width > 600 ? 0.6 : 0.4))).toEqual([]);
      await page.close();
    },
  );

  test.each(['/digests/exec', '/digests/team/Growth'])('the e-mail %s fits a 375 px phone', async (path) => {
    const { page } = await visit(path, `phone-${path.replace(/\W+/g, '-')}`, 375);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await page.close();
  });

  test('a narrow screen still shows the overview without console errors', async () => {
    const { page, problems } = await visit('/', 'overview-narrow', 420);
    expect(await page.locator('h1').innerText()).toBe('Are we talking to customers?');
    expect(problems).toEqual([]);
    await page.close();
  });
});
