import type { Interview } from '../model/interview.js';
import type { Targets } from '../config/schema.js';
import { isoWeek, localDate } from './time.js';

/** An interview placed in the team's calendar, with the people it credits. */
export interface Conversation {
  interview: Interview;
  /** Local date in the team's zone. */
  date: string;
  week: string;
  hours: number;
  /** True when the duration was missing and `defaultDurationMinutes` was used. */
  assumed: boolean;
  /** Person keys credited, each once (interviewers, plus attendees when configured). */
  credited: readonly string[];
}

/**
 * The conversations of DESIGN.md: counted call types, dated, on or before the as-of date.
 * Interviews dated after it have not happened yet and count nowhere.
 */
export function collectConversations(interviews: readonly Interview[], targets: Targets, zone: string, asOf: string): Conversation[] {
  const counted = new Set(targets.countedCallTypes);
  const out: Conversation[] = [];
  for (const interview of interviews) {
    if (!interview.startsAt || !counted.has(interview.callType)) continue;
    const date = localDate(interview.startsAt, zone);
    if (date > asOf) continue;
    const minutes = interview.durationMinutes ?? targets.defaultDurationMinutes;
    const people = targets.creditAttendees ? [...interview.interviewers, ...interview.attendees] : interview.interviewers;
    out.push({
      interview,
      date,
      week: isoWeek(date),
      hours: minutes / 60,
      assumed: interview.durationMinutes === null,
      credited: [...new Set(people.map((p) => p.key))],
    });
  }
  return out;
}
