import { Document, isMap, isScalar, type YAMLMap } from 'yaml';
import type { MappedField } from '../../config/schema.js';
import { ENUM_FIELDS, type EnumField, type Proposal, type ProposedValue } from './propose.js';
import { FIELD_NAMES } from './names.js';

/** Where the source is, as the config will say it. */
export type InitTarget =
  | { kind: 'notion'; database: string; apiBaseUrl?: string | undefined }
  | { kind: 'airtable'; baseId: string; table: string; endpointUrl?: string | undefined }
  | { kind: 'csv'; path: string };

/** What the written file says besides the proposal. */
export interface WriteContext {
  target: InitTarget;
  sourceName: string;
  organisation: string;
  timezone: string;
  /** `$schema`, relative to the config file. */
  schemaPath: string;
  /** The command that reads the file, e.g. `npx touchpoint sync` (with `--config` when not the default). */
  commands: { doctor: string; sync: string; serve: string };
}

const ROLE_HINT = 'design, engineering or research?';
const MODEL_VALUES: Record<EnumField, string> = {
  callType: 'learning, usability, sales, support or other',
  customerStatus: 'current, former, prospect, lost or unknown',
  location: 'onsite, video, phone or other',
};

/** What a field left unmapped costs, said beside it in the file. */
const MISSING_EFFECT: Partial<Record<MappedField, string>> = {
  id: 'rows are keyed by title and date, so editing either makes a new row',
  participantName: 'the customer side is not named',
  participantEmail: 'the customer side has no e-mail',
  participantRole: 'no role for the customer side',
  tier: 'no coverage per tier',
  notesUrl: 'the tl;dr links to no full notes',
  followUpDone: 'no promise is ever marked kept',
  createdAt: 'no creation time',
  updatedAt: 'no edit time (the store still sees changed rows)',
  endsAt: 'durations come from a duration column, or the default',
  durationMinutes: 'each conversation counts as targets.defaultDurationMinutes',
  interviewers: 'nobody is credited with a conversation: cadence stays at zero',
  attendees: 'the trio rate cannot see designers and engineers',
  account: 'no distinct-account counts or over-contact check',
  segment: 'no coverage per segment',
  customerStatus: 'former and lost customers cannot be told apart',
  callType: 'every row counts as defaultCallType (learning)',
  location: 'no on-site share',
  study: 'no evidence level per study',
  tldr: 'the tl;dr rate says "not mapped"',
  debriefed: 'the debrief rate says "not mapped"',
  followUpDue: 'no follow-ups',
  followUpText: 'follow-ups show the conversation but not what was promised',
  tags: 'no themes',
  nugget: 'the exec digest has no quotes to forward',
};

const rows = (n: number | null) => (n === null ? '' : `${n} row${n === 1 ? '' : 's'}`);

/**
 * The commented `touchpoint.config.yaml` for a proposal: the roster draft, the source and its
 * mapping with why each column was chosen, guesses marked, and what was not placed. No `asOf`:
 * the metrics are as of today.
 */
