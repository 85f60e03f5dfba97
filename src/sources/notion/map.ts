import { joinText, type CellReader, type DateRange, type RawPerson, type Unreadable } from '../kit/cells.js';
import { parsePersonText } from '../kit/people.js';
import { normaliseIsoDate, parseDateCell } from '../kit/dates.js';
import { parseBoolean, parseMinutes } from '../kit/values.js';
import { plainText, type RawDate, type RawPage, type RawPropertyValue, type RawUser } from './wire.js';

/** A mapped column resolved against the data source's schema. */
export interface ResolvedColumn {
  id: string;
  name: string;
  type: string;
}

export interface NotionCellContext {
  columns: ReadonlyMap<string, ResolvedColumn>;
  /** Related page id → title, for relation columns. */
  titles: ReadonlyMap<string, string>;
  /** Full relation id lists for values cut at 25 (`has_more`), by property id. */
  relations: ReadonlyMap<string, readonly string[]>;
  zone: string;
}

/** Reads one page's property values as the shared assembly asks for them. */
export class NotionCells implements CellReader {
  private readonly byId = new Map<string, RawPropertyValue>();

  constructor(
    page: RawPage,
    private readonly ctx: NotionCellContext,
  ) {
    for (const value of Object.values(page.properties)) this.byId.set(value.id, value);
  }

  private value(column: string): RawPropertyValue | null {
    const resolved = this.ctx.columns.get(column);
    return resolved ? (this.byId.get(resolved.id) ?? null) : null;
  }

  private relationIds(value: RawPropertyValue): string[] {
    return this.ctx.relations.get(value.id)?.slice() ?? ((value['relation'] as Array<{ id: string }> | undefined) ?? []).map((r) => r.id);
  }

  /** A value as a list of strings, whatever its type; dates and numbers as written. */
  private strings(value: RawPropertyValue | unknown): string[] {
    const v = value as RawPropertyValue;
    const inner = v[v.type];
    switch (v.type) {
      case 'title':
      case 'rich_text':
        return [plainText(inner)];
      case 'select':
      case 'status':
        return inner ? [(inner as { name: string }).name] : [];
      case 'multi_select':
        return ((inner as Array<{ name: string }>) ?? []).map((o) => o.name);
      case 'people':
        return ((inner as RawUser[]) ?? []).map((u) => u.name ?? '').filter(Boolean);
      case 'created_by':
      case 'last_edited_by':
        return (inner as RawUser | null)?.name ? [(inner as RawUser).name!] : [];
      case 'relation':
        return this.relationIds(v)
          .map((id) => this.ctx.titles.get(id) ?? '')
          .filter(Boolean);
      case 'number':
        return inner === null || inner === undefined ? [] : [String(inner)];
      case 'checkbox':
        return [inner ? 'Yes' : 'No'];
      case 'url':
      case 'email':
      case 'phone_number':
      case 'created_time':
      case 'last_edited_time':
        return typeof inner === 'string' ? [inner] : [];
      case 'date':
        return inner ? [(inner as RawDate).start] : [];
      case 'unique_id': {
        const u = inner as { prefix: string | null; number: number | null } | null;
        return u?.number === null || u?.number === undefined ? [] : [u.prefix ? `${u.prefix}-${u.number}` : String(u.number)];
      }
      case 'files':
        return ((inner as Array<{ name: string; type: string; external?: { url: string } }>) ?? []).map((f) =>
          f.type === 'external' ? (f.external?.url ?? f.name) : f.name,
        );
      case 'formula': {
        const f = inner as { type: string; [k: string]: unknown } | null;
        if (!f) return [];
        const x = f[f.type];
        if (x === null || x === undefined) return [];
        if (f.type === 'date') return [(x as RawDate).start];
        return [f.type === 'boolean' ? (x ? 'Yes' : 'No') : String(x)];
      }
      case 'rollup': {
        const r = inner as { type: string; array?: unknown[]; [k: string]: unknown } | null;
        if (!r) return [];
        if (r.type === 'array') return (r.array ?? []).flatMap((item) => this.strings({ id: v.id, ...(item as object) }));
        const x = r[r.type];
        if (x === null || x === undefined) return [];
        return [r.type === 'date' ? (x as RawDate).start : String(x)];
      }
      default:
        return [];
    }
  }

  text(column: string): string | null {
    const value = this.value(column);
    if (!value) return null;
    return joinText(this.strings(value));
  }

  list(column: string): string[] {
    const value = this.value(column);
    if (!value) return [];
    const items = value.type === 'rich_text' || value.type === 'title' ? plainText(value[value.type]).split(',') : this.strings(value);
    return [...new Set(items.map((s) => s.trim()).filter(Boolean))];
  }

  people(column: string): RawPerson[] {
    const value = this.value(column);
    if (!value) return [];
    const users =
      value.type === 'people'
        ? (value['people'] as RawUser[])
        : value.type === 'created_by' || value.type === 'last_edited_by'
          ? [value[value.type] as RawUser]
          : null;
    if (users) {
      // Groups are not people; a bot is not an interviewer. Name and e-mail may both be missing.
      return users.filter((u) => u && u.object === 'user' && u.type !== 'bot').map((u) => ({ name: u.name ?? null, email: u.person?.email ?? null, id: u.id }));
    }
    return this.list(column).map(parsePersonText);
  }

  date(column: string): DateRange | null | Unreadable {
    const value = this.value(column);
    if (!value) return null;
    const inner = value[value.type];
    const fromRaw = (d: RawDate | null | undefined): DateRange | null | Unreadable => {
      if (!d?.start) return null;
      const start = normaliseIsoDate(d.start);
      const end = d.end ? normaliseIsoDate(d.end) : null;
      return start ? { start, end } : { unreadable: d.start };
    };
    switch (value.type) {
      case 'date':
        return fromRaw(inner as RawDate | null);
      case 'created_time':
      case 'last_edited_time':
        return fromRaw(typeof inner === 'string' ? { start: inner, end: null } : null);
      case 'formula':
      case 'rollup': {
        const x = inner as { type: string; date?: RawDate | null } | null;
        if (x?.type === 'date') return fromRaw(x.date);
        break;
      }
    }
    const text = this.text(column);
    return text === null ? null : parseDateCell(text, { zone: this.ctx.zone, order: 'mdy' });
  }

  minutes(column: string, unit: 'minutes' | 'hours' | 'seconds'): number | null | Unreadable {
    const text = this.text(column);
    return text === null ? null : parseMinutes(text, unit);
  }

  boolean(column: string): boolean | null | Unreadable {
    const value = this.value(column);
    if (!value) return null;
    if (value.type === 'checkbox') return Boolean(value['checkbox']);
    const text = this.text(column);
    return text === null ? null : parseBoolean(text);
  }
}
