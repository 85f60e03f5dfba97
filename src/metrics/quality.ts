import { isPm } from '../model/person.js';
import type { Person } from '../model/person.js';
import { anyTracks, tracks, type TrackedField, type Tracking } from './tracking.js';
import type { Placed } from './conversations.js';
import { ratio, type Window } from './window.js';

/** The fields a practice rate reads. */
export type QualityField = Extract<TrackedField, 'attendees' | 'debriefed' | 'tldr' | 'location' | 'callType'>;

/** A rate and what it was computed over; `tracked: false` means no source maps the field. */
export interface Rate {
  rate: number | null;
  numerator: number;
  denominator: number;
  tracked: boolean;
}

export interface QualityRates {
  conversations: number;
  /** A PM, a designer and an engineer from the roster were all present. */
  trio: Rate;
  debrief: Rate;
  tldr: Rate;
  /** Of conversations whose location is known. */
  onsite: Rate;
  /** Learning conversations / (learning + sales calls): the one rate that sees other call types. */
  learningVsSales: Rate & { learning: number; sales: number };
}

export interface QualityResult {
  team: QualityRates;
  people: Array<{ email: string; name: string; team: string | null } & QualityRates>;
}

/** Practice quality in the window, for the team and per roster PM; DESIGN.md "Practice quality". */
export function computeQuality(placed: readonly Placed[], roster: readonly Person[], window: Window, tracking: Tracking): QualityResult {
  const inWindow = placed.filter((p) => p.date >= window.from && p.date <= window.to);
  const roles = new Map(roster.map((p) => [p.email, p.role]));
  // Who was present, once per conversation (not once per PM and conversation).
  const presentOf = new Map(inWindow.map((p) => [p, new Set([...p.interview.interviewers, ...p.interview.attendees].map((x) => x.key))]));
  const present = (p: Placed) => presentOf.get(p)!;
  const byPerson = new Map<string, Placed[]>();
  for (const p of inWindow) {
    for (const key of present(p)) {
      if (!byPerson.has(key)) byPerson.set(key, []);
      byPerson.get(key)!.push(p);
    }
  }
  const rates = (items: readonly Placed[]): QualityRates => {
    const conversations = items.filter((p) => p.counted);
    const rate = (field: QualityField, counts: (p: Placed) => boolean | null): Rate => {
      const over = conversations.filter((p) => tracks(tracking, p.interview, field));
      let numerator = 0;
      let denominator = 0;
      for (const p of over) {
        const value = counts(p);
        if (value === null) continue;
        denominator += 1;
        if (value) numerator += 1;
      }
      return {
        rate: ratio(numerator, denominator),
        numerator,
        denominator,
        tracked: anyTracks(
          tracking,
          conversations.map((p) => p.interview),
          field,
        ),
      };
    };
    const trio = rate('attendees', (p) => {
      const seen = new Set([...present(p)].map((key) => roles.get(key)));
      return seen.has('pm') && seen.has('design') && seen.has('engineering');
    });
    const typed = items.filter((p) => tracks(tracking, p.interview, 'callType'));
    const learning = typed.filter((p) => p.counted).length;
    const sales = typed.filter((p) => p.interview.callType === 'sales').length;
    return {
      conversations: conversations.length,
      trio,
      debrief: rate('debriefed', (p) => p.interview.debriefed),
      tldr: rate('tldr', (p) => Boolean(p.interview.tldr?.trim())),
      onsite: rate('location', (p) => (p.interview.location === null ? null : p.interview.location === 'onsite')),
      learningVsSales: {
        rate: ratio(learning, learning + sales),
        numerator: learning,
        denominator: learning + sales,
        tracked: anyTracks(
          tracking,
          items.map((p) => p.interview),
          'callType',
        ),
        learning,
        sales,
      },
    };
  };
  return {
    team: rates(inWindow),
    people: roster.filter(isPm).map((p) => ({ email: p.email, name: p.name, team: p.team, ...rates(byPerson.get(p.email) ?? []) })),
  };
}
