/**
 * The dashboard's layout in Chromium at 1440, 390 and 375 px: no page wider than its screen, chart
 * text at reading size, plots as wide as their card, e-mails that fit a phone.
 */
import { describe, expect, test } from 'vitest';
import { skip, useDashboard, visit } from './dashboard.js';

useDashboard();

describe.skipIf(skip)('the dashboard layout in Chromium', () => {
  // The overview, Coverage and a person page are measured at 390 px with their charts below.
  test.each(['/people', '/follow-ups', '/data-quality'])(
    'on a 390 px phone %s is no wider than the screen: wide tables scroll in their own box',
    async (path) => {
      const { page } = await visit(path, `phone-${path.replace(/\W+/g, '-')}`, 390);
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
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
    },
  );

  test.each(['/digests/exec', '/digests/team/Growth'])('the e-mail %s fits a 375 px phone', async (path) => {
    const { page } = await visit(path, `phone-${path.replace(/\W+/g, '-')}`, 375);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
  });
});
