import type { Finding } from '../model/finding.js';
import { findingSentence } from './sentences.js';

/**
 * Findings grouped by cause, as a setup checklist: one line per unmapped value or unknown person
 * (a decision in the config, with the YAML to paste) and one per kind of problem in the rows (a
 * fix in the source, with the rows to open) — instead of hundreds of lines, one per row.
 */
export interface ChecklistItem {
  /** `decide`: a setup decision in the config; `fix`: rows to fix in the source. */
  kind: 'decide' | 'fix';
  source: string;
  code: Finding['code'];
  /** The column, or null for the whole source. */
  field: string | null;
  /** The value grouped on (an unmapped value, a person), or null. */
  value: string | null;
  rows: number;
  /** Whether those rows count in the metrics until this is done. */
  counted: boolean;
  /** One sentence a person can act on. */
  sentence: string;
  /** What to paste into the config, for decisions. */
  yaml: string | null;
  /** A few of the rows, with links where the source has them. */
  examples: Array<{ label: string; url: string | null }>;
}

const DECISIONS = new Set<Finding['code']>(['unmapped_value', 'unknown_person', 'column_renamed', 'no_change_tracking', 'relation_not_shared']);

/** A row as people know it: its title and date (and line, in a file), else its line or record id. */
export function rowLabel(f: Pick<Finding, 'label' | 'row' | 'recordId'>): string {
  if (f.label) return f.row !== null ? `${f.label} (line ${f.row})` : f.label;
  return f.row !== null ? `line ${f.row}` : f.recordId || 'whole source';
}

/** Whether a finding is a setup decision (the config, the roster, sharing) rather than a row to fix in the source. */
export function isDecision(finding: Pick<Finding, 'code'>): boolean {
  return DECISIONS.has(finding.code);
}

/** The model values each enum field takes, for the YAML hint. */
const CHOICES: Record<string, string> = {
  callType: 'learning, usability, sales, support or other',
  customerStatus: 'current, former, prospect, lost or unknown',
  location: 'onsite, video, phone or other',
};

/** Which model field a source's column feeds (from the config's mapping), to name it in hints. */
export type FieldOf = (source: string, column: string) => string | null;

/** `FieldOf` read off the configured sources' mappings (an enum field first, where a column feeds several). */
export function fieldOfSources(sources: ReadonlyArray<{ name: string; mapping: Record<string, { column: string } | undefined> }>): FieldOf {
  return (source, column) => {
    const mapping = sources.find((s) => s.name === source)?.mapping;
    if (!mapping) return null;
    const fields = Object.entries(mapping)
      .filter(([, spec]) => spec?.column === column)
      .map(([f]) => f);
    return fields.find((f) => f in CHOICES) ?? fields[0] ?? null;
  };
}

/** Rows with something to fix in the source (setup decisions apart), each counted once. */
export function rowsToFix(findings: readonly Finding[]): number {
  return new Set(findings.filter((f) => !isDecision(f)).map((f) => `${f.source}\u0000${f.recordId || f.row || ''}`)).size;
}
const EXAMPLES = 5;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const yamlString = (s: string) => (/^[\w .@-]+$/.test(s) && !/^[\d.-]/.test(s) ? s : JSON.stringify(s));

function sentence(first: Finding, rows: number, counted: boolean, fieldOf: FieldOf): { text: string; yaml: string | null } {
  const { code, field, value } = first;
  const n = plural(rows, 'row');
  const effect = counted ? 'counted meanwhile' : 'not counted until then';
  const col = field === null ? '' : ` in "${field}"`;
  switch (code) {
    case 'unmapped_value': {
      const mapped = field === null ? null : fieldOf(first.source, field);
      const choices = mapped ? CHOICES[mapped] : undefined;
      return {
        text: `"${value}"${col}: ${n} with a value touchpoint does not know (${effect}). Say what it means under that column's values:`,
        yaml: choices
          ? `values: { ${yamlString(value ?? '')}: … }   # under mapping.${mapped}: ${choices}`
          : `values: { ${yamlString(value ?? '')}: … }   # call type: learning, usability, sales, support, other · status: current, former, prospect, lost · location: onsite, video, phone, other`,
      };
    }
    case 'unknown_person':
      return {
        text: `${value} leads ${n} and is not on the roster: add them, or leave them out (their conversations credit no one on the roster).`,
        yaml: `- { name: ${yamlString(value ?? '')}, email: someone@example.com, role: pm, team: … }   # under roster:`,
      };
    case 'column_renamed':
      return {
        text: `The column "${field}" is now called "${value}" in the source; touchpoint follows it by id. Update the mapping:`,
        yaml: `${yamlString(value ?? '')}   # in place of "${field}"`,
      };
    case 'relation_not_shared':
      return { text: `"${field}" links to pages the integration cannot see (${n}): share their database with the integration.`, yaml: null };
    case 'no_change_tracking':
      return {
        text: 'The table has no "Last modified time" field that watches every field, so every sync lists every row. Add one to make syncs incremental.',
        yaml: null,
      };
    case 'missing_date':
      return { text: `${n} ${rows === 1 ? 'has' : 'have'} no date${col} (${effect}): fill it in the source.`, yaml: null };
    case 'invalid_date':
      return {
        text: `${n} ${rows === 1 ? 'has' : 'have'} a date touchpoint cannot read${col}, e.g. "${value}" (${effect}): fix it in the source.`,
        yaml: null,
      };
    case 'implausible_value':
      return {
        text: `${n} ${rows === 1 ? 'holds' : 'hold'} an implausible value${col}, e.g. "${value}" (${counted ? 'the value is left out' : 'not counted'}): fix it in the source.`,
        yaml: null,
      };
    case 'missing_interviewer':
      return { text: `${n} ${rows === 1 ? 'names' : 'name'} no interviewer${col} (credited to no one): fill it in the source.`, yaml: null };
    default:
      return { text: rows === 1 ? findingSentence(first) : `${n}, e.g.: ${findingSentence(first)}`, yaml: null };
  }
}

/** The checklist, decisions first, then fixes; the largest groups first within each. */
export function setupChecklist(findings: readonly Finding[], fieldOf: FieldOf = () => null): ChecklistItem[] {
  const groups = new Map<string, { first: Finding; rows: Set<string>; counted: boolean; examples: ChecklistItem['examples'] }>();
  for (const f of findings) {
    const decision = DECISIONS.has(f.code);
    // Decisions group on the value (one line per unmapped value or person); fixes on the problem.
    const key = [f.source, f.code, f.field ?? '', decision ? (f.value ?? '') : ''].join('\u0000');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { first: f, rows: new Set(), counted: true, examples: [] }));
    group.rows.add(f.recordId || `${f.row ?? ''}`);
    if (f.severity === 'excluded') group.counted = false;
    if (group.examples.length < EXAMPLES && f.recordId) group.examples.push({ label: rowLabel(f), url: f.url });
  }
  const items = [...groups.values()].map(({ first, rows, counted, examples }): ChecklistItem => {
    const kind = DECISIONS.has(first.code) ? 'decide' : 'fix';
    const { text, yaml } = sentence(first, rows.size, counted, fieldOf);
    return {
      kind,
      source: first.source,
      code: first.code,
      field: first.field,
      value: kind === 'decide' ? first.value : null,
      rows: rows.size,
      counted,
      sentence: text,
      yaml,
      examples,
    };
  });
  return items.sort((a, b) => (a.kind === b.kind ? b.rows - a.rows : a.kind === 'decide' ? -1 : 1));
}
