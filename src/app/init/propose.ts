import type { MappedField } from '../../config/schema.js';
import { CALL_TYPES, CUSTOMER_STATUSES, LOCATIONS } from '../../model/interview.js';
import type { ColumnDescription, ColumnKind, SchemaDescription, ValueSample } from '../../sources/source.js';
import { SYNONYMS } from '../../sources/kit/synonyms.js';
import { FIELD_KIND } from '../../sources/kit/columns.js';
import { FIELD_NAMES, normaliseName } from './names.js';

/** The model fields whose values come from a closed list, mapped by `values`. */
export const ENUM_FIELDS = ['callType', 'customerStatus', 'location'] as const;
export type EnumField = (typeof ENUM_FIELDS)[number];
const ALLOWED: Record<EnumField, readonly string[]> = { callType: CALL_TYPES, customerStatus: CUSTOMER_STATUSES, location: LOCATIONS };

/** A column proposed for a model field, and how it was found. */
export interface ProposedField {
  column: ColumnDescription;
  /** `name`: the column's name is one teams use for the field; `type`: the only column of its type; `flag`: `--map`. */
  why: 'name' | 'type' | 'flag';
  /** For `durationMinutes`: the unit the column's name says. */
  unit?: 'minutes' | 'hours' | 'seconds';
}

/** One value of an enum column and where it goes. */
export interface ProposedValue {
  value: string;
  /** Rows holding it, where counted. */
  count: number | null;
  /** The model value, or null: not placed. */
  to: string | null;
  /** `builtin`: touchpoint knows the word (no `values` entry needed); `guess`: proposed, written into `values`; `none`: not placed. */
  how: 'builtin' | 'guess' | 'none';
}

/** A column `init` did not map, and why. */
export interface Unplaced {
  column: ColumnDescription;
  reason: string;
}

/** Someone the people columns name, proposed for the roster. */
export interface RosterDraft {
  name: string;
  email: string | null;
  /** Rows they led (interviewers column) and attended (attendees column). */
  led: number;
  attended: number;
  role: string;
}

/** Everything `init` proposes for one source: the user confirms or changes it, then it is written. */
export interface Proposal {
  schema: SchemaDescription;
  fields: Partial<Record<MappedField, ProposedField>>;
  values: Partial<Record<EnumField, ProposedValue[]>>;
  unplaced: Unplaced[];
  /** Optional fields no column was found for. */
  missing: MappedField[];
  roster: RosterDraft[];
  /** How many rows the counts come from; null when no rows were read. */
  sample: { rows: number; complete: boolean } | null;
}

/** Types each API gives a field natively (Notion's and Airtable's names): a tie goes to them. */
const NATIVE: Partial<Record<MappedField, readonly string[]>> = {
  title: ['title'],
  startsAt: ['date', 'dateTime'],
  endsAt: ['date', 'dateTime'],
  followUpDue: ['date'],
  interviewers: ['people', 'singleCollaborator', 'multipleCollaborators'],
  attendees: ['people', 'multipleCollaborators'],
  durationMinutes: ['number', 'duration'],
  debriefed: ['checkbox'],
  followUpDone: ['checkbox'],
  tags: ['multi_select', 'multipleSelects'],
  notesUrl: ['url'],
  participantEmail: ['email'],
  callType: ['select', 'singleSelect', 'status'],
  customerStatus: ['select', 'singleSelect', 'status'],
  location: ['select', 'singleSelect', 'status'],
  segment: ['select', 'singleSelect'],
  tier: ['select', 'singleSelect'],
};

/** Column types that are the row's own timestamps: an API source reads them without a mapping. */
const ROW_TIMES = ['created_time', 'last_edited_time', 'createdTime', 'lastModifiedTime'];

/** Fields an API source fills by itself (the row's link and timestamps). */
const SELF_FILLED: readonly MappedField[] = ['url', 'createdAt', 'updatedAt'];

const isCjk = (text: string) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text);

/** Whether a normalised name holds another as whole words (or as characters, for Chinese). */
export function holds(name: string, part: string): boolean {
  if (!part) return false;
  return isCjk(part) ? name.includes(part) : ` ${name} `.includes(` ${part} `);
}

/** How well a column's name fits a field: 100 for a name teams use, 50 + length when it holds one, else 0. */
function nameScore(field: MappedField, column: string): number {
  const name = normaliseName(column);
  let best = 0;
  for (const known of FIELD_NAMES[field]) {
    if (name === known) return 100;
    if (holds(name, known)) best = Math.max(best, 50 + Math.min(known.length, 30));
  }
  return best;
}

