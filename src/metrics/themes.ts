import { Interned, keyOfValue, NOT_SET, type Placement, type Rows } from './conversations.js';
import { dayOfDate } from './time.js';
import type { Window } from './window.js';

export interface ThemeRow {
  tag: string;
  current: number;
  previous: number;
  /** current − previous. */
  change: number;
}

export interface ThemesResult {
  window: { from: string; to: string };
  previous: { from: string; to: string };
  tags: ThemeRow[];
  /** Tag counts per segment in the window. */
  bySegment: Array<{ segment: string; tags: Array<{ tag: string; count: number }> }>;
}

/** Tag counts in the window against the window before it; docs/metrics.md "themes". */
export function computeThemes(placement: Placement, all: Rows, window: Window): ThemesResult {
  // Each tag as written: trimmed (its spelling), and the number of its folded key, -1 when blank.
  const texts = placement.tagNames.values.map((tag) => tag.trim());
  const keys = new Interned();
  const keyOfTag = Int32Array.from(texts, (text) => (text ? keys.id(text.toLowerCase()) : -1));
  // Whether a spelling was already taken as a row's.
  const spelled = new Uint8Array(texts.length);
  const spellings = new Map<number, Set<string>>();
  const current = new Int32Array(keys.values.length);
  const previous = new Int32Array(keys.values.length);
  const segments = new Map<number, Map<number, number>>();
  const now = [dayOfDate(window.from), dayOfDate(window.to)] as const;
  const before = [dayOfDate(window.previous.from), dayOfDate(window.previous.to)] as const;
  const { day, tagFrom, segment } = placement;
  // A row's tags, each key once: the last spelling of a key in the row stands for it.
  const row: number[] = [];
  const rowKeys: number[] = [];
  for (const r of all) {
    const d = day[r]!;
    const inNow = d >= now[0] && d <= now[1];
    if (!inNow && !(d >= before[0] && d <= before[1])) continue;
    row.length = 0;
    rowKeys.length = 0;
    for (let k = tagFrom[r]!; k < tagFrom[r + 1]!; k++) {
      const tag = placement.tags[k]!;
      const key = keyOfTag[tag]!;
      if (key < 0) continue;
      const at = rowKeys.indexOf(key);
      if (at === -1) {
        row.push(tag);
        rowKeys.push(key);
      } else row[at] = tag;
    }
    if (row.length === 0) continue;
    const seg = keyOfValue(segment[r]!);
    let counts = segments.get(seg);
    if (inNow && !counts) segments.set(seg, (counts = new Map()));
    for (let j = 0; j < row.length; j++) {
      const tag = row[j]!;
      const key = rowKeys[j]!;
      if (!spelled[tag]) {
        spelled[tag] = 1;
        let spelling = spellings.get(key);
        if (!spelling) spellings.set(key, (spelling = new Set()));
        spelling.add(texts[tag]!);
      }
      if (inNow) {
        current[key]! += 1;
        counts!.set(key, (counts!.get(key) ?? 0) + 1);
      } else previous[key]! += 1;
    }
  }
  const label = (key: number) => [...spellings.get(key)!].sort()[0]!;
  const tags = [...spellings.keys()]
    .map((key) => ({ tag: label(key), current: current[key]!, previous: previous[key]!, change: current[key]! - previous[key]! }))
    .sort((a, b) => b.current - a.current || b.change - a.change || a.tag.localeCompare(b.tag));
  const bySegment = [...segments]
    .map(([seg, counts]) => ({
      segment: placement.segments.values[seg]!,
      tags: [...counts].map(([key, count]) => ({ tag: label(key), count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
    }))
    .sort((a, b) => Number(a.segment === NOT_SET) - Number(b.segment === NOT_SET) || a.segment.localeCompare(b.segment));
  return { window: { from: window.from, to: window.to }, previous: window.previous, tags, bySegment };
}
