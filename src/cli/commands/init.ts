import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { print } from '../output.js';
import {
  DEFAULT_CONFIG_FILE,
  ENUM_FIELDS,
  FIELD_NAMES,
  INIT_SAMPLE_ROWS,
  loadConfig,
  loadSecrets,
  readSetup,
  renderConfig,
  runDoctor,
  TouchpointError,
  type InitTarget,
  type Proposal,
} from '../../index.js';
import { smtpMailer } from '../../digest/send.js';
import { renderTable } from '../table.js';

export interface InitFlags {
  notion?: string;
  airtable?: string;
  table?: string;
  csv?: string;
  config: string;
  name?: string;
  yes?: boolean;
  force?: boolean;
  apiBaseUrl?: string;
  endpointUrl?: string;
  timezone?: string;
  organisation?: string;
  map?: string[];
  sample?: number;
}

/** Asks one question and returns the answer (trimmed); the terminal, or a script in tests. */
export type Ask = (question: string) => Promise<string>;

const SCHEMA_FILE = fileURLToPath(new URL('../../../touchpoint.schema.json', import.meta.url));
const MODEL_VALUES: Record<(typeof ENUM_FIELDS)[number], readonly string[]> = {
  callType: ['learning', 'usability', 'sales', 'support', 'other'],
  customerStatus: ['current', 'former', 'prospect', 'lost', 'unknown'],
  location: ['onsite', 'video', 'phone', 'other'],
};

/** `touchpoint init`: read a source's schema and rows, propose a config, confirm it, write it, check it. */
export async function run(flags: InitFlags, ask?: Ask): Promise<void> {
  const target = targetOf(flags);
  const configPath = resolve(flags.config);
  if (existsSync(configPath) && !flags.force) {
    throw new TouchpointError(
      'init_exists',
      `${flags.config} exists already; init never overwrites a config. Add --force to replace it, or write elsewhere with --config other.yaml.`,
    );
  }
  const secrets = loadSecrets();
  const timezone = flags.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  const sourceName = flags.name ?? (target.kind === 'csv' ? slug(basename(target.path).replace(/\.[^.]+$/, '')) : 'interviews');
  const forced = parseMaps(flags.map ?? []);
  const read = (extra: Record<string, string> = {}) =>
    readSetup({
      target: target.kind === 'csv' ? { ...target, path: resolve(target.path) } : target,
      sourceName,
      timezone,
      sampleRows: flags.sample ?? INIT_SAMPLE_ROWS,
      forced: { ...forced, ...extra },
      secrets,
      onStep: (step) => print(step === 'schema' ? `Reading the columns of ${describeTarget(target)}…` : 'Counting values and people in the rows…'),
    });

  let proposal = await read();
  const interactive = !flags.yes && ask !== undefined;
  if (interactive) proposal = await confirm(proposal, ask, (changes) => read(changes));
  else {
    if (!flags.yes) print('Not a terminal: writing the proposal without questions (as with --yes).');
    print(summary(proposal));
  }
  requireCore(proposal);

  const written = target.kind === 'csv' ? { ...target, path: relative(dirname(configPath), resolve(target.path)) || target.path } : target;
  const onDefault = resolve(DEFAULT_CONFIG_FILE) === configPath;
  const withConfig = onDefault ? '' : ` --config ${flags.config}`;
  const text = renderConfig(proposal, {
    target: written,
    sourceName,
    organisation: flags.organisation ?? 'Your organisation',
    timezone,
    schemaPath: relative(dirname(configPath), SCHEMA_FILE) || 'touchpoint.schema.json',
    commands: { doctor: `npx touchpoint doctor${withConfig}`, sync: `npx touchpoint sync${withConfig}`, serve: `npx touchpoint serve${withConfig}` },
  });
  mkdirSync(dirname(configPath), { recursive: true });
  writeFileSync(configPath, text, { mode: 0o644 });
  loadConfig(configPath); // what init writes must load; a failure here is a bug, shown as one
  const guesses = Object.values(proposal.values)
    .flat()
    .filter((v) => v.how === 'guess').length;
  print(
    `\nWrote ${flags.config}: ${Object.keys(proposal.fields).length} fields mapped, ${proposal.roster.length} people on the roster (${plural(proposal.roster.filter((p) => p.role === 'pm').length, 'PM')})${guesses ? `, ${guesses} guessed value${guesses === 1 ? '' : 's'} marked "guess"` : ''}.`,
  );

  print('\nChecking it (touchpoint doctor):');
  const checks = await runDoctor(configPath, { smtpVerify: async (url) => void (await smtpMailer(url, { timeoutMs: 10_000 }).verify?.()) });
  const mark = { ok: '✓', fail: '✗', note: '–' } as const;
  print(checks.map((c) => `${mark[c.verdict]} ${c.what.padEnd(22)} ${c.detail}`).join('\n'));
  const failed = checks.filter((c) => c.verdict === 'fail');
  if (failed.length > 0) {
    print(
      `\n${failed.length} check${failed.length === 1 ? '' : 's'} failed: fix ${flags.config} (the lines above say how), then run npx touchpoint doctor${withConfig}.`,
    );
    process.exitCode = 1;
    return;
  }
  print(`\nNext: npx touchpoint sync${withConfig}   then   npx touchpoint serve${withConfig}`);
}