/** Where one enum value goes: a word touchpoint knows, a guess from the words it holds, or nowhere. */
export function placeValue(field: EnumField, value: string, count: number | null = null): ProposedValue {
  const allowed = ALLOWED[field];
  const lower = value.trim().toLowerCase();
  const synonyms = SYNONYMS[field];
  if (allowed.includes(lower) || synonyms[lower]) return { value, count, to: allowed.includes(lower) ? lower : synonyms[lower]!, how: 'builtin' };
  const name = normaliseName(value);
  let guess: { to: string; length: number } | null = null;
  for (const [word, to] of [...Object.entries(synonyms), ...allowed.map((v) => [v, v] as const)]) {
    const key = normaliseName(word);
    if (key.length >= 2 && (name === key || holds(name, key)) && (!guess || key.length > guess.length)) guess = { to, length: key.length };
  }
  if (guess && allowed.includes(guess.to)) return { value, count, to: guess.to, how: 'guess' };
  // A place no word says is still a place: `other` costs nothing (only on-site is a practice signal).
  if (field === 'location') return { value, count, to: 'other', how: 'guess' };
  return { value, count, to: null, how: 'none' };
}

function unitOf(column: string): ProposedField['unit'] {
  const name = normaliseName(column);
  if (['hours', 'hrs', 'h', 'stunden', 'heures', 'horas', 'часы', 'часов', '小时'].some((w) => holds(name, w))) return 'hours';
  if (['seconds', 'secs', 'sec', 's', 'sekunden', 'secondes', 'segundos', 'секунды', '秒'].some((w) => holds(name, w))) return 'seconds';
  return 'minutes';
}

const FIELDS = Object.keys(FIELD_NAMES) as MappedField[];

/**
 * Column → field by name (in seven languages) and type. Every (field, column) pair gets a score;
 * the best pairs are taken first, each field and column once. A typed column must be able to give
 * the field's kind of value; an enum column must hold at least one value that maps. Then fields
 * still open take the only column of their native type.
 */
