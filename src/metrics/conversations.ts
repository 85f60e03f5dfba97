import type { Interview } from '../model/interview.js';
import type { Targets } from '../config/schema.js';
import { isoWeek, localDate } from './time.js';

/** A dated interview placed in the team's calendar, with the people it credits. */
export interface Placed {
  interview: Interview;
  /** Local date in the team's zone. */
  date: string;
  week: string;
  hours: number;
  /** True when the duration was missing and `defaultDurationMinutes` was used. */
  assumed: boolean;
  /** Person keys credited, each once (interviewers, plus attendees when configured). */
  credited: readonly string[];
  /** Whether its call type is one of `countedCallTypes`: a conversation as docs/metrics.md defines it. */
  counted: boolean;
}

/** A placed interview that counts; docs/metrics.md "Conversation". */
export type Conversation = Placed;

/**
 * Every dated interview on or before the as-of date, placed in the team's calendar.
 * Interviews dated after it have not happened yet and count nowhere.
 */
export function placeInterviews(interviews: readonly Interview[], targets: Targets, zone: string, asOf: string): Placed[] {
  const counted = new Set(targets.countedCallTypes);
  const out: Placed[] = [];
  for (const interview of interviews) {
    if (!interview.startsAt) continue;
    const date = localDate(interview.startsAt, zone);
    if (date > asOf) continue;
    const minutes = interview.durationMinutes ?? targets.defaultDurationMinutes;
    // Each person once; a handful per row, so a scan beats a Set (one array per row, not four).
    const { interviewers, attendees } = interview;
    let credited: string[];
    // Most rows name one interviewer and credit no one else.
    if (interviewers.length === 1 && (attendees.length === 0 || !targets.creditAttendees)) credited = [interviewers[0]!.key];
    else {
      credited = [];
      for (const p of interviewers) if (!credited.includes(p.key)) credited.push(p.key);
      if (targets.creditAttendees) for (const p of attendees) if (!credited.includes(p.key)) credited.push(p.key);
    }
    out.push({
      interview,
      date,
      week: isoWeek(date),
      hours: minutes / 60,
      assumed: interview.durationMinutes === null,
      credited,
      counted: counted.has(interview.callType),
    });
  }
  return out;
}

/** The conversations of docs/metrics.md: counted call types, dated, on or before the as-of date. */
export function collectConversations(interviews: readonly Interview[], targets: Targets, zone: string, asOf: string): Conversation[] {
  return placeInterviews(interviews, targets, zone, asOf).filter((p) => p.counted);
}
