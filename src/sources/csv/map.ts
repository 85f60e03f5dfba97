import type { CellReader, DateRange, RawPerson, Unreadable } from '../kit/cells.js';
import { parsePersonText } from '../kit/people.js';
import { parseDateCell } from '../kit/dates.js';
import { parseBoolean, parseMinutes } from '../kit/values.js';

export interface CsvCellOptions {
  zone: string;
  order: 'mdy' | 'dmy';
  listSeparator: string;
}

/** Reads one CSV record's cells as the shared assembly asks for them. */
export class CsvCells implements CellReader {
  constructor(
    private readonly record: readonly string[],
    private readonly columns: ReadonlyMap<string, number>,
    private readonly options: CsvCellOptions,
  ) {}

  private raw(column: string): string | null {
    const index = this.columns.get(column);
    const value = index === undefined ? undefined : this.record[index];
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
  }

  text(column: string): string | null {
    const value = this.raw(column);
    return value === null ? null : stripNotionLink(value) || null;
  }

  list(column: string): string[] {
    return this.items(column).slice();
  }

  people(column: string): RawPerson[] {
    return this.items(column).map(personOf);
  }

  /** A list cell's distinct items, as the memo holds them. */
  private items(column: string): readonly string[] {
    const value = this.raw(column);
    if (value === null) return [];
    const separator = this.options.listSeparator;
    let memo = lists.get(separator);
    if (!memo) lists.set(separator, (memo = new Map()));
    let items = memo.get(value);
    if (items === undefined) {
      items = [...new Set(value.split(separator).map(stripNotionLink).filter(Boolean))];
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(value, items);
    }
    return items;
  }

  date(column: string): DateRange | null | Unreadable {
    const value = this.raw(column);
    return value === null ? null : parseDateCell(value, this.options);
  }

  minutes(column: string, unit: 'minutes' | 'hours' | 'seconds'): number | null | Unreadable {
    const value = this.raw(column);
    return value === null ? null : parseMinutes(value, unit);
  }

  /** An empty checkbox cell is false: both exporters write nothing (or "No") for unticked. */
  boolean(column: string): boolean | null | Unreadable {
    return parseBoolean(this.raw(column) ?? '');
  }
}

/**
 * A table names the same few lists (tags, attendees) and people on most rows: each cell text is
 * split and each name parsed once, by separator and text (a list is copied out, a person is read
 * only). Past the limit a memo starts afresh.
 */
const lists = new Map<string, Map<string, readonly string[]>>();
const persons = new Map<string, RawPerson>();
const MEMO_LIMIT = 50_000;

function personOf(text: string): RawPerson {
  let person = persons.get(text);
  if (person === undefined) {
    if (persons.size >= MEMO_LIMIT) persons.clear();
    persons.set(text, (person = parsePersonText(text)));
  }
  return person;
}

/**
 * Notion writes relations in CSV as `Acme Corp (https://www.notion.so/Acme-Corp-…)`, and in a
 * workspace export as a relative link to the page's file: `Churn deep-dive (Studies%20…/Churn%20deep-dive%20<hex>.md)`.
 * Only the name is kept.
 */
export function stripNotionLink(text: string): string {
  // Most cells hold no link: no parenthesis, nothing to strip.
  if (!text.includes('(')) return text.trim();
  return text
    .replace(/\s*\(https?:\/\/(?:www\.)?notion\.so\/[^)]*\)/g, '')
    .replace(/\s*\((?!https?:)[^()]*\.md\)/g, '')
    .trim();
}
