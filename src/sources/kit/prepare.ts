import { hash } from 'node:crypto';
import type { Interview } from '../../model/interview.js';
import type { PreparedRow } from '../source.js';

/** Content hash of an interview's JSON (key order is fixed by the assembly, so JSON is stable): unchanged from updated. */
export function hashJson(json: string): string {
  // One-shot: a Hash object per row cost more than the hashing (as in the CSV source's raw hash).
  return hash('sha1', json, 'hex');
}

/** The people of an interview not on the roster, each once per person reference (the sync report counts rows). */
export function offRosterOf(interview: Interview): string[] {
  const out: string[] = [];
  for (const person of [...interview.interviewers, ...interview.attendees]) if (!person.onRoster) out.push(person.name ?? person.email ?? person.key);
  return out;
}

/** An interview as the sync writes it, made where it was assembled (`SourceRecord.prepared`). */
export function prepareRow(interview: Interview): PreparedRow {
  const json = JSON.stringify(interview);
  return {
    key: { id: interview.id, updatedAt: interview.updatedAt, source: { recordId: interview.source.recordId } },
    json,
    hash: hashJson(json),
    offRoster: offRosterOf(interview),
  };
}
