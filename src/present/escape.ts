/**
 * Escaping, once for every surface: HTML (pages and e-mail), links from sources, CSV cells.
 * Terminal output has its own (`terminal.ts`).
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML, attribute values included. */
export function escapeHtml(text: string | number | null | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => HTML[c] ?? c);
}

/** A link from a source is followed only when it is a plain web address (no `javascript:`, no spaces). */
export function safeWebUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  return /^https?:\/\/[^\s]+$/i.test(trimmed) ? trimmed : null;
}

/** The first of these that is a plain web address (notes first, then the row in its source). */
export function firstWebUrl(...urls: ReadonlyArray<string | null | undefined>): string | null {
  for (const url of urls) {
    const safe = safeWebUrl(url);
    if (safe) return safe;
  }
  return null;
}

/**
 * Text for Slack's mrkdwn: `&`, `<` and `>` are the only characters Slack asks to escape, and
 * escaping them is what keeps `<!channel>`, `<@U123>` and `<https://evil|click>` from a source
 * inert (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A mrkdwn link, or just the escaped text when the URL is not a plain web address. */
export function slackLink(text: string, url: string | null | undefined): string {
  const safe = safeWebUrl(url);
  // `|` and `>` end a Slack link: percent-encode them inside the address.
  return safe ? `<${safe.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeMrkdwn(text).replace(/\|/g, '¦')}>` : escapeMrkdwn(text);
}

/**
 * A CSV cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV
 * injection"): anything starting with = @ tab or carriage return, and + or - unless the cell is
 * just a signed number with a short unit (`-17 pt`, `+3`), which no spreadsheet runs.
 */
export function neutraliseFormula(value: string): string {
  if (/^[=@\t\r]/.test(value)) return `'${value}`;
  if (/^[+-]/.test(value) && !/^[+-]\d+([.,]\d+)?( ?[a-z%]{1,3})?$/i.test(value)) return `'${value}`;
  return value;
}
