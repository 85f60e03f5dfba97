/** A person as a source writes them, before roster resolution. */
export interface RawPerson {
  name: string | null;
  email: string | null;
  /** The source's own user id (Notion user, Airtable collaborator), if any. */
  id: string | null;
}

/** A value the source holds but touchpoint cannot read; `raw` is shown in the finding. */
export interface Unreadable {
  unreadable: string;
}

/** A date or date-time range, already normalised: `YYYY-MM-DD` or a UTC ISO instant. */
export interface DateRange {
  start: string;
  end: string | null;
}

/**
 * How a source hands its cells to the shared assembly. Each source reads its own wire
 * format (CSV text, Notion property values, Airtable cell values); `null` is an empty cell.
 */
export interface CellReader {
  text(column: string): string | null;
  list(column: string): string[];
  people(column: string): RawPerson[];
  date(column: string): DateRange | null | Unreadable;
  /** A duration in minutes, given the unit the config says the column holds. */
  minutes(column: string, unit: 'minutes' | 'hours' | 'seconds'): number | null | Unreadable;
  boolean(column: string): boolean | null | Unreadable;
  /** A computed error the cell holds (`#ERROR!`), for sources whose formulas can fail. */
  problem?(column: string): string | null;
}

export function isUnreadable(value: unknown): value is Unreadable {
  return typeof value === 'object' && value !== null && 'unreadable' in value;
}

/** Several values of one cell as one text: trimmed, empty ones dropped, joined by commas; null when nothing is left. */
export function joinText(values: readonly string[]): string | null {
  return (
    values
      .map((s) => s.trim())
      .filter(Boolean)
      .join(', ') || null
  );
}
