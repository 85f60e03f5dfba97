import type { Person } from '../../model/person.js';
import type { PersonRef } from '../../model/interview.js';
import type { RawPerson } from './cells.js';

/** Looks people up on the roster by e-mail, then by name (case and spacing ignored). */
export class RosterIndex {
  private readonly byEmail = new Map<string, Person>();
  private readonly byName = new Map<string, Person>();

  constructor(roster: readonly Person[]) {
    for (const person of roster) {
      this.byEmail.set(person.email.toLowerCase(), person);
      this.byName.set(normaliseName(person.name), person);
    }
  }

  /** References by the raw person they came from: a table names the same few people on every row. */
  private readonly resolved = new Map<string, PersonRef | null>();

  /**
   * A reference keyed by the roster e-mail when found, else by e-mail, source id or name. The same
   * raw person gives the same object: callers copy, never change it.
   */
  resolve(raw: RawPerson): PersonRef | null {
    const memo = `${raw.email ?? ''}\u0000${raw.name ?? ''}\u0000${raw.id ?? ''}`;
    let ref = this.resolved.get(memo);
    if (ref === undefined) {
      if (this.resolved.size >= RESOLVED_LIMIT) this.resolved.clear();
      this.resolved.set(memo, (ref = this.lookUp(raw)));
    }
    return ref;
  }

  private lookUp(raw: RawPerson): PersonRef | null {
    const email = raw.email?.trim().toLowerCase() || null;
    const name = raw.name?.trim() || null;
    const match = (email && this.byEmail.get(email)) || (name && this.byName.get(normaliseName(name))) || null;
    if (match) return { key: match.email, name: match.name, email: match.email, onRoster: true };
    const key = email ?? (raw.id ? `id:${raw.id}` : null) ?? (name ? `name:${normaliseName(name)}` : null);
    return key ? { key, name, email, onRoster: false } : null;
  }
}

/** Distinct raw people kept at most (a table of guests names many): past it the memo starts afresh. */
const RESOLVED_LIMIT = 10_000;

function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** `Jane Doe <jane@acme.com>`, `jane@acme.com` or `Jane Doe` as a raw person. */
export function parsePersonText(text: string): RawPerson {
  const trimmed = text.trim();
  const angle = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(trimmed);
  if (angle) return { name: angle[1]?.trim() || null, email: angle[2] ?? null, id: null };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) return { name: null, email: trimmed, id: null };
  return { name: trimmed || null, email: null, id: null };
}
