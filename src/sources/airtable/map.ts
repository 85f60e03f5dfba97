import { joinText, type CellReader, type DateRange, type RawPerson, type Unreadable } from '../kit/cells.js';
import { parsePersonText } from '../kit/people.js';
import { normaliseIsoDate, parseDateCell } from '../kit/dates.js';
import { parseBoolean, parseMinutes } from '../kit/values.js';

/** A mapped column resolved against the base's schema. */
export interface AirtableColumn {
  id: string;
  name: string;
  type: string;
}

/** `{"error":"#ERROR!"}` or `{"specialValue":"NaN"}`: what a failed formula, rollup or lookup holds. */
function computedError(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as { error?: unknown; specialValue?: unknown };
  if (typeof v.error === 'string') return v.error;
  if (typeof v.specialValue === 'string') return v.specialValue;
  return null;
}

/** Reads one record's cells (keyed by field id) as the shared assembly asks for them. */
export class AirtableCells implements CellReader {
  constructor(
    private readonly fields: Record<string, unknown>,
    private readonly columns: ReadonlyMap<string, AirtableColumn>,
    private readonly zone: string,
  ) {}

  private column(name: string): AirtableColumn | null {
    return this.columns.get(name) ?? null;
  }

  /** The cell; an absent key is empty (Airtable omits "", [] and false). */
  private raw(name: string): unknown {
    const column = this.column(name);
    return column ? this.fields[column.id] : undefined;
  }

  /** Every value in the cell as text, computed errors left out. */
  private strings(name: string): string[] {
    const value = this.raw(name);
    const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    return items.flatMap((item): string[] => {
      if (computedError(item) !== null) return [];
      if (typeof item === 'string') return [item.replace(/<airtable:mention[^>]*>(.*?)<\/airtable:mention>/g, '$1')];
      if (typeof item === 'number') return [String(item)];
      if (typeof item === 'boolean') return item ? ['Yes'] : [];
      if (item && typeof item === 'object') {
        const o = item as { name?: string; email?: string; filename?: string; url?: string; label?: string; text?: string; value?: string };
        const text = o.name ?? o.email ?? o.filename ?? o.label ?? o.text ?? o.value ?? o.url;
        return text ? [text] : [];
      }
      return [];
    });
  }

  problem(name: string): string | null {
    const value = this.raw(name);
    for (const item of Array.isArray(value) ? value : [value]) {
      const error = computedError(item);
      if (error !== null) return error;
    }
    return null;
  }

  text(name: string): string | null {
    return joinText(this.strings(name));
  }

  list(name: string): string[] {
    const column = this.column(name);
    const parts =
      column && (column.type === 'singleLineText' || column.type === 'multilineText') ? this.strings(name).flatMap((s) => s.split(',')) : this.strings(name);
    return [...new Set(parts.map((s) => s.trim()).filter(Boolean))];
  }

  people(name: string): RawPerson[] {
    const value = this.raw(name);
    const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    return items.flatMap((item): RawPerson[] => {
      if (item && typeof item === 'object' && computedError(item) === null) {
        // A collaborator: name and e-mail are both optional (an invited user without an account).
        const c = item as { id?: string; name?: string; email?: string };
        return [{ name: c.name ?? null, email: c.email ?? null, id: c.id ?? null }];
      }
      return typeof item === 'string'
        ? item
            .split(',')
            .map(parsePersonText)
            .filter((p) => p.name || p.email)
        : [];
    });
  }

  date(name: string): DateRange | null | Unreadable {
    const text = this.strings(name)[0]?.trim();
    if (!text) return null;
    // `date` is YYYY-MM-DD (no zone: never through new Date()); `dateTime` is UTC ISO.
    if (/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text)) {
      const value = normaliseIsoDate(text);
      return value ? { start: value, end: null } : { unreadable: text };
    }
    return parseDateCell(text, { zone: this.zone, order: 'mdy' });
  }

  minutes(name: string, unit: 'minutes' | 'hours' | 'seconds'): number | null | Unreadable {
    const value = this.raw(name);
    const first = Array.isArray(value) ? value.find((v) => computedError(v) === null) : value;
    if (first === undefined || first === null || computedError(first) !== null) return null;
    // A duration field holds seconds, whatever unit the config says (2700 = 45 min).
    if (typeof first === 'number')
      return this.column(name)?.type === 'duration' ? first / 60 : unit === 'hours' ? first * 60 : unit === 'seconds' ? first / 60 : first;
    return parseMinutes(String(first), unit);
  }

  boolean(name: string): boolean | null | Unreadable {
    const value = this.raw(name);
    if (this.column(name)?.type === 'checkbox') return value === true; // unchecked: the key is absent
    if (value === undefined || value === null) return null;
    if (typeof value === 'boolean') return value;
    const text = this.text(name);
    return text === null ? null : parseBoolean(text);
  }
}
