/**
 * Every page of the demo in Chromium: it loads without a console error and shows its key text;
 * markup in a source's fields renders as text. Layout at phone and desktop widths: layout.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { skip, useDashboard, visit, XSS } from './dashboard.js';

useDashboard();

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
  });

  test('an interview titled with markup renders as text and runs nothing', async () => {
    const { page, problems } = await visit('/people/amara.okafor%40northwind.example', 'person-xss');
    await expect(page.getByText(XSS).first().isVisible()).resolves.toBe(true);
    expect(await page.locator('main img').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  test('a narrow screen still shows the overview without console errors', async () => {
    const { page, problems } = await visit('/', 'overview-narrow', 420);
    expect(await page.locator('h1').innerText()).toBe('Are we talking to customers?');
    expect(problems).toEqual([]);
  });
});