/** The terminal's questions, when stdin and stdout are a terminal. */
export function terminalAsk(): { ask: Ask; close: () => void } | null {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  return { ask: async (q) => (await rl.question(q)).trim(), close: () => rl.close() };
}

function targetOf(flags: InitFlags): InitTarget {
  const given = [flags.notion, flags.airtable, flags.csv].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new TouchpointError('usage', 'Say what to read: --notion <database URL or id>, --airtable <base id> --table <table name or id>, or --csv <file>.');
  }
  if (flags.notion !== undefined) return { kind: 'notion', database: flags.notion, apiBaseUrl: flags.apiBaseUrl };
  if (flags.airtable !== undefined) {
    if (!flags.table) throw new TouchpointError('usage', '--airtable needs --table <table name or id> (the table the interviews are in).');
    return { kind: 'airtable', baseId: flags.airtable, table: flags.table, endpointUrl: flags.endpointUrl };
  }
  return { kind: 'csv', path: flags.csv! };
}

function describeTarget(target: InitTarget): string {
  if (target.kind === 'notion') return `the Notion database ${target.database}`;
  if (target.kind === 'airtable') return `the Airtable table ${target.table} of ${target.baseId}`;
  return target.path;
}

const FIELDS = Object.keys(FIELD_NAMES);

/** `--map startsAt=When --map interviewers=Owner`: fields placed before any guess. */
function parseMaps(maps: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of maps) {
    const at = entry.indexOf('=');
    const field = entry.slice(0, at).trim();
    if (at < 1 || !FIELDS.includes(field)) throw new TouchpointError('usage', `--map ${entry}: write field=Column, with field one of ${FIELDS.join(', ')}.`);
    out[field] = entry.slice(at + 1).trim();
  }
  return out;
}

function requireCore(proposal: Proposal): void {
  const missing = (['title', 'startsAt'] as const).filter((f) => !proposal.fields[f]);
  if (missing.length === 0) return;
  throw new TouchpointError(
    'init_incomplete',
    `No column looks like ${missing.map((f) => (f === 'title' ? 'the title' : 'the date of the conversation')).join(' or ')}. Name it with ${missing.map((f) => `--map ${f}=<column>`).join(' ')}.`,
    [`the columns: ${proposal.schema.columns.map((c) => `"${c.name}" (${c.type})`).join(', ')}`],
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'interviews'
  );
}

