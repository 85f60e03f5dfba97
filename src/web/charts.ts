import { escapeHtml } from '../present/escape.js';
/**
 * Charts as SVG strings, rendered on the server: no client framework, nothing to run in the
 * browser. Each has a title and a description for screen readers (the page also shows the data
 * table behind it). Colours come from CSS classes (the CSP allows no inline styles); every text
 * from a source is escaped here, because the SVG is included in the page unescaped.
 */

const round = (n: number) => Math.round(n * 10) / 10;

export interface Bar {
  label: string;
  /** A second, smaller label under the first (a date under a week). */
  sublabel?: string;
  value: number | null;
  /** CSS class of the bar: `met`, `below`, `none`, `muted`. */
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

/** Vertical bars, one per week or item, with an optional dashed target line. */
export function columnChart(chart: ColumnChart): string {
  const width = 720;
  const height = 220;
  const left = 44;
  const bottom = 40;
  const top = 14;
  const right = chart.target ? 72 : 10; // room for the target's label beside the plot
  const plotH = height - top - bottom;
  const plotW = width - left - right;
  const max = niceCeiling(Math.max(chart.max, chart.target?.value ?? 0, ...chart.bars.map((b) => b.value ?? 0)) || 1);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const step = plotW / Math.max(1, chart.bars.length);
  const barW = Math.max(4, step * 0.62);
  const ticks = [0, max / 2, max];
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(`<line class="grid" x1="${left}" x2="${left + plotW}" y1="${round(y(t))}" y2="${round(y(t))}"/>`);
    parts.push(`<text class="axis" x="${left - 6}" y="${round(y(t) + 4)}" text-anchor="end">${escapeHtml(chart.format(t))}</text>`);
  }
  chart.bars.forEach((bar, i) => {
    const x = left + i * step + (step - barW) / 2;
    const value = bar.value ?? 0;
    const h = Math.max(value > 0 ? 1.5 : 0, (value / max) * plotH);
    parts.push(
      `<rect class="bar ${escapeHtml(bar.kind ?? 'met')}" x="${round(x)}" y="${round(top + plotH - h)}" width="${round(barW)}" height="${round(h)}"><title>${escapeHtml(bar.describe)}</title></rect>`,
    );
    parts.push(`<text class="label" x="${round(x + barW / 2)}" y="${height - bottom + 15}" text-anchor="middle">${escapeHtml(bar.label)}</text>`);
    if (bar.sublabel)
      parts.push(`<text class="sublabel" x="${round(x + barW / 2)}" y="${height - bottom + 28}" text-anchor="middle">${escapeHtml(bar.sublabel)}</text>`);
  });
  if (chart.target) {
    const ty = round(y(chart.target.value));
    parts.push(`<line class="target" x1="${left}" x2="${left + plotW}" y1="${ty}" y2="${ty}"/>`);
    parts.push(`<text class="target-label" x="${left + plotW + 6}" y="${ty + 4}">${escapeHtml(chart.target.label)}</text>`);
  }
  return svg('columns', chart.id, chart.title, chart.description, width, height, parts);
}

export interface Row {
  label: string;
  value: number;
  /** Where a target sits on this row's scale (drawn as a tick). */
  marker?: number;
  kind?: string;
  /** Text at the end of the bar (`12 · 25 %`). */
  note: string;
  describe: string;
}

export interface RowChart {
  id: string;
  title: string;
  description: string;
  rows: Row[];
  max: number;
  /** Vertical reference lines across all rows (evidence thresholds). */
  thresholds?: Array<{ value: number; label: string }>;
}

/** Horizontal bars, one per row, with optional target ticks and reference lines. */
export function rowChart(chart: RowChart): string {
  const width = 720;
  const rowH = 26;
  const labelW = 190;
  const noteW = 120;
  const top = chart.thresholds?.length ? 30 : 6; // two staggered label lines above the rows
  const height = top + chart.rows.length * rowH + 6;
  const plotW = width - labelW - noteW;
  const max = Math.max(chart.max, ...chart.rows.map((r) => Math.max(r.value, r.marker ?? 0)), ...(chart.thresholds ?? []).map((t) => t.value)) || 1;
  const x = (v: number) => labelW + (v / max) * plotW;
  const parts: string[] = [];
  chart.rows.forEach((row, i) => {
    const yTop = top + i * rowH;
    const w = Math.max(row.value > 0 ? 1.5 : 0, (row.value / max) * plotW);
    parts.push(`<text class="label" x="${labelW - 8}" y="${yTop + 17}" text-anchor="end">${escapeHtml(truncate(row.label, 28))}</text>`);
    parts.push(`<rect class="track" x="${labelW}" y="${yTop + 5}" width="${round(plotW)}" height="16"/>`);
    parts.push(
      `<rect class="bar ${escapeHtml(row.kind ?? 'met')}" x="${labelW}" y="${yTop + 5}" width="${round(w)}" height="16"><title>${escapeHtml(row.describe)}</title></rect>`,
    );
    if (row.marker !== undefined)
      parts.push(`<line class="marker" x1="${round(x(row.marker))}" x2="${round(x(row.marker))}" y1="${yTop + 2}" y2="${yTop + 24}"/>`);
    parts.push(`<text class="note" x="${labelW + plotW + 8}" y="${yTop + 17}">${escapeHtml(row.note)}</text>`);
  });
  (chart.thresholds ?? []).forEach((t, i) => {
    const tx = round(x(t.value));
    const labelY = i % 2 === 0 ? top - 18 : top - 6;
    parts.push(`<line class="threshold" x1="${tx}" x2="${tx}" y1="${labelY + 3}" y2="${height - 4}"/>`);
    parts.push(`<text class="axis" x="${tx + 3}" y="${labelY}">${escapeHtml(t.label)}</text>`);
  });
  return svg('rows', chart.id, chart.title, chart.description, width, height, parts);
}

function svg(kind: 'rows' | 'columns', id: string, title: string, description: string, width: number, height: number, parts: string[]): string {
  const safe = escapeHtml(id);
  return `<svg class="chart ${kind}" role="img" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet" aria-labelledby="${safe}-title ${safe}-desc" xmlns="http://www.w3.org/2000/svg"><title id="${safe}-title">${escapeHtml(title)}</title><desc id="${safe}-desc">${escapeHtml(description)}</desc>${parts.join('')}</svg>`;
}

/** The next number of the form 1, 2, 2.5 or 5 × 10^k at or above `value`, for round ticks. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((n) => n >= value - 1e-9) ?? 10 * power;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
