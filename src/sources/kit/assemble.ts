import { DateTime } from 'luxon';
import type { CallType, Interview, PersonRef, SourceKind } from '../../model/interview.js';
import type { Finding, FindingCode } from '../../model/finding.js';
import { CALL_TYPES, CUSTOMER_STATUSES, LOCATIONS, clip, isDateOnly } from '../../model/kinds.js';
import type { Mapping } from '../../config/schema.js';
import { isUnreadable, type CellReader, type DateRange } from './cells.js';
import { SYNONYMS } from './synonyms.js';
import type { RosterIndex } from './people.js';

/** What the assembly needs to know about the row besides its cells. */
export interface RowContext {
  source: { name: string; kind: SourceKind };
  recordId: string;
  url: string | null;
  /** 1-based position in the source, for sources that have one (CSV line). */
  row: number | null;
  mapping: Mapping;
  roster: RosterIndex;
  defaultCallType: CallType;
  /** The source's own row timestamps, used when the mapping names no column for them. */
  timestamps?: { createdAt: string | null; updatedAt: string | null };
  /** What a value may be and still count. */
  limits: Plausible;
}

/** Bounds a value must keep to count; outside them it is a finding (`implausible_value`). */
export interface Plausible {
  maxDurationMinutes: number;
  /** The earliest start date that counts (`YYYY-MM-DD`). */
  earliest: string;
  /** The latest start date that counts (`YYYY-MM-DD`): a year after the sync. */
  latest: string;
}

/** The bounds for a sync made at `now`: from 2000 to a year ahead, durations up to the source's maximum. */
export function plausibleAt(now: number, maxDurationMinutes: number): Plausible {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + 1);
  return { maxDurationMinutes, earliest: '2000-01-01', latest: latest.toISOString().slice(0, 10) };
}

/** An interview and what was wrong with its row; `interview` is null only without an id. */
export interface Assembled {
  interview: Interview;
  findings: Finding[];
}

/** A mapping's value map by the compared form of its keys (trimmed, lower case), the first key written winning; made once per map. */
const valueMaps = new WeakMap<Record<string, string>, Map<string, string>>();

function valueMap<T extends string>(values: Record<string, T>): Map<string, T> {
  let map = valueMaps.get(values);
  if (!map) {
    map = new Map();
    for (const [from, to] of Object.entries(values)) {
      const key = from.trim().toLowerCase();
      if (!map.has(key)) map.set(key, to);
    }
    valueMaps.set(values, map);
  }
  return map as Map<string, T>;
}

