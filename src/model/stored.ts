import { hash } from 'node:crypto';
import type { Interview, PersonRef } from './interview.js';

/**
 * An interview as the store keeps it (docs/RELIABILITY.md, "Data"): a JSON array of its
 * fields in a fixed order, without the names. A row of the bench's CSV is 310 bytes in it, 794 as an
 * object; it is parsed in about two thirds of the time and written in three quarters, and the store is half
 * the size. A person is `[key, name, onRoster ? 1 : 0]`, with the e-mail fourth where it is not the
 * key. `followUps.text` is last, and only where the interview has one (absent is not null).
 */
export function storedForm(i: Interview): string {
  const s = i.source;
  const p = i.participant;
  const f = i.followUps;
  const fields: unknown[] = [
    i.id, s.name, s.kind, s.recordId, s.url, i.title, i.startsAt, i.endsAt, i.durationMinutes,
    i.interviewers.map(storedPerson), i.attendees.map(storedPerson), i.account, p.name, p.email, p.role,
    i.segment, i.customerStatus, i.tier, i.callType, i.location, i.study, i.tldr, i.notesUrl, i.debriefed,
    f.due, f.done, i.tags, i.nugget, i.createdAt, i.updatedAt,
  ]; // prettier-ignore
  if (f.text !== undefined) fields.push(f.text);
  return JSON.stringify(fields);
}

/** Content hash of a stored form: an updated row from an unchanged one. */
export function hashStored(json: string): string {
  // One-shot: a Hash object per row cost more than the hashing (as in the CSV source's raw hash).
  return hash('sha1', json, 'hex');
}

/** Fields of the stored form without `followUps.text`. */
const FIELDS = 30;

const storedPerson = (p: PersonRef): unknown[] => (p.email === p.key ? [p.key, p.name, p.onRoster ? 1 : 0] : [p.key, p.name, p.onRoster ? 1 : 0, p.email]);

/**
 * The interview a stored row holds, or null where it does not parse. An object is the form stores had
 * before migration 7 (the store converts it when it opens; a read-only reader may still meet one).
 */
export function fromStored(json: string): Interview | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return value !== null && typeof value === 'object' ? (value as Interview) : null;
  if (value.length < FIELDS || !Array.isArray(value[9]) || !Array.isArray(value[10]) || !Array.isArray(value[26])) return null;
  const a: unknown[] = value;
  return {
    id: a[0],
    source: { name: a[1], kind: a[2], recordId: a[3], url: a[4] },
    title: a[5],
    startsAt: a[6],
    endsAt: a[7],
    durationMinutes: a[8],
    interviewers: (a[9] as unknown[][]).map(personOf),
    attendees: (a[10] as unknown[][]).map(personOf),
    account: a[11],
    participant: { name: a[12], email: a[13], role: a[14] },
    segment: a[15],
    customerStatus: a[16],
    tier: a[17],
    callType: a[18],
    location: a[19],
    study: a[20],
    tldr: a[21],
    notesUrl: a[22],
    debriefed: a[23],
    followUps: a.length > FIELDS ? { due: a[24], done: a[25], text: a[FIELDS] } : { due: a[24], done: a[25] },
    tags: a[26],
    nugget: a[27],
    createdAt: a[28],
    updatedAt: a[29],
  } as Interview;
}

const personOf = (p: unknown[]): PersonRef => ({
  key: p[0] as string,
  name: p[1] as string | null,
  email: (p.length > 3 ? p[3] : p[0]) as string | null,
  onRoster: p[2] === 1,
});
