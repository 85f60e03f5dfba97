import type { Interview } from '../model/interview.js';

/** Model fields whose absence must read "not tracked", never 0 % or "never heard". */
export const TRACKED_FIELDS = ['attendees', 'debriefed', 'tldr', 'location', 'callType', 'customerStatus', 'segment'] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

/**
 * Which of those fields each source maps, by source name. A source not listed is taken to map
 * them all (pure callers and tests need not say).
 */
export type Tracking = Readonly<Record<string, readonly TrackedField[]>>;

/** Whether the source of this name maps the field. */
export function sourceTracks(tracking: Tracking, source: string, field: TrackedField): boolean {
  const fields = tracking[source];
  return fields === undefined || fields.includes(field);
}

/** Whether any source behind these interviews maps the field (with none: any configured source). */
export function anyTracks(tracking: Tracking, interviews: readonly Interview[], field: TrackedField): boolean {
  if (interviews.length > 0) return interviews.some((i) => sourceTracks(tracking, i.source.name, field));
  const lists = Object.values(tracking);
  return lists.length === 0 || lists.some((fields) => fields.includes(field));
}
