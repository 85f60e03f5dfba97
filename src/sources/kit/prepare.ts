import type { Interview } from '../../model/interview.js';
import { hashStored, storedForm } from '../../model/stored.js';
import type { PreparedRow } from '../source.js';

/** The people of an interview not on the roster, each once per person reference (the sync report counts rows). */
export function offRosterOf(interview: Interview): string[] {
  const out: string[] = [];
  for (const people of [interview.interviewers, interview.attendees]) {
    for (const person of people) if (!person.onRoster) out.push(person.name ?? person.email ?? person.key);
  }
  return out;
}

/** An interview as the sync writes it, made where it was assembled (`SourceRecord.prepared`). */
export function prepareRow(interview: Interview): PreparedRow {
  const json = storedForm(interview);
  return {
    key: { id: interview.id, updatedAt: interview.updatedAt, source: { recordId: interview.source.recordId } },
    json,
    hash: hashStored(json),
    offRoster: offRosterOf(interview),
  };
}