/** The proposal as three short tables: the mapping, the values, the roster. */
function summary(proposal: Proposal): string {
  const rowsOf = (n: number | null) => (n === null ? '' : String(n));
  const mapping = renderTable(
    ['field', 'column', 'type', 'found by'],
    FIELDS.flatMap((f) => {
      const p = proposal.fields[f as keyof Proposal['fields']];
      return p ? [[f, p.column.name, p.column.type, p.why === 'flag' ? '--map' : p.why]] : [];
    }),
  );
  const values = renderTable(
    ['field', 'value', 'rows', 'counts as', 'note'],
    ENUM_FIELDS.flatMap((f) =>
      (proposal.values[f] ?? []).map((v) => [f, v.value, rowsOf(v.count), v.to ?? '—', v.how === 'builtin' ? '' : v.how === 'guess' ? 'guess' : 'not placed']),
    ),
  );
  const unplaced = proposal.unplaced.map((u) => `  "${u.column.name}" (${u.column.type}): ${u.reason}`);
  return [
    `\nMapping (${proposal.schema.columns.length} columns):`,
    mapping,
    ...(unplaced.length > 0 ? ['Not mapped:', ...unplaced] : []),
    ...(Object.keys(proposal.values).length > 0 ? ['\nValues:', values] : []),
    rosterSummary(proposal),
  ].join('\n');
}

function rosterSummary(proposal: Proposal): string {
  if (proposal.roster.length === 0) return '\nRoster draft: nobody found in a people column.';
  const table = renderTable(
    ['#', 'name', 'email', 'led', 'attended', 'role'],
    proposal.roster.map((p, i) => [String(i + 1), p.name, p.email ?? '(none)', String(p.led), String(p.attended), p.role]),
  );
  return `\nRoster draft (everyone who led a conversation is proposed as a PM):\n${table}`;
}

/**
 * Three screens: the mapping (change columns), the values that are guessed or not placed, the
 * roster's roles. Enter keeps each; nothing is asked twice.
 */
export async function confirm(first: Proposal, ask: Ask, reread: (changes: Record<string, string>) => Promise<Proposal>): Promise<Proposal> {
  let proposal = first;
  const changes: Record<string, string> = {};
  const dropped = new Set<string>();
  print(summary(proposal));
  for (;;) {
    const answer = await ask('\nMapping: Enter keeps it; or type field=Column (several separated by ";"; field= leaves one out): ');
    if (!answer) break;
    for (const part of answer
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const at = part.indexOf('=');
      const field = part.slice(0, at).trim();
      if (at < 1 || !FIELDS.includes(field)) {
        print(`  "${part}": write field=Column, with field one of ${FIELDS.join(', ')}`);
        continue;
      }
      const column = part.slice(at + 1).trim();
      if (column) {
        changes[field] = column;
        dropped.delete(field);
      } else {
        delete changes[field];
        dropped.add(field);
      }
    }
    proposal = await reread(changes);
    for (const field of dropped) delete proposal.fields[field as keyof Proposal['fields']];
    print(summary(proposal));
  }

  for (const field of ENUM_FIELDS) {
    for (const value of (proposal.values[field] ?? []).filter((v) => v.how !== 'builtin')) {
      const answer = await ask(
        `${field} "${value.value}"${value.count !== null ? ` (${value.count} rows)` : ''}: ${value.to ? `counts as ${value.to} (guess)` : 'not placed'}. Enter keeps; or type ${MODEL_VALUES[field].join('/')}: `,
      );
      if (!answer) continue;
      if (MODEL_VALUES[field].includes(answer.toLowerCase())) Object.assign(value, { to: answer.toLowerCase(), how: 'guess' });
      else print(`  "${answer}" is not one of ${MODEL_VALUES[field].join(', ')}; kept as it was`);
    }
  }

  if (proposal.roster.length > 0) {
    for (;;) {
      const answer = await ask('Roster: Enter keeps it; or type number=role (e.g. 2=design 5=engineering), or -number to leave someone out: ');
      if (!answer) break;
      const drop = new Set<number>();
      for (const part of answer.split(/[\s,;]+/).filter(Boolean)) {
        const m = /^(-)?(\d+)(?:=(.+))?$/.exec(part);
        const person = m ? proposal.roster[Number(m[2]) - 1] : undefined;
        if (!m || !person || (!m[1] && !m[3])) print(`  "${part}": write number=role or -number`);
        else if (m[1]) drop.add(Number(m[2]) - 1);
        else person.role = m[3]!.trim().toLowerCase();
      }
      proposal = { ...proposal, roster: proposal.roster.filter((_, i) => !drop.has(i)) };
      print(rosterSummary(proposal));
    }
  }
  return proposal;
}