export function proposeMapping(
  schema: SchemaDescription,
  forced: Partial<Record<MappedField, string>> = {},
): Pick<Proposal, 'fields' | 'unplaced' | 'missing'> {
  const api = schema.kind !== 'csv';
  const fields: Proposal['fields'] = {};
  const used = new Set<string>();
  const notes = new Map<string, string>();
  const take = (field: MappedField, column: ColumnDescription, why: ProposedField['why']) => {
    fields[field] = { column, why, ...(field === 'durationMinutes' ? { unit: unitOf(column.name) } : {}) };
    used.add(column.id);
  };

  for (const [field, name] of Object.entries(forced) as Array<[MappedField, string]>) {
    const column = schema.columns.find((c) => c.name === name) ?? schema.columns.find((c) => normaliseName(c.name) === normaliseName(name));
    if (column) take(field, column, 'flag');
  }

  const candidates: Array<{ field: MappedField; column: ColumnDescription; score: number }> = [];
  for (const column of schema.columns) {
    if (api && ROW_TIMES.includes(column.type)) {
      notes.set(column.id, 'the row’s own timestamp: read without a mapping');
      continue;
    }
    for (const field of FIELDS) {
      if (api && SELF_FILLED.includes(field)) continue;
      if (field === 'id' && api) continue;
      let score = nameScore(field, column.name);
      if (score === 0) continue;
      const kind = FIELD_KIND[field] ?? 'text';
      if (!column.gives.includes(kind)) {
        if (!notes.has(column.id)) notes.set(column.id, textlessReason(field, column, kind));
        continue;
      }
      if (NATIVE[field]?.includes(column.type)) score += 5;
      if ((ENUM_FIELDS as readonly string[]).includes(field) && column.options && column.options.length > 0) {
        const placed = column.options.filter((o) => placeValue(field as EnumField, o.name).how !== 'none').length;
        if (placed === 0) {
          if (!notes.has(column.id))
            notes.set(
              column.id,
              `named like ${field}, but none of its values (${column.options
                .slice(0, 4)
                .map((o) => `"${o.name}"`)
                .join(', ')}) is one`,
            );
          continue;
        }
        score += Math.round((10 * placed) / column.options.length);
      }
      candidates.push({ field, column, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score || schema.columns.indexOf(a.column) - schema.columns.indexOf(b.column));
  for (const { field, column } of candidates) {
    if (fields[field]) {
      if (!used.has(column.id) && !notes.has(column.id)) notes.set(column.id, `looks like ${field}, which "${fields[field].column.name}" feeds`);
      continue;
    }
    if (used.has(column.id)) continue;
    take(field, column, 'name');
  }

  // By type alone: the title column, and a field whose native type only one open column has.
  const open = () => schema.columns.filter((c) => !used.has(c.id) && !(api && ROW_TIMES.includes(c.type)));
  if (!fields.title) {
    const title = schema.kind === 'notion' ? open().find((c) => c.type === 'title') : open()[0];
    if (title) take('title', title, 'type');
  }
  for (const field of ['startsAt', 'interviewers', 'attendees', 'durationMinutes'] as const) {
    if (fields[field] || !api) continue;
    const natives = open().filter((c) => NATIVE[field]!.includes(c.type));
    if (natives.length === 1) take(field, natives[0]!, 'type');
  }

  const unplaced = schema.columns
    .filter((c) => !used.has(c.id))
    .map((column) => ({ column, reason: notes.get(column.id) ?? 'no model field goes by this name' }));
  const missing = FIELDS.filter((f) => !fields[f] && !(api && (SELF_FILLED.includes(f) || f === 'id')) && f !== 'url');
  return { fields, unplaced, missing };
}

function textlessReason(field: MappedField, column: ColumnDescription, kind: ColumnKind): string {
  if (column.type === 'multipleRecordLinks') return `a link to another table holds record ids; map a lookup of the linked name instead (for ${field})`;
  return `named like ${field}, but a ${column.type} column cannot give ${kind === 'text' ? 'text' : `a ${kind}`}`;
}

/** Every value of each enum field's column, from the schema's options or the sample, with counts. */
export function proposeValues(fields: Proposal['fields'], sample: ValueSample | null): Proposal['values'] {
  const out: Proposal['values'] = {};
  for (const field of ENUM_FIELDS) {
    const column = fields[field]?.column;
    if (!column) continue;
    const counted = sample?.values[column.name];
    const counts = new Map((counted ?? []).map((o) => [o.name, o.count]));
    const names = [...new Set([...(column.options ?? []).map((o) => o.name), ...(counted ?? []).map((o) => o.name)])];
    const countOf = (name: string): number | null => counts.get(name) ?? (sample ? 0 : (column.options?.find((o) => o.name === name)?.count ?? null));
    out[field] = names.map((name) => placeValue(field, name, countOf(name))).sort((a, b) => (b.count ?? -1) - (a.count ?? -1));
  }
  return out;
}

/**
 * The roster from the people columns: everyone who led a row is proposed as a PM (leading
 * interviews is what the cadence measures); someone who only attended is left for the user to
 * name (`other`: design, engineering or research).
 */
export function draftRoster(fields: Proposal['fields'], sample: ValueSample | null): RosterDraft[] {
  if (!sample) return [];
  const people = new Map<string, RosterDraft>();
  const add = (column: string | undefined, kind: 'led' | 'attended') => {
    for (const person of column ? (sample.people[column] ?? []) : []) {
      const key = person.email?.toLowerCase() ?? `name:${(person.name ?? '').toLowerCase()}`;
      const known = people.get(key) ?? {
        name: person.name ?? person.email ?? '',
        email: person.email?.toLowerCase() ?? null,
        led: 0,
        attended: 0,
        role: 'other',
      };
      known[kind] += person.rows;
      if (!known.name && person.name) known.name = person.name;
      people.set(key, known);
    }
  };
  add(fields.interviewers?.column.name, 'led');
  add(fields.attendees?.column.name, 'attended');
  return [...people.values()]
    .filter((p) => p.name)
    .map((p) => ({ ...p, role: p.led > 0 ? 'pm' : 'other' }))
    .sort((a, b) => b.led - a.led || b.attended - a.attended || (a.name < b.name ? -1 : 1));
}

/** The columns a sample should count: the enum fields' values and the people columns. */
export function sampleColumns(fields: Proposal['fields']): { values: string[]; people: string[] } {
  return {
    values: ENUM_FIELDS.flatMap((f) => (fields[f] ? [fields[f].column.name] : [])),
    people: (['interviewers', 'attendees'] as const).flatMap((f) => (fields[f] ? [fields[f].column.name] : [])),
  };
}

/** The whole proposal for a schema and (when rows were read) their sample. */
export function proposeSetup(schema: SchemaDescription, sample: ValueSample | null, forced: Partial<Record<MappedField, string>> = {}): Proposal {
  const mapping = proposeMapping(schema, forced);
  return {
    schema,
    ...mapping,
    values: proposeValues(mapping.fields, sample),
    roster: draftRoster(mapping.fields, sample),
    sample: sample ? { rows: sample.rows, complete: sample.complete } : null,
  };
}
