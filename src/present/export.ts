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

type Columns<T> = Array<[string, (row: T) => string | number | boolean | null]>;

const cell = (value: string | number | boolean | null) => neutraliseFormula(value === null ? '' : String(value));

/** The header line with a BOM first (spreadsheets read UTF-8 then), labels neutralised like every cell. */
function csvHeader<T>(columns: Columns<T>): string {
  return `\uFEFF${stringify([columns.map(([label]) => cell(label))])}`;
}

/** Rows as CSV lines, every cell neutralised against formulas. */
function csvRows<T>(columns: Columns<T>, rows: readonly T[]): string {
  return stringify(rows.map((row) => columns.map(([, get]) => cell(get(row)))));
}

function toCsv<T>(columns: Columns<T>, rows: readonly T[]): string {
  return csvHeader(columns) + csvRows(columns, rows);
}

/** Every interview as CSV. */
export function interviewsCsv(interviews: readonly Interview[]): string {
  return toCsv(INTERVIEW_COLUMNS, interviews);
}

/** The interviews' CSV in parts, for a file written a page at a time: the header (with its BOM), then the lines of each page. */
export const interviewsCsvParts = {
  header: (): string => csvHeader(INTERVIEW_COLUMNS),
  rows: (interviews: readonly Interview[]): string => csvRows(INTERVIEW_COLUMNS, interviews),
};

/** Every finding as CSV, with its sentence. */
export function findingsCsv(findings: readonly Finding[]): string {
  return toCsv(FINDING_COLUMNS, findings);
}
