import type { ColumnOption, PersonSample, SampleRequest, ValueSample } from '../source.js';
import type { CellReader } from './cells.js';

/**
 * Counts values and people over rows as they are read, for `sampleValues`: each value once per
 * row, each person once per row (keyed by e-mail, else name), most rows first.
 */
export class ValueCounter {
  private rows = 0;
  private readonly values = new Map<string, Map<string, number>>();
  private readonly people = new Map<string, Map<string, PersonSample>>();

  constructor(private readonly request: SampleRequest) {
    for (const column of request.values) this.values.set(column, new Map());
    for (const column of request.people) this.people.set(column, new Map());
  }

  /** Whether the limit is reached. */
  get full(): boolean {
    return this.rows >= this.request.limit;
  }

  add(cells: CellReader): void {
    this.rows += 1;
    for (const [column, counts] of this.values) {
      for (const value of new Set(cells.list(column))) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    for (const [column, counts] of this.people) {
      const seen = new Set<string>();
      for (const person of cells.people(column)) {
        const email = person.email?.trim().toLowerCase() || null;
        const name = person.name?.trim() || null;
        const key = email ?? (name ? `name:${name.toLowerCase()}` : null);
        if (!key || seen.has(key)) continue;
        seen.add(key);
        const known = counts.get(key);
        if (known) {
          known.rows += 1;
          known.name ??= name;
        } else counts.set(key, { name, email, rows: 1 });
      }
    }
  }

  result(complete: boolean): ValueSample {
    const values: Record<string, ColumnOption[]> = {};
    for (const [column, counts] of this.values) {
      values[column] = [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || (a.name < b.name ? -1 : 1));
    }
    const people: Record<string, PersonSample[]> = {};
    for (const [column, counts] of this.people) {
      people[column] = [...counts.values()].sort((a, b) => b.rows - a.rows || ((a.name ?? a.email ?? '') < (b.name ?? b.email ?? '') ? -1 : 1));
    }
    return { rows: this.rows, complete, values, people };
  }
}
