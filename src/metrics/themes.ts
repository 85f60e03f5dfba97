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

/** Tag counts in the window against the window before it; docs/metrics.md "themes". */
export function computeThemes(all: readonly Conversation[], window: Window): ThemesResult {
  const spellings = new Map<string, Set<string>>();
  const current = new Map<string, number>();
  const previous = new Map<string, number>();
  const segments = new Map<string, Map<string, number>>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const c of all) {
    const now = inRange(c.date, window);
    const before = !now && inRange(c.date, window.previous);
    if (!now && !before) continue;
    // A tag counts once per conversation, whatever its case or repetition (a few tags a row: a scan, not a Map).
    // The last spelling of a repeated tag is the row's.
    const keys: string[] = [];
    const written: string[] = [];
    for (const tag of c.interview.tags) {
      const text = tag.trim();
      if (!text) continue;
      const key = text.toLowerCase();
      const at = keys.indexOf(key);
      if (at === -1) {
        keys.push(key);
        written.push(text);
      } else written[at] = text;
    }
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (!spellings.has(key)) spellings.set(key, new Set());
      spellings.get(key)!.add(written[i]!);
      if (now) {
        bump(current, key);
        const segment = c.interview.segment ?? NOT_SET;
        if (!segments.has(segment)) segments.set(segment, new Map());
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
