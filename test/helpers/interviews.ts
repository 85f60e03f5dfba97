import type { Interview, PersonRef } from '../../src/model/interview.js';

/** A roster person reference. */
export const person = (email: string, onRoster = true): PersonRef => ({ key: email, name: email.split('@')[0]!, email, onRoster });

/** An interview with every field set to a neutral value; override what a test is about. */
export function interview(overrides: Partial<Interview> & { id?: string } = {}): Interview {
  const id = overrides.id ?? 'notes:r1';
  const recordId = id.split(':')[1] ?? id;
  return {
    id,
    source: { name: id.split(':')[0] ?? 'notes', kind: 'csv', recordId, url: null },
    title: `Interview ${recordId}`,
    startsAt: '2026-03-04T10:00:00.000Z',
    endsAt: null,
    durationMinutes: 60,
    interviewers: [person('pat@co.example')],
    attendees: [],
    account: 'Acme',
    participant: { name: null, email: null, role: null },
    segment: 'Enterprise',
    customerStatus: 'current',
    tier: null,
    callType: 'learning',
    location: 'video',
    study: null,
    tldr: null,
    notesUrl: null,
    debriefed: null,
    followUps: { due: null, done: null },
    tags: [],
    nugget: null,
    createdAt: null,
    updatedAt: null,
    ...overrides,
  };
}
