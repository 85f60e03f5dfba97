import { escapeHtml, safeWebUrl } from '../present/escape.js';

/**
 * E-mail HTML that mail clients render: nested tables, inline styles, no images, no SVG, no
 * classes. Every value passes through `esc`; links only through `link`, which drops non-web URLs.
 */
export const esc = escapeHtml;

export const COLORS = {
  ink: '#1d2430',
  muted: '#5b6472',
  line: '#e3e6ea',
  bg: '#f4f5f7',
  blue: '#0072b2',
  sky: '#7fb8dc',
  grey: '#e5e7eb',
  orange: '#b26b00',
  vermilion: '#a94400',
};
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** A link, or just the text when the URL is not a plain web address. */
export function link(text: string, url: string | null | undefined): string {
  const safe = safeWebUrl(url);
  return safe ? `<a href="${esc(safe)}" style="color:${COLORS.blue};text-decoration:underline">${esc(text)}</a>` : esc(text);
}

/** The whole message: header, sections, footer; `preheader` is the line inboxes show. */
export function page(options: { title: string; preheader: string; organisation: string; body: string[]; footer: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(options.title)}</title></head>
<body style="margin:0;padding:0;background:${COLORS.bg};${FONT};color:${COLORS.ink}">
<div style="display:none;max-height:0;overflow:hidden">${esc(options.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${COLORS.bg}"><tr><td align="center" style="padding:16px 6px">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" style="width:100%;max-width:640px;background:#ffffff;border:1px solid ${COLORS.line};border-radius:8px">
<tr><td style="padding:14px 16px;background:${COLORS.ink};border-radius:8px 8px 0 0;color:#ffffff;${FONT};font-size:14px"><strong>touchpoint</strong> <span style="color:#c8ceda">· ${esc(options.organisation)}</span></td></tr>
${options.body.map((section) => `<tr><td style="padding:18px 16px 4px;${FONT};font-size:15px;line-height:1.45">${section}</td></tr>`).join('\n')}
<tr><td style="padding:18px 16px 22px;${FONT};font-size:12px;color:${COLORS.muted};border-top:1px solid ${COLORS.line}">${options.footer}</td></tr>
</table></td></tr></table></body></html>`;
}

export function h1(text: string): string {
  return `<h1 style="margin:0 0 6px;font-size:22px;line-height:1.25;color:${COLORS.ink}">${esc(text)}</h1>`;
}

export function h2(text: string): string {
  return `<h2 style="margin:6px 0 8px;font-size:16px;color:${COLORS.ink}">${esc(text)}</h2>`;
}

export function p(html: string, muted = false): string {
  return `<p style="margin:0 0 10px;color:${muted ? COLORS.muted : COLORS.ink}">${html}</p>`;
}

/** A data table; `cells` are already-escaped HTML. */
export function table(headers: string[], rows: string[][], align: Array<'left' | 'right'> = []): string {
  const th = headers
    .map(
      (h, i) =>
        `<th align="${align[i] ?? 'left'}" style="padding:6px 8px;font-size:12px;color:${COLORS.muted};border-bottom:1px solid ${COLORS.line};font-weight:600">${esc(h)}</th>`,
    )
    .join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td align="${align[i] ?? 'left'}" valign="top" style="padding:6px 8px;font-size:14px;border-bottom:1px solid ${COLORS.line}">${c}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 10px"><tr>${th}</tr>${tr}</table>`;
}

/** Eight weeks as small coloured cells (met / some / none), with the same in words for screen readers. */
export function sparkline(weeks: Array<{ met: boolean; some: boolean; active: boolean }>, label: string): string {
  const cells = weeks
    .map(
      (w) =>
        `<td width="9" height="14" style="width:9px;height:14px;padding:0;background:${!w.active ? '#ffffff' : w.met ? COLORS.blue : w.some ? COLORS.sky : COLORS.grey};border:1px solid #ffffff"></td>`,
    )
    .join('');
  return `<table role="img" aria-label="${esc(label)}" title="${esc(label)}" cellpadding="0" cellspacing="0" style="border-collapse:separate"><tr>${cells}</tr></table>`;
}

/** The same weeks for the plain-text part: █ met, ▄ some, · none. */
export function sparkText(weeks: Array<{ met: boolean; some: boolean; active: boolean }>): string {
  return weeks.map((w) => (!w.active ? ' ' : w.met ? '█' : w.some ? '▄' : '·')).join('');
}

/** A short status word on a tinted background (the colour is never the only signal). */
export function pill(text: string, tone: 'good' | 'warn' | 'bad' | 'plain'): string {
  const [bg, fg] = { good: ['#dcecf7', '#004d7a'], warn: ['#fbe9c2', '#6b4a00'], bad: ['#f6dccb', '#8a3700'], plain: ['#eef0f2', COLORS.ink] }[tone];
  return `<span style="display:inline-block;padding:1px 7px;border-radius:9px;background:${bg};color:${fg};font-size:12px;font-weight:600;white-space:nowrap">${esc(text)}</span>`;
}

export function button(text: string, url: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:6px 0 12px"><tr><td style="background:${COLORS.blue};border-radius:5px"><a href="${esc(url)}" style="display:inline-block;padding:9px 16px;color:#ffffff;text-decoration:none;font-weight:600;font-size:14px">${esc(text)}</a></td></tr></table>`;
}
