import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import type { NotionSourceConfig } from '../../src/config/schema.js';
import { NotionSource } from '../../src/sources/notion/read.js';
import type { SchemaDescription, ValueSample } from '../../src/sources/source.js';
import { placeValue, proposeSetup, renderConfig, type Proposal, type WriteContext } from '../../src/app/init/index.js';
import { confirm } from '../../src/cli/commands/init.js';
import { FakeNotion, IDS, TOKEN } from '../fakes/notion.js';

const fake = new FakeNotion();
fake.addPage('521b55ad-a989-80e5-9645-f8997a98714f', 'Pricing study');
const server = setupServer(...fake.handlers());
let schema: SchemaDescription;
let sample: ValueSample;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  const config = parseConfig({ sources: [{ name: 'interviews', kind: 'notion', database: IDS.database_url, mapping: { title: '-', startsAt: '-' } }] });
  const source = new NotionSource(config.sources[0] as NotionSourceConfig, [], 'UTC', {
    token: TOKEN,
    clock: { now: () => Date.now(), sleep: async () => {} },
  });
  schema = await source.describeSchema();
  sample = await source.sampleValues({ values: ['Type', 'Customer status', 'Location'], people: ['Interviewer', 'Attendees'], limit: 100 });
});
afterAll(() => server.close());

/** The fixture's Notion schema with columns renamed (and select options translated). */
function variant(names: Record<string, string>, options: Record<string, string> = {}): SchemaDescription {
  return {
    ...schema,
    columns: schema.columns.flatMap((c) =>
      names[c.name] === ''
        ? []
        : [{ ...c, name: names[c.name] ?? c.name, options: c.options?.map((o) => ({ ...o, name: options[o.name] ?? o.name })) ?? null }],
    ),
  };
}

const mappingOf = (p: Proposal) => Object.fromEntries(Object.entries(p.fields).map(([f, x]) => [f, x.column.name]));

/** The mapping a person would write for the fixture database. */
const ENGLISH = {
  title: 'Name',
  startsAt: 'Date',
  durationMinutes: 'Duration (min)',
  interviewers: 'Interviewer',
  attendees: 'Attendees',
  account: 'Account',
  segment: 'Segment',
  customerStatus: 'Customer status',
  tier: 'Tier',
  callType: 'Type',
  location: 'Location',
  study: 'Study',
  tldr: 'TL;DR',
  notesUrl: 'Notes URL',
  debriefed: 'Debriefed',
  followUpDue: 'Follow-ups due',
  followUpDone: 'Follow-ups done',
  tags: 'Tags',
};

test('the fixture database: every column placed where a person would put it, the row timestamps left to the source', () => {
  const p = proposeSetup(schema, sample);
  expect(mappingOf(p)).toEqual(ENGLISH);
  expect(p.unplaced.map((u) => [u.column.name, u.reason])).toEqual([
    ['Created', 'the row’s own timestamp: read without a mapping'],
    ['Last edited', 'the row’s own timestamp: read without a mapping'],
  ]);
  expect(p.missing).toEqual(['endsAt', 'participantName', 'participantEmail', 'participantRole', 'followUpText', 'nugget']);
  expect(p.values.callType).toEqual([
    { value: 'Learning call', count: 2, to: 'learning', how: 'builtin' },
    { value: 'Sales call', count: 1, to: 'sales', how: 'builtin' },
    { value: 'Usability test', count: 1, to: 'usability', how: 'builtin' },
    { value: 'Support call', count: 1, to: 'support', how: 'builtin' },
  ]);
  expect(p.roster.map((r) => [r.name, r.led, r.attended, r.role])).toEqual([
    ['Sam Okafor', 2, 0, 'pm'],
    ['Marco Bellini', 1, 2, 'pm'],
    ['Dana Whitfield', 1, 1, 'pm'],
    ['Priya Raman', 1, 1, 'pm'],
  ]);
  expect(p.sample).toEqual({ rows: 5, complete: true });
});

