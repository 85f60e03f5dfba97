const HEX32 = /^[0-9a-f]{32}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `0123…` (32 hex) → `01234567-89ab-…` */
function dashed(hex: string): string {
  const h = hex.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The id in what a person pastes: a dashed or plain id, or a browser URL such as
 * `https://www.notion.so/ws/Customer-Interviews-<32 hex>?v=<view>&p=<page>`. The id at the end
 * of the last path segment wins; `?v=` (a view) and `&p=` (a peeked row) are ignored — the SDK's
 * `extractNotionId` returns the peeked row for URLs without a title slug (docs/sources.md, "Notion ids").
 */
export function notionIdFrom(input: string): string | null {
  const text = input.trim();
  if (UUID.test(text) || HEX32.test(text)) return dashed(text);
  if (!/^(https?|notion):\/\//i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text.replace(/^notion:/i, 'https:'));
  } catch {
    return null;
  }
  const segments = url.pathname.split('/').filter(Boolean).reverse();
  for (const segment of segments) {
    const match = /([0-9a-f]{32})$/i.exec(segment) ?? /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(segment);
    if (match) return dashed(match[1]!);
  }
  return null;
}
