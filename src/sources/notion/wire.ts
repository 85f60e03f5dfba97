/**
 * The parts of Notion's wire format touchpoint reads (Notion-Version 2025-09-03), kept loose:
 * property values arrive as `{ id, type, [type]: value }` with more types than we map, and
 * unknown ones must pass through without breaking a row. See docs/sources.md, "Notion property values".
 */

export interface RawRichText {
  plain_text: string;
}

export interface RawUser {
  object: 'user' | 'group';
  id: string;
  name?: string | null;
  type?: 'person' | 'bot';
  person?: { email?: string };
}

export interface RawDate {
  start: string;
  end: string | null;
  time_zone?: string | null;
}

/** One property value on a page. `id` is URL-encoded and survives renames. */
export interface RawPropertyValue {
  id: string;
  type: string;
  [type: string]: unknown;
}

export interface RawPage {
  object: 'page';
  id: string;
  url: string;
  created_time: string;
  last_edited_time: string;
  in_trash?: boolean;
  archived?: boolean;
  properties: Record<string, RawPropertyValue>;
}

export interface RawQueryResponse {
  object: 'list';
  results: Array<RawPage | { object: string; id: string }>;
  next_cursor: string | null;
  has_more: boolean;
  request_status?: { type: 'complete' | 'incomplete'; incomplete_reason?: string };
  request_id?: string;
}

export interface RawDatabase {
  object: 'database';
  id: string;
  data_sources: Array<{ id: string; name: string }>;
  url?: string;
}

export interface RawSchemaProperty {
  id: string;
  name: string;
  type: string;
  /** The type's own settings (`select: { options }`, …). */
  [type: string]: unknown;
}

export interface RawDataSource {
  object: 'data_source';
  id: string;
  title: RawRichText[];
  parent: { type: 'database_id'; database_id: string };
  properties: Record<string, RawSchemaProperty>;
  url?: string;
}

export interface RawPropertyItemList {
  object: 'list';
  results: Array<{ object: 'property_item'; type: string; relation?: { id: string } }>;
  next_cursor: string | null;
  has_more: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Whether a query result is a full page (wiki databases can return data sources too). */
export function isRawPage(value: unknown): value is RawPage {
  return isObject(value) && value['object'] === 'page' && typeof value['id'] === 'string' && isObject(value['properties']);
}

export function isRawDatabase(value: unknown): value is RawDatabase {
  return isObject(value) && value['object'] === 'database' && typeof value['id'] === 'string' && Array.isArray(value['data_sources']);
}

export function isRawDataSource(value: unknown): value is RawDataSource {
  return isObject(value) && value['object'] === 'data_source' && typeof value['id'] === 'string' && isObject(value['properties']);
}

export function isRawQueryResponse(value: unknown): value is RawQueryResponse {
  return isObject(value) && value['object'] === 'list' && Array.isArray(value['results']);
}

export function isRawPropertyItemList(value: unknown): value is RawPropertyItemList {
  return isObject(value) && value['object'] === 'list' && Array.isArray(value['results']);
}

export function plainText(items: unknown): string {
  return Array.isArray(items) ? items.map((t) => (t as RawRichText).plain_text ?? '').join('') : '';
}

/** The title of a page: its one `title` property, as plain text. */
export function pageTitle(page: RawPage): string {
  const title = Object.values(page.properties).find((p) => p.type === 'title');
  return title ? plainText(title['title']).trim() : '';
}