// prettier-ignore
const LANGUAGES: Array<[string, Record<string, string>, Record<string, string>]> = [
  ['renamed (English)', { Name: 'Interview', Date: 'When', Interviewer: 'Owner', Attendees: 'Observers', Account: 'Company', 'Duration (min)': 'Length (min)', Type: 'Call type', 'TL;DR': 'Summary', Debriefed: 'Debrief', Tags: 'Themes', 'Follow-ups due': 'Follow-up date', 'Follow-ups done': 'Followed up', Segment: 'Persona', 'Customer status': 'Status', Location: 'Setting', Study: 'Research question', Tier: 'Plan', 'Notes URL': 'Notes' },
    { 'Learning call': 'Discovery call', Churned: 'Former customer', 'On-site': 'In person' }],
  ['German', { Name: 'Titel', Date: 'Datum', Interviewer: 'Interviewt von', Attendees: 'Teilnehmer', Account: 'Firma', 'Duration (min)': 'Dauer (Min.)', Type: 'Art', 'TL;DR': 'Zusammenfassung', Debriefed: 'Nachbesprechung', Tags: 'Schlagwörter', 'Follow-ups due': 'Wiedervorlage', 'Follow-ups done': 'Erledigt', Segment: 'Segment', 'Customer status': 'Kundenstatus', Location: 'Ort', Study: 'Studie', Tier: 'Stufe', 'Notes URL': 'Notizen' },
    { 'Learning call': 'Kundeninterview', 'Sales call': 'Vertriebsgespräch', Churned: 'Abgewandert', Current: 'Kunde', 'On-site': 'Vor Ort' }],
  ['French', { Name: 'Titre', Date: 'Date', Interviewer: 'Interviewé par', Attendees: 'Observateurs', Account: 'Entreprise', 'Duration (min)': 'Durée (min)', Type: "Type d'entretien", 'TL;DR': 'Résumé', Debriefed: 'Débrief', Tags: 'Étiquettes', 'Follow-ups due': 'Date de relance', 'Follow-ups done': 'Relance faite', Segment: 'Segment', 'Customer status': 'Statut client', Location: 'Lieu', Study: 'Étude', Tier: 'Niveau', 'Notes URL': 'Notes' },
    { 'Learning call': 'Entretien client', Churned: 'Ancien client', Current: 'Client', 'On-site': 'Sur site' }],
  ['Chinese', { Name: '标题', Date: '日期', Interviewer: '访谈人', Attendees: '参与人', Account: '公司', 'Duration (min)': '时长（分钟）', Type: '类型', 'TL;DR': '摘要', Debriefed: '已复盘', Tags: '标签', 'Follow-ups due': '跟进日期', 'Follow-ups done': '已跟进', Segment: '细分', 'Customer status': '客户状态', Location: '地点', Study: '研究', Tier: '等级', 'Notes URL': '笔记' },
    { 'Learning call': '客户访谈', 'Sales call': '销售电话', 'Usability test': '可用性测试', Churned: '流失客户', 'On-site': '现场' }],
  ['Russian', { Name: 'Название', Date: 'Дата', Interviewer: 'Интервьюер', Attendees: 'Участники', Account: 'Компания', 'Duration (min)': 'Длительность (мин)', Type: 'Тип', 'TL;DR': 'Кратко', Debriefed: 'Дебриф', Tags: 'Теги', 'Follow-ups due': 'Срок', 'Follow-ups done': 'Выполнено', Segment: 'Сегмент', 'Customer status': 'Статус клиента', Location: 'Место', Study: 'Исследование', Tier: 'Тариф', 'Notes URL': 'Заметки' },
    { 'Learning call': 'Интервью с клиентом', Churned: 'Бывший клиент', Current: 'Клиент', 'On-site': 'Лично' }],
];

test.each(LANGUAGES)('columns %s: the same mapping, translated, and the translated values map by themselves', (_, names, options) => {
  const p = proposeSetup(variant(names, options), null);
  expect(mappingOf(p)).toEqual(Object.fromEntries(Object.entries(ENGLISH).map(([f, c]) => [f, names[c] ?? c])));
  const translated = Object.values(options);
  for (const field of ['callType', 'customerStatus', 'location'] as const) {
    for (const v of p.values[field]!.filter((x) => translated.includes(x.value))) expect([field, v.value, v.how]).toEqual([field, v.value, 'builtin']);
  }
});

test('missing columns are listed as missing; the rest is placed as before, with nothing put in their place', () => {
  const p = proposeSetup(variant({ Attendees: '', Debriefed: '', Type: '' }), null);
  const { attendees: _a, debriefed: _d, callType: _c, ...rest } = ENGLISH;
  expect(mappingOf(p)).toEqual(rest);
  expect(p.missing).toEqual(expect.arrayContaining(['attendees', 'callType', 'debriefed']));
});

