import { escapeHtml } from '../present/escape.js';
/**
 * Charts rendered on the server: no client framework, nothing to run in the browser. A chart is
 * HTML laid out by CSS grid, with SVG only for the marks. The SVGs have no viewBox: x is in
 * percent of the card's width and y in pixels, so a plot fills its card at any width and its text
 * stays at the size CSS gives it — never shrunk on a phone (docs/metrics.md has what each mark
 * means). Each chart has a title and a description for screen readers, and the page shows the data
 * behind it. Colours come from CSS classes (the CSP allows no inline style), one meaning each:
 * `met` / `below` a target (blue / orange), `some` (pale: something, under target), `none` (grey:
 * nothing), `neutral` (slate: a count with no target), `rise` / `fall` (a neutral pair),
 * `muted` (the week in progress). Every text from a source is escaped here, because the chart is
 * included in the page unescaped.
 */

const round = (n: number) => Math.round(n * 100) / 100;
const pct = (n: number) => `${round(n)}%`;

export interface Bar {
  label: string;
  /** A second, smaller label under the first (a date under a week). */
  sublabel?: string;
  value: number | null;
  /** CSS class of the bar (see above). */
  kind?: string;
  /** What a screen reader and the tooltip say about this bar. */
  describe: string;
}

export interface ColumnChart {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  /** Top of the scale; at least the largest value and the target. */
  max: number;
  target?: { value: number; label: string };
  format: (value: number) => string;
}

/** Plot height of a column chart, in CSS pixels. */
const PLOT_PX = 150;

/**
 * Vertical bars, one per week or item, with an optional dashed target line. A bar of zero is a
 * short grey stub on the baseline, so an empty week is seen, not missing.
 */
export function columnChart(chart: ColumnChart): string {
  const top = 8;
  const height = PLOT_PX + top;
  const max = niceCeiling(Math.max(chart.max, chart.target?.value ?? 0, ...chart.bars.map((b) => b.value ?? 0)) || 1);
  const y = (v: number) => round(top + PLOT_PX - (v / max) * PLOT_PX);
  const step = 100 / Math.max(1, chart.bars.length);
  const barW = step * 0.62;
  const ticks = [0, max / 2, max];
  const plot: string[] = [];
  const axis: string[] = [];
  for (const t of ticks) {
    plot.push(`<line class="gridline" x1="0" x2="100%" y1="${y(t)}" y2="${y(t)}"/>`);
    axis.push(`<text class="axis" x="100%" dx="-6" y="${y(t) + 4}" text-anchor="end">${escapeHtml(chart.format(t))}</text>`);
  }
  const labels: string[] = [];
  chart.bars.forEach((bar, i) => {
    const x = i * step + (step - barW) / 2;
    const title = `<title>${escapeHtml(bar.describe)}</title>`;
    if (bar.value !== null && bar.value > 0) {
      const h = Math.max(2, (bar.value / max) * PLOT_PX);
      plot.push(
        `<rect class="bar ${escapeHtml(bar.kind ?? 'met')}" x="${pct(x)}" y="${round(top + PLOT_PX - h)}" width="${pct(barW)}" height="${round(h)}">${title}</rect>`,
      );
    } else if (bar.value === 0) {
      plot.push(`<rect class="bar zero" x="${pct(x)}" y="${top + PLOT_PX - 3}" width="${pct(barW)}" height="3">${title}</rect>`);
    }
    // Two in three labels hide on a phone (CSS `.alt`), counted from the latest: twelve dates do not fit 340 px.
    const alt = (chart.bars.length - 1 - i) % 3 !== 0 ? ' alt' : '';
    labels.push(`<text class="label${alt}" x="${pct(x + barW / 2)}" y="14" text-anchor="middle">${escapeHtml(bar.label)}</text>`);
    if (bar.sublabel) labels.push(`<text class="sublabel${alt}" x="${pct(x + barW / 2)}" y="29" text-anchor="middle">${escapeHtml(bar.sublabel)}</text>`);
  });
  const side: string[] = [];
  if (chart.target) {
    const ty = y(chart.target.value);
    plot.push(`<line class="target" x1="0" x2="100%" y1="${ty}" y2="${ty}"/>`);
    side.push(`<text class="target-label" x="6" y="${ty + 4}">${escapeHtml(chart.target.label)}</text>`);
  }
  const safe = escapeHtml(chart.id);
  return [
    `<div class="chart columns${chart.target ? ' with-target' : ''}" role="img" aria-labelledby="${safe}-title" aria-describedby="${safe}-desc">`,
    caption(safe, chart.title, chart.description),
    `<svg class="axis-y" height="${height}" aria-hidden="true">${axis.join('')}</svg>`,
    `<svg class="plot" height="${height}" aria-hidden="true">${plot.join('')}</svg>`,
    chart.target ? `<svg class="side" height="${height}" aria-hidden="true">${side.join('')}</svg>` : '',
    `<svg class="labels${chart.bars.some((b) => b.sublabel) ? ' two' : ''}" height="34" aria-hidden="true">${labels.join('')}</svg>`,
    `</div>`,
  ].join('');
}

