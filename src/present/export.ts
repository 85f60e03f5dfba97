import { stringify } from 'csv-stringify/sync';
import type { Finding } from '../model/finding.js';
import type { Interview } from '../model/interview.js';
import { neutraliseFormula } from './escape.js';
import { findingSentence } from './sentences.js';

/** People as one cell: each by e-mail, else name, else key, joined by "; ". */
const people = (list: Interview['interviewers']): string => list.map((p) => p.email ?? p.name ?? p.key).join('; ');

/** One interview as a flat CSV row: every model field, people and tags joined by "; ". */
const INTERVIEW_COLUMNS: Array<[string, (i: Interview) => string | number | boolean | null]> = [
  ['id', (i) => i.id],
  ['source', (i) => i.source.name],
  ['source kind', (i) => i.source.kind],
  ['record id', (i) => i.source.recordId],
  ['source url', (i) => i.source.url],
  ['title', (i) => i.title],
  ['starts at', (i) => i.startsAt],
  ['ends at', (i) => i.endsAt],
  ['duration (min)', (i) => i.durationMinutes],
  ['interviewers', (i) => people(i.interviewers)],
  ['attendees', (i) => people(i.attendees)],
  ['account', (i) => i.account],
  ['participant name', (i) => i.participant.name],
  ['participant email', (i) => i.participant.email],
  ['participant role', (i) => i.participant.role],
  ['segment', (i) => i.segment],
  ['customer status', (i) => i.customerStatus],
  ['tier', (i) => i.tier],
  ['call type', (i) => i.callType],
  ['location', (i) => i.location],
  ['study', (i) => i.study],
  ['tl;dr', (i) => i.tldr],
  ['notes url', (i) => i.notesUrl],
  ['debriefed', (i) => i.debriefed],
  ['follow-up due', (i) => i.followUps.due],
  ['follow-up done', (i) => i.followUps.done],
  ['follow-up text', (i) => i.followUps.text ?? null],
  ['tags', (i) => i.tags.join('; ')],
  ['nugget', (i) => i.nugget],
  ['created at', (i) => i.createdAt],
  ['updated at', (i) => i.updatedAt],
];

const FINDING_COLUMNS: Array<[string, (f: Finding) => string | number | null]> = [
  ['source', (f) => f.source],
  ['record id', (f) => f.recordId],
  ['row', (f) => f.row],
  ['code', (f) => f.code],
  ['severity', (f) => f.severity],
  ['field', (f) => f.field],
  ['value', (f) => f.value],
  ['problem', (f) => findingSentence(f)],
  ['url', (f) => f.url],
];

/** Rows as CSV with a BOM (spreadsheets read UTF-8 then), every cell neutralised against formulas, headers included. */
function toCsv<T>(columns: Array<[string, (row: T) => string | number | boolean | null]>, rows: readonly T[]): string {
  const cell = (value: string | number | boolean | null) => neutraliseFormula(value === null ? '' : String(value));
  return `\uFEFF${stringify([columns.map(([label]) => cell(label)), ...rows.map((row) => columns.map(([, get]) => cell(get(row))))])}`;
}

/** Every interview as CSV. */
export function interviewsCsv(interviews: readonly Interview[]): string {
  return toCsv(INTERVIEW_COLUMNS, interviews);
}

/** Every finding as CSV, with its sentence. */
export function findingsCsv(findings: readonly Finding[]): string {
  return toCsv(FINDING_COLUMNS, findings);
}