test('a column init cannot place is listed with the reason: no such field, values that are not the field’s, a column taken', () => {
  const extra: SchemaDescription = {
    ...schema,
    columns: [
      ...schema.columns,
      { id: 'm', name: 'Mood', type: 'select', options: [{ name: 'Happy', count: null }], samples: [], gives: ['text'] },
      {
        id: 's',
        name: 'Status',
        type: 'status',
        options: [
          { name: 'Scheduled', count: null },
          { name: 'Done', count: null },
        ],
        samples: [],
        gives: ['text', 'boolean'],
      },
      { id: 'd', name: 'Interview date', type: 'rich_text', options: null, samples: [], gives: ['text', 'date', 'people'] },
    ],
  };
  const p = proposeSetup(extra, null);
  expect(mappingOf(p)).toEqual(ENGLISH);
  const reasons = Object.fromEntries(p.unplaced.map((u) => [u.column.name, u.reason]));
  expect(reasons).toMatchObject({
    Mood: 'no model field goes by this name',
    Status: 'named like customerStatus, but none of its values ("Scheduled", "Done") is one',
    'Interview date': 'looks like startsAt, which "Date" feeds',
  });
});

test.each([
  ['callType', 'Learning call', 'learning', 'builtin'],
  ['callType', 'DISCOVERY', 'learning', 'builtin'],
  ['callType', 'Discovery (remote)', 'learning', 'guess'],
  ['callType', 'Roadmap review', null, 'none'],
  ['customerStatus', 'Ex-customer', 'former', 'builtin'],
  ['customerStatus', 'Churned 2025', 'former', 'guess'],
  ['customerStatus', 'Partner', null, 'none'],
  ['location', 'Remote (Zoom)', 'video', 'guess'],
  ['location', 'Customer site', 'onsite', 'builtin'],
  ['location', 'Our office', 'other', 'guess'],
] as const)('%s "%s" → %s (%s)', (field, value, to, how) => {
  expect(placeValue(field, value)).toEqual({ value, count: null, to, how });
});

const CONTEXT: WriteContext = {
  target: { kind: 'notion', database: IDS.database_url },
  sourceName: 'interviews',
  organisation: 'Acme',
  timezone: 'Europe/Berlin',
  schemaPath: './touchpoint.schema.json',
  commands: { doctor: 'npx touchpoint doctor', sync: 'npx touchpoint sync', serve: 'npx touchpoint serve' },
};

describe('the written config', () => {
  test('validates, maps what was proposed, pins no asOf, and writes guesses into values with a mark', () => {
    const p = proposeSetup(variant({}, { 'On-site': 'Remote (Zoom)' }), sample);
    const text = renderConfig(p, CONTEXT);
    const config = parseConfig(parse(text));
    expect(config.asOf).toBeUndefined();
    expect(config.roster.map((r) => r.email)).toContain('dana.whitfield@northwind-labs.com');
    const mapping = config.sources[0]!.mapping;
    expect(mapping.location).toEqual({ column: 'Location', values: { 'Remote (Zoom)': 'video' } });
    expect(mapping.callType).toEqual({ column: 'Type', values: {} });
    expect(text).toMatch(/ {10}Remote \(Zoom\): video # guess from the words \(0 rows\): check/);
    expect(text).toContain('# Written by `touchpoint init` from the Notion database "Customer Interviews".');
  });

  test('a column name with a newline stays inside its comment: it cannot add a key', () => {
    const evil = variant({ Created: 'Created\nsources: []\n#' });
    const text = renderConfig(proposeSetup(evil, null), CONTEXT);
    const config = parseConfig(parse(text));
    expect(config.sources).toHaveLength(1);
    expect(text).toContain('"Created sources: [] #" (created_time)');
  });
});

test('on a terminal: a column changed, a guessed value corrected, a role set and someone left out, in three screens', async () => {
  const answers = ['tldr=Account; account=', '', 'onsite', '2=design -4', ''];
  const asked: string[] = [];
  const ask = async (q: string) => (asked.push(q), answers.shift() ?? '');
  const reread = vi.fn(async (changes: Record<string, string>) => proposeSetup(variant({}, { 'On-site': 'Remote (Zoom)' }), sample, changes));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const first = proposeSetup(variant({}, { 'On-site': 'Remote (Zoom)' }), sample);
  const p = await confirm(first, ask, reread);
  write.mockRestore();
  expect(reread).toHaveBeenCalledWith({ tldr: 'Account' });
  expect(p.fields.tldr?.column.name).toBe('Account');
  expect(p.fields.account).toBeUndefined();
  expect(p.values.location!.find((v) => v.value === 'Remote (Zoom)')).toMatchObject({ to: 'onsite', how: 'guess' });
  expect(p.roster.map((r) => `${r.name}:${r.role}`)).toEqual(['Sam Okafor:pm', 'Marco Bellini:design', 'Dana Whitfield:pm']);
  expect(asked).toHaveLength(5);
  expect(asked[2]).toContain('location "Remote (Zoom)" (0 rows): counts as video (guess)');
});
