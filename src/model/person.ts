import { z } from 'zod';

/** Roles the metrics know; anything else is kept as written. */
export const KNOWN_ROLES = ['pm', 'design', 'engineering', 'research'] as const;

/** A roster entry: the people the metrics are about, and their denominator. */
export const Person = z.object({
  name: z.string().min(1),
  email: z.email().transform((e) => e.toLowerCase()),
  role: z.string().min(1).default('pm'),
  team: z.string().min(1).nullable().default(null),
  /** First day on the team: earlier weeks are not held against them. */
  since: z.iso.date().nullable().default(null),
});
export type Person = z.output<typeof Person>;

/** The key a roster person is known by everywhere: the lower-cased e-mail. */
export function personKey(person: Pick<Person, 'email'>): string {
  return person.email.toLowerCase();
}

/** Whether someone is measured as a product manager (the role cadence targets are about). */
export function isPm(person: { role: string }): boolean {
  return person.role === 'pm';
}
