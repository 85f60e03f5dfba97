import type { Conversation } from './conversations.js';
import { inRange, type Window } from './window.js';
import { NOT_SET } from './coverage.js';

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

/** A distinct tag string of the rows, trimmed and folded. */
interface Tagged {
  text: string;
  key: string;
  /** Whether this spelling was already taken as a row's. */
  spelled: boolean;
}

/** Tag counts in the window against the window before it; docs/metrics.md "themes". */
export function computeThemes(all: readonly Conversation[], window: Window): ThemesResult {
  const spellings = new Map<string, Set<string>>();
  const current = new Map<string, number>();
  const previous = new Map<string, number>();
  const segments = new Map<string, Map<string, number>>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  // Each distinct tag string is trimmed and folded once per call, not once per row.
  const tagged = new Map<string, Tagged | null>();
  for (const c of all) {
    const now = inRange(c.date, window);
    const before = !now && inRange(c.date, window.previous);
    if (!now && !before) continue;
    // A tag counts once per conversation, whatever its case or repetition (a few tags a row: a scan, not a Map).
    // The last spelling of a repeated tag is the row's.
    const row: Tagged[] = [];
    for (const tag of c.interview.tags) {
      let entry = tagged.get(tag);
      if (entry === undefined) {
        const text = tag.trim();
        tagged.set(tag, (entry = text ? { text, key: text.toLowerCase(), spelled: false } : null));
      }
      if (entry === null) continue;
      let at = -1;
      for (let i = 0; i < row.length; i++) if (row[i]!.key === entry.key) at = i;
      if (at === -1) row.push(entry);
      else row[at] = entry;
    }
    if (row.length === 0) continue;
    const segment = c.interview.segment ?? NOT_SET;
    if (now && !segments.has(segment)) segments.set(segment, new Map());
    for (const entry of row) {
      const key = entry.key;
      if (!entry.spelled) {
        entry.spelled = true;
        let spelled = spellings.get(key);
        if (!spelled) spellings.set(key, (spelled = new Set()));
        spelled.add(entry.text);
      }
      if (now) {
        bump(current, key);
        bump(segments.get(segment)!, key);
      } else bump(previous, key);
    }
  }
  const label = (key: string) => [...spellings.get(key)!].sort()[0]!;
  const tags = [...spellings.keys()]
    .map((key) => ({
      tag: label(key),
      current: current.get(key) ?? 0,
      previous: previous.get(key) ?? 0,
      change: (current.get(key) ?? 0) - (previous.get(key) ?? 0),
    }))
    .sort((a, b) => b.current - a.current || b.change - a.change || a.tag.localeCompare(b.tag));
  const bySegment = [...segments]
    .map(([segment, counts]) => ({
      segment,
      tags: [...counts].map(([key, count]) => ({ tag: label(key), count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
    }))
    .sort((a, b) => Number(a.segment === NOT_SET) - Number(b.segment === NOT_SET) || a.segment.localeCompare(b.segment));
  return { window: { from: window.from, to: window.to }, previous: window.previous, tags, bySegment };
}
