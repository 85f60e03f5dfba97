import { z } from 'zod';

export { KNOWN_ROLES, personKey, isPm } from './kinds.js';

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
