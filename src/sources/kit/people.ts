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

  /** A reference keyed by the roster e-mail when found, else by e-mail, source id or name. */
  resolve(raw: RawPerson): PersonRef | null {
    const email = raw.email?.trim().toLowerCase() || null;
    const name = raw.name?.trim() || null;
    const match = (email && this.byEmail.get(email)) || (name && this.byName.get(normaliseName(name))) || null;
    if (match) return { key: match.email, name: match.name, email: match.email, onRoster: true };
    const key = email ?? (raw.id ? `id:${raw.id}` : null) ?? (name ? `name:${normaliseName(name)}` : null);
    return key ? { key, name, email, onRoster: false } : null;
  }
}

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
