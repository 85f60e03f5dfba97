import { z } from 'zod';
import { CALL_TYPES, CUSTOMER_STATUSES, LOCATIONS, SOURCE_KINDS } from './kinds.js';

export * from './kinds.js';

/** A calendar date (`2026-03-09`) or an instant in UTC (`2026-03-09T14:30:00.000Z`). */
export const DateOrInstant = z.union([z.iso.date(), z.iso.datetime()]);

/** A person as a source names them, resolved against the roster where possible. */
export const PersonRef = z.object({
  /** Roster key (lower-cased e-mail) when matched, else e-mail, source user id or name. */
  key: z.string().min(1),
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** Whether `key` is a roster person's key. */
  onRoster: z.boolean(),
});
export type PersonRef = z.infer<typeof PersonRef>;

/** One customer conversation, normalised from any source; docs/metrics.md "Shared definitions". */
export const Interview = z.object({
  id: z.string().min(1),
  source: z.object({
    name: z.string().min(1),
    kind: z.enum(SOURCE_KINDS),
    recordId: z.string().min(1),
    url: z.string().nullable(),
  }),
  title: z.string(),
  startsAt: DateOrInstant.nullable(),
  endsAt: DateOrInstant.nullable(),
  durationMinutes: z.number().nonnegative().nullable(),
  interviewers: z.array(PersonRef),
  attendees: z.array(PersonRef),
  account: z.string().nullable(),
  participant: z.object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    role: z.string().nullable(),
  }),
  segment: z.string().nullable(),
  customerStatus: z.enum(CUSTOMER_STATUSES),
  tier: z.string().nullable(),
  /** Defaults to the source's `defaultCallType` where the source does not say. */
  callType: z.enum(CALL_TYPES),
  location: z.enum(LOCATIONS).nullable(),
  study: z.string().nullable(),
  tldr: z.string().nullable(),
  notesUrl: z.string().nullable(),
  debriefed: z.boolean().nullable(),
  /** `text`: what was promised, where a column holds it (absent when none is mapped, and in rows stored before it existed). */
  followUps: z.object({ due: z.iso.date().nullable(), done: z.boolean().nullable(), text: z.string().nullable().optional() }),
  tags: z.array(z.string()),
  nugget: z.string().nullable(),
  createdAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type Interview = z.infer<typeof Interview>;

/** What the store keeps of an interview beside its JSON: the id, the record id and the last edit. */
export type InterviewKey = Pick<Interview, 'id' | 'updatedAt'> & { source: Pick<Interview['source'], 'recordId'> };