/** Turn one source row into an `Interview` plus findings. Never throws on row content. */
export function assembleInterview(cells: CellReader, ctx: RowContext): Assembled {
  const findings: Finding[] = [];
  const m = ctx.mapping;
  const note = (code: FindingCode, field: string | null, value: string | null, severity: Finding['severity'] = 'warning') =>
    findings.push({
      code,
      severity,
      source: ctx.source.name,
      recordId: ctx.recordId,
      field,
      value: value === null ? null : clip(value),
      url: ctx.url,
      row: ctx.row,
    });

  const text = (spec: { column: string } | undefined) => (spec ? cells.text(spec.column) : null);

  // Computed errors (Airtable's `{"error":"#ERROR!"}`) are reported once per column; the value is left out.
  if (cells.problem) {
    for (const column of new Set(Object.values(m).flatMap((spec) => (spec ? [spec.column] : [])))) {
      const problem = cells.problem(column);
      if (problem !== null) note('formula_error', column, problem);
    }
  }

  // Dates: a missing or unreadable start keeps the row but takes it out of every metric.
  let range: DateRange | null = null;
  const start = cells.date(m.startsAt.column);
  const limits = ctx.limits;
  if (isUnreadable(start)) note('invalid_date', m.startsAt.column, start.unreadable, 'excluded');
  else if (start === null) note('missing_date', m.startsAt.column, null, 'excluded');
  else if (start.start.slice(0, 10) < limits.earliest || start.start.slice(0, 10) > limits.latest)
    note('implausible_value', m.startsAt.column, start.start, 'excluded');
  else range = start;
  let endsAt = range?.end ?? null;
  let endColumn = m.startsAt.column;
  if (m.endsAt) {
    const end = cells.date(m.endsAt.column);
    if (isUnreadable(end)) note('invalid_date', m.endsAt.column, end.unreadable);
    else if (end) [endsAt, endColumn] = [end.start, m.endsAt.column];
  }
  if (range && endsAt && endsBeforeStart(range.start, endsAt)) {
    note('implausible_value', endColumn, endsAt);
    endsAt = null;
  }

  let durationMinutes: number | null = null;
  if (m.durationMinutes) {
    const minutes = cells.minutes(m.durationMinutes.column, m.durationMinutes.unit);
    if (isUnreadable(minutes)) note('invalid_number', m.durationMinutes.column, minutes.unreadable);
    else if (minutes !== null && (!Number.isFinite(minutes) || minutes < 0 || minutes > limits.maxDurationMinutes))
      note('implausible_value', m.durationMinutes.column, durationText(minutes));
    else durationMinutes = minutes;
  }
  if (durationMinutes === null && range && endsAt) durationMinutes = minutesBetween(range.start, endsAt);

  // Unknown interviewers are findings (their conversations credit nobody on the roster);
  // unknown attendees (a sales observer, a contractor) are normal and only listed in reports.
  const people = (spec: { column: string } | undefined, reportUnknown: boolean): PersonRef[] => {
    if (!spec) return [];
    const seen = new Set<string>();
    const refs: PersonRef[] = [];
    for (const raw of cells.people(spec.column)) {
      const ref = ctx.roster.resolve(raw);
      if (!ref || seen.has(ref.key)) continue;
      seen.add(ref.key);
      if (!ref.onRoster && reportUnknown) note('unknown_person', spec.column, ref.email ?? ref.name ?? raw.id);
      refs.push(ref);
    }
    return refs;
  };
  const interviewers = people(m.interviewers, true);
  if (m.interviewers && interviewers.length === 0) note('missing_interviewer', m.interviewers.column, null);
  const attendees = people(m.attendees, false).filter((a) => !interviewers.some((i) => i.key === a.key));

  const choose = <T extends string>(
    name: keyof typeof SYNONYMS,
    spec: { column: string; values: Record<string, T> } | undefined,
    allowed: readonly T[],
    fallback: T,
    whenEmpty: T | null,
  ): T | null => {
    if (!spec) return whenEmpty;
    const raw = cells.text(spec.column);
    if (raw === null) return whenEmpty;
    const wanted = raw.trim().toLowerCase();
    const mapped = valueMap(spec.values).get(wanted);
    if (mapped !== undefined) return mapped;
    const direct = allowed.find((v) => v === wanted) ?? (SYNONYMS[name][wanted] as T | undefined);
    if (direct && allowed.includes(direct)) return direct;
    // An unmapped call type becomes `other`, which no default counts: the row is not counted, and says so.
    note('unmapped_value', spec.column, raw, name === 'callType' ? 'excluded' : 'warning');
    return fallback;
  };

  const bool = (spec: { column: string } | undefined): boolean | null => {
    if (!spec) return null;
    const value = cells.boolean(spec.column);
    if (isUnreadable(value)) {
      note('invalid_boolean', spec.column, value.unreadable);
      return null;
    }
    return value;
  };

  let followUpDue: string | null = null;
  if (m.followUpDue) {
    const due = cells.date(m.followUpDue.column);
    if (isUnreadable(due)) note('invalid_date', m.followUpDue.column, due.unreadable);
    else if (due) followUpDue = due.start.slice(0, 10);
  }

  const instant = (spec: { column: string } | undefined): string | null => {
    if (!spec) return null;
    const value = cells.date(spec.column);
    if (isUnreadable(value)) {
      note('invalid_date', spec.column, value.unreadable);
      return null;
    }
    if (!value) return null;
    return isDateOnly(value.start) ? `${value.start}T00:00:00.000Z` : value.start;
  };

  const interview: Interview = {
    id: `${ctx.source.name}:${ctx.recordId}`,
    source: { name: ctx.source.name, kind: ctx.source.kind, recordId: ctx.recordId, url: ctx.url },
    title: text(m.title) ?? '',
    startsAt: range?.start ?? null,
    endsAt,
    durationMinutes,
    interviewers,
    attendees,
    account: text(m.account),
    participant: { name: text(m.participantName), email: text(m.participantEmail), role: text(m.participantRole) },
    segment: mapFree(text(m.segment), m.segment?.values),
    customerStatus: choose('customerStatus', m.customerStatus, CUSTOMER_STATUSES, 'unknown', 'unknown') ?? 'unknown',
    tier: mapFree(text(m.tier), m.tier?.values),
    callType: choose('callType', m.callType, CALL_TYPES, 'other', ctx.defaultCallType) ?? ctx.defaultCallType,
    location: choose('location', m.location, LOCATIONS, 'other', null),
    study: text(m.study),
    tldr: text(m.tldr),
    notesUrl: text(m.notesUrl),
    debriefed: bool(m.debriefed),
    // The promise's text only where a column holds it: mapping nothing leaves every stored row (and its hash) as it was.
    followUps: { due: followUpDue, done: bool(m.followUpDone), ...(m.followUpText ? { text: text(m.followUpText) } : {}) },
    tags: m.tags ? cells.list(m.tags.column) : [],
    nugget: text(m.nugget),
    createdAt: m.createdAt ? instant(m.createdAt) : (ctx.timestamps?.createdAt ?? null),
    updatedAt: m.updatedAt ? instant(m.updatedAt) : (ctx.timestamps?.updatedAt ?? null),
  };
  const label = rowLabelOf(interview);
  for (const f of findings) f.label = label;
  return { interview, findings };
}

/** A row as its findings name it: title and date, so a list of them reads like the table it came from. */
export function rowLabelOf(interview: Pick<Interview, 'title' | 'startsAt'>): string {
  return clip(`${interview.title || '(untitled)'}${interview.startsAt ? ` · ${interview.startsAt.slice(0, 10)}` : ''}`);
}

/** Free vocabularies (segment, tier) keep their words unless `values` renames them. */
function mapFree(value: string | null, values: Record<string, string> | undefined): string | null {
  if (value === null) return null;
  return values ? (valueMap(values).get(value.trim().toLowerCase()) ?? value) : value;
}

/** An end before its start (both dates, or both instants). */
function endsBeforeStart(start: string, end: string): boolean {
  if (isDateOnly(start) || isDateOnly(end)) return end.slice(0, 10) < start.slice(0, 10);
  return Date.parse(end) < Date.parse(start);
}

/** A duration as the finding shows it: in hours, the unit a person can judge. */
function durationText(minutes: number): string {
  return Number.isFinite(minutes) ? `${Math.round((minutes / 60) * 10) / 10} h` : String(minutes);
}

function minutesBetween(start: string, end: string): number | null {
  if (isDateOnly(start) || isDateOnly(end)) return null;
  const minutes = DateTime.fromISO(end).diff(DateTime.fromISO(start), 'minutes').minutes;
  return Number.isFinite(minutes) && minutes > 0 && minutes < 24 * 60 ? Math.round(minutes) : null;
}