export interface Row {
  label: string;
  value: number;
  /** Where a target (or the count before) sits on this row's scale, drawn as a tick. */
  marker?: number;
  kind?: string;
  /** Text at the end of the bar (`12 · 25 %`). */
  note: string;
  describe: string;
  /** The note opens the conversations behind the row, `count` of them. */
  link?: { href: string; count: number };
}

export interface RowChart {
  id: string;
  title: string;
  description: string;
  rows: Row[];
  max: number;
  /** Vertical reference lines across all rows (evidence thresholds). */
  thresholds?: Array<{ value: number; label: string }>;
  /** A row under its marker shows the shortfall as an outlined gap (a target), or not (the window before). */
  gaps?: boolean;
}

/**
 * Horizontal bars, one per row: label, bar, note. A zero is a short grey stub at the start of the
 * track; with `gaps`, the distance from a bar up to its target tick is drawn as an outlined gap,
 * so a segment at 0 % of a 25 % target shows a quarter of the track missing.
 */
export function rowChart(chart: RowChart): string {
  const max = Math.max(chart.max, ...chart.rows.map((r) => Math.max(r.value, r.marker ?? 0)), ...(chart.thresholds ?? []).map((t) => t.value)) || 1;
  const x = (v: number) => (v / max) * 100;
  const lines = (chart.thresholds ?? []).map((t) => `<line class="threshold" x1="${pct(x(t.value))}" x2="${pct(x(t.value))}" y1="0" y2="26"/>`).join('');
  const rows = chart.rows.map((row) => {
    const marks: string[] = [`<rect class="track" x="0" y="5" width="100%" height="16"/>`];
    const title = `<title>${escapeHtml(row.describe)}</title>`;
    if (row.value > 0)
      marks.push(`<rect class="bar ${escapeHtml(row.kind ?? 'met')}" x="0" y="5" width="${pct(Math.max(0.6, x(row.value)))}" height="16">${title}</rect>`);
    else marks.push(`<rect class="bar zero" x="0" y="5" width="4" height="16">${title}</rect>`);
    if (chart.gaps && row.marker !== undefined && row.marker > row.value)
      marks.push(`<rect class="gap" x="${pct(x(row.value))}" y="6" width="${pct(x(row.marker) - x(row.value))}" height="14"/>`);
    if (row.marker !== undefined) marks.push(`<line class="marker" x1="${pct(x(row.marker))}" x2="${pct(x(row.marker))}" y1="1" y2="25"/>`);
    return `<div class="row"><span class="row-label" title="${escapeHtml(row.label)}">${escapeHtml(row.label)}</span><svg class="track-svg" height="26" aria-hidden="true">${marks.join('')}${lines}</svg><span class="row-note">${row.link ? `<a href="${escapeHtml(row.link.href)}" data-count="${row.link.count}">${escapeHtml(row.note)}</a>` : escapeHtml(row.note)}</span></div>`;
  });
  // Threshold labels above the rows, staggered on two lines so close ones do not overlap.
  const head = (chart.thresholds ?? []).map((t, i) => {
    const at = x(t.value);
    const anchor = at > 80 ? 'end' : 'start';
    return `<text class="axis" x="${pct(at)}" dx="${anchor === 'end' ? -3 : 3}" y="${i % 2 === 0 ? 12 : 26}" text-anchor="${anchor}">${escapeHtml(t.label)}</text>`;
  });
  const safe = escapeHtml(chart.id);
  return [
    `<div class="chart rows" role="img" aria-labelledby="${safe}-title" aria-describedby="${safe}-desc">`,
    caption(safe, chart.title, chart.description),
    head.length ? `<div class="row head"><span></span><svg class="track-svg" height="30" aria-hidden="true">${head.join('')}</svg><span></span></div>` : '',
    rows.join(''),
    `</div>`,
  ].join('');
}

function caption(id: string, title: string, description: string): string {
  return `<span class="visually-hidden" id="${id}-title">${escapeHtml(title)}</span><span class="visually-hidden" id="${id}-desc">${escapeHtml(description)}</span>`;
}

/** The next number of the form 1, 2, 2.5 or 5 × 10^k at or above `value`, for round ticks. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((n) => n >= value - 1e-9) ?? 10 * power;
}