export function renderConfig(proposal: Proposal, context: WriteContext): string {
  const { fields } = proposal;
  const mapping: Record<string, unknown> = {};
  for (const [field, proposed] of mappedInOrder(proposal)) {
    const values = (ENUM_FIELDS as readonly string[]).includes(field) ? (proposal.values[field as EnumField] ?? []) : [];
    const written = Object.fromEntries(values.filter((v) => v.how === 'guess' && v.to).map((v) => [v.value, v.to]));
    if (values.some((v) => v.how !== 'builtin')) mapping[field] = { column: proposed.column.name, values: written };
    else if (field === 'durationMinutes' && proposed.unit && proposed.unit !== 'minutes')
      mapping[field] = { column: proposed.column.name, unit: proposed.unit };
    else mapping[field] = proposed.column.name;
  }
  const t = context.target;
  const source: Record<string, unknown> = {
    name: context.sourceName,
    kind: t.kind,
    ...(t.kind === 'notion' ? { database: t.database, ...(t.apiBaseUrl ? { apiBaseUrl: t.apiBaseUrl } : {}) } : {}),
    ...(t.kind === 'airtable' ? { baseId: t.baseId, table: t.table, ...(t.endpointUrl ? { endpointUrl: t.endpointUrl } : {}) } : {}),
    ...(t.kind === 'csv' ? { path: t.path } : {}),
    mapping,
  };
  const roster = proposal.roster.map((p) => ({ name: p.name, email: p.email ?? placeholderEmail(p.name), role: p.role }));
  const doc = new Document({
    $schema: context.schemaPath,
    organisation: context.organisation,
    timezone: context.timezone,
    roster,
    targets: { hoursPerWeek: 2 },
    sources: [source],
  });

  const from = `${kindName(t.kind)} ${t.kind === 'csv' ? 'file' : t.kind === 'notion' ? 'database' : 'table'} "${t.kind === 'csv' ? t.path : proposal.schema.title}"`;
  const counted = proposal.sample
    ? `Counts are from ${proposal.sample.complete ? (proposal.sample.rows === 1 ? 'its one row' : `all ${proposal.sample.rows} rows`) : `the first ${proposal.sample.rows} rows`}.`
    : 'No rows were read, so there are no counts.';
  doc.commentBefore = [
    ` Written by \`touchpoint init\` from the ${from}. Edit it freely: it is yours now.`,
    ` Check the roster (roles, teams) and every line marked "guess", then:`,
    `   ${context.commands.doctor}   # checks access and every mapped column`,
    `   ${context.commands.sync}     # reads the rows into the store`,
    `   ${context.commands.serve}    # the dashboard`,
    ` ${counted}`,
  ].join('\n');

  comment(doc, ['timezone'], 'weeks (Monday to Sunday) and days are counted in this zone');
  comment(doc, ['targets'], null, ' The practice: two to three hours with customers every week (see docs/metrics.md).');

  if (proposal.roster.length === 0) {
    keyComment(doc, 'roster', ' Nobody was found in a people column: add the PMs the metrics are about (name, email, role: pm, team).');
  } else {
    keyComment(
      doc,
      'roster',
      ` The people the metrics are about, from ${[fields.interviewers, fields.attendees]
        .filter(Boolean)
        .map((f) => `"${f!.column.name}"`)
        .join(
          ' and ',
        )}. Everyone who led a conversation is proposed as a PM;\n confirm each role (pm, design, engineering, research) and add team: … to compare teams.`,
    );
    proposal.roster.forEach((p, i) => {
      const node = doc.getIn(['roster', i], true);
      if (!isMap(node)) return;
      node.flow = true;
      const said = [p.led ? `led ${rows(p.led)}` : '', p.attended ? `attended ${rows(p.attended)}` : ''].filter(Boolean).join(', ');
      const email = p.email ? '' : '; no e-mail in the source: replace it (matched by name meanwhile)';
      node.comment = ` ${commentSafe(`${said}${p.role === 'other' ? `: ${ROLE_HINT}` : ''}${email}`)}`;
    });
  }

  const base = ['sources', 0];
  comment(doc, [...base, 'name'], 'part of every interview id: keep it stable');
  for (const [field, proposed] of mappedInOrder(proposal)) {
    const path = [...base, 'mapping', field];
    const why = proposed.why === 'flag' ? 'given with --map' : proposed.why === 'type' ? `the only ${proposed.column.type} column` : proposed.column.type;
    const values = (ENUM_FIELDS as readonly string[]).includes(field) ? (proposal.values[field as EnumField] ?? []) : [];
    const builtin = values.filter((v) => v.how === 'builtin');
    const known = builtin.length > 0 ? `; known words: ${builtin.map((v) => describeValue(v)).join(', ')}` : '';
    const node = doc.getIn(path, true);
    if (isMap(node)) {
      keyComment(doc, path, null);
      node.commentBefore = null;
      setComment(doc.getIn([...path, 'column'], true), `${why}${known}`);
      const valuesNode = doc.getIn([...path, 'values'], true);
      if (isMap(valuesNode)) {
        for (const v of values.filter((x) => x.how === 'guess')) {
          setComment(valuesNode.get(v.value, true), `guess from the words${v.count !== null ? ` (${rows(v.count)})` : ''}: check`);
        }
        const none = values.filter((v) => v.how === 'none');
        if (none.length > 0) {
          // On an empty map the comment would push `{}` onto a line of its own: it goes after the field instead.
          const holder = valuesNode.items.length > 0 ? valuesNode : node;
          holder.comment = none
            .map((v) =>
              commentSafe(` "${v.value}"${v.count !== null ? ` (${rows(v.count)})` : ''}: not placed; add it here as ${MODEL_VALUES[field as EnumField]}`),
            )
            .join('\n');
          if (field === 'callType') holder.comment += '\n until then those rows are not counted';
        }
      }
    } else setComment(node, `${why}${known}`);
  }

  const notes = [
    ...(proposal.unplaced.length > 0 ? [' Columns not mapped:'] : []),
    ...proposal.unplaced.map((u) => `   "${u.column.name}" (${u.column.type}): ${u.reason}`),
    ...(proposal.missing.length > 0 ? [' Fields no column was found for (map one by adding `field: Column`):'] : []),
    ...proposal.missing.map((f) => `   ${f}${MISSING_EFFECT[f] ? `: ${MISSING_EFFECT[f]}` : ''}`),
  ];
  const mappingNode = doc.getIn([...base, 'mapping'], true);
  if (isMap(mappingNode) && notes.length > 0) mappingNode.comment = notes.map(commentSafe).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** The mapped fields in the model's order (title, startsAt, …), as the file lists them. */
function mappedInOrder(proposal: Proposal): Array<[MappedField, NonNullable<Proposal['fields'][MappedField]>]> {
  return (Object.keys(FIELD_NAMES) as MappedField[]).flatMap((f) =>
    proposal.fields[f] ? [[f, proposal.fields[f]] as [MappedField, NonNullable<Proposal['fields'][MappedField]>]] : [],
  );
}

/** Text from a source inside a comment stays on its line: a newline there would start a YAML key. */
function commentSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

function describeValue(v: ProposedValue): string {
  return `${v.value} → ${v.to}${v.count !== null ? ` (${v.count})` : ''}`;
}

function kindName(kind: InitTarget['kind']): string {
  return kind === 'notion' ? 'Notion' : kind === 'airtable' ? 'Airtable' : 'CSV';
}

/** An address that says it is not one (`.invalid` is reserved, RFC 2606), for people the source names without e-mail. */
export function placeholderEmail(name: string): string {
  const local =
    name
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]+/gu, '.')
      .replace(/^\.+|\.+$/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9.]/g, '') || 'person';
  return `${local}@example.invalid`;
}

function setComment(node: unknown, text: string | null): void {
  if (isScalar(node) || isMap(node)) (node as { comment?: string | null }).comment = text ? ` ${commentSafe(text)}` : null;
}

function comment(doc: Document, path: Array<string | number>, inline: string | null, before?: string): void {
  if (inline !== null) setComment(doc.getIn(path, true), inline);
  if (before) keyComment(doc, path, before);
}

/** A comment on the line above a key. */
function keyComment(doc: Document, path: string | Array<string | number>, text: string | null): void {
  const parts = typeof path === 'string' ? [path] : path;
  const parent = parts.length === 1 ? doc.contents : doc.getIn(parts.slice(0, -1), true);
  if (!isMap(parent)) return;
  const pair = (parent as YAMLMap).items.find((item) => isScalar(item.key) && item.key.value === parts[parts.length - 1]);
  if (pair && isScalar(pair.key)) pair.key.commentBefore = text === null ? null : text.split('\n').map(commentSafe).join('\n');
}
