/**
 * Generates the bundled demo organisation: examples/demo/interviews.csv (as Notion's
 * "Export → Markdown & CSV" writes it) and examples/demo/touchpoint.config.yaml.
 * Seeded, so the output is the same on every run: `npm run demo:generate`.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { stringify as toYaml } from 'yaml';

const AS_OF = '2026-11-20';
const ZONE = 'Europe/Berlin';
const WEEKS = 26;
const OUT = new URL('../examples/demo/', import.meta.url);

/** mulberry32: a tiny seeded PRNG, so the demo never changes between runs. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261120);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;
function weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [value, w] of pairs) if ((r -= w) <= 0) return value;
  return pairs[pairs.length - 1]![0];
}

type Persona = 'steady' | 'high' | 'lapsing' | 'sales' | 'new' | 'irregular' | 'resumed' | 'light' | 'rare' | 'alternating';
interface Pm {
  name: string;
  team: string;
  persona: Persona;
  since?: string;
  onsite: number;
}
const PMS: Pm[] = [
  { name: 'Amara Okafor', team: 'Growth', persona: 'steady', onsite: 0.2 },
  { name: 'Lukas Becker', team: 'Growth', persona: 'steady', onsite: 0.6 },
  { name: 'Sofia Marín', team: 'Growth', persona: 'lapsing', onsite: 0.2 },
  { name: 'Ben Carter', team: 'Growth', persona: 'sales', onsite: 0.3 },
  { name: 'Priya Raman', team: 'Platform', persona: 'high', onsite: 0.25 },
  { name: 'Tomás Silva', team: 'Platform', persona: 'irregular', onsite: 0.1 },
  { name: 'Hannah Schmidt', team: 'Platform', persona: 'new', since: '2026-10-12', onsite: 0.3 },
  { name: 'Daniel Kim', team: 'Platform', persona: 'resumed', onsite: 0.15 },
  { name: 'Yuki Tanaka', team: 'Insights', persona: 'high', onsite: 0.35 },
  { name: 'Omar Haddad', team: 'Insights', persona: 'alternating', onsite: 0.2 },
  { name: 'Elena Petrova', team: 'Insights', persona: 'light', onsite: 0.1 },
  { name: "Marcus O'Neil", team: 'Insights', persona: 'rare', onsite: 0 },
];
const DESIGNERS = [
  { name: 'Chloé Dubois', team: 'Growth' },
  { name: 'Jonas Weber', team: 'Growth' },
  { name: 'Noah Fischer', team: 'Platform' },
  { name: 'Mei Lin', team: 'Platform' },
  { name: 'Inês Costa', team: 'Insights' },
];
const ENGINEERS = [
  { name: 'Arjun Mehta', team: 'Growth' },
  { name: 'Sara Lindqvist', team: 'Growth' },
  { name: 'Felix Braun', team: 'Platform' },
  { name: 'Grace Osei', team: 'Platform' },
  { name: 'Mateo Rossi', team: 'Insights' },
  { name: 'Leah Goldberg', team: 'Insights' },
];
const email = (name: string) =>
  `${name
    .normalize('NFD')
    .replace(/[\u0300-\u036f']/g, '')
    .toLowerCase()
    .replace(/\s+/g, '.')}@northwind.example`;

type Status = 'Customer' | 'Churned' | 'Trial' | 'Lost deal';
interface Account {
  name: string;
  segment: string;
  tier: string;
  status: Status;
}
const ACCOUNT_NAMES = [
  'Acme Logistics',
  'Brightline Health',
  'Cobalt Retail',
  'Dunmore Foods',
  'Elbe Energie',
  'Fjord Shipping',
  'Granite Insurance',
  'Harbor Credit Union',
  'Ionix Labs',
  'Juniper Schools',
  'Kestrel Aviation',
  'Lumen Pharma',
  'Meridian Hotels',
  'Nordlicht Media',
  'Orchard Grocers',
  'Pioneer Freight',
  'Quarry Tools',
  'Riverside Clinics',
  'Summit Legal',
  'Tidewater Utilities',
  'Umbra Games',
  'Vantage Realty',
  'Willow Dental',
  'Xenon Motors',
  'Yarrow Textiles',
  'Zephyr Travel',
  'Alder Bank',
  'Birch & Co',
  'Cedar Analytics',
  'Delta Print',
  'Ember Coffee',
  'Falcon Security',
  'Gale Wind Farms',
  'Helix Biotech',
  'Iris Optics',
  'Jade Jewellers',
  'Kite Education',
  'Lark Music',
  'Maple Mortgages',
  'Nimbus Cloud',
  'Opal Fashion',
  'Pine Outdoor',
  'Quill Publishing',
  'Raven Robotics',
  'Sable Furniture',
  'Teal Telecom',
  'Unity Housing',
  'Vega Satellites',
  'Wren Bakeries',
  'Yew Gardens',
  // 70 more, so that touches spread the way they do in a real customer base.
  ...['Northgate', 'Bluewater', 'Silverline', 'Redwood', 'Brookfield', 'Ironbridge', 'Clearview'].flatMap((a) =>
    ['Logistics', 'Clinics', 'Foods', 'Legal', 'Systems', 'Retail', 'Energy', 'Finance', 'Studios', 'Works'].map((b) => `${a} ${b}`),
  ),
  'City of Lindenau',
  'Ministry of Transport (Demo)',
  'Canton Health Office',
  'State Archive Nord',
];
const ACCOUNTS: Account[] = ACCOUNT_NAMES.map((name, i) => {
  const publicSector = i >= ACCOUNT_NAMES.length - 4;
  const segment = publicSector
    ? 'Public sector'
    : weighted([
        ['Enterprise', 3],
        ['Mid-market', 4],
        ['SMB', 3],
      ] as const);
  const tier = segment === 'Enterprise' ? pick(['Platinum', 'Gold']) : segment === 'SMB' ? 'Standard' : pick(['Gold', 'Standard']);
  const status: Status = i % 11 === 3 ? 'Churned' : i % 13 === 5 ? 'Trial' : i % 17 === 7 ? 'Lost deal' : 'Customer';
  return { name, segment, tier, status };
});

// Studies at every evidence level: solid, solid, emerging, anecdotal.
const STUDIES = [
  { name: 'Onboarding friction', weight: 8 },
  { name: 'Reporting for finance teams', weight: 3 },
  { name: 'Mobile field workflows', weight: 0.65 },
  { name: 'Pricing perception', weight: 0.35 },
];
const ROLES = ['Operations lead', 'Finance manager', 'IT admin', 'Analyst', 'Head of Customer Success', 'Procurement', 'Team lead', 'CFO'];
const FIRST = ['Anna', 'Mark', 'Lea', 'Tom', 'Nina', 'Paul', 'Maya', 'Jan', 'Ivy', 'Leo', 'Sara', 'Kai', 'Eva', 'Max', 'Zoe', 'Finn'];
const LAST = ['Hart', 'Novak', 'Berg', 'Young', 'Klein', 'Lopez', 'Moss', 'Reed', 'Stone', 'Wolf', 'Vogel', 'Park'];
const NUGGETS = [
  '"We export to Excel every Monday because nobody trusts the dashboard numbers."',
  '"If setup takes more than a day, my team simply won\'t adopt it."',
  '"The approval step is where everything stalls — we chase people on Slack."',
  '"I\'d pay more for an audit trail than for another chart."',
  '"Our field staff are offline half the day; anything web-only is useless to them."',
  '"We left because permissions were all-or-nothing."',
  '"An assistant that drafts the monthly report would save me two days."',
  '"Honestly, SSO was the only reason procurement said yes."',
];
const TLDRS = [
  'Month-end close still runs through spreadsheets; wants scheduled exports. Permissions block wider rollout.',
  'Onboarding stalled at data import; team gave up after the CSV mapping step. Asked for a guided setup.',
  'Uses reports weekly but rebuilds them in Excel; trust in totals is low after a sync delay.',
  'Field team needs offline capture; currently photographs paper forms. Strong interest in mobile.',
  'Pricing seen as fair for core seats, confusing for add-ons. Would consolidate tools if SSO included.',
  'Approvals bottleneck is the biggest pain; wants nudges and delegation while on leave.',
  'Evaluated us against a spreadsheet; chose to stay with spreadsheets because of setup effort.',
  'Asked about an AI assistant for summarising monthly activity; would pilot it.',
];
// Tags: "AI assistant" rises over the 26 weeks, "SSO" fades, the rest hold.
function tagWeights(progress: number): Array<readonly [string, number]> {
  return [
    ['onboarding', 3],
    ['reporting', 2.5],
    ['permissions', 2],
    ['exports', 1.5],
    ['mobile', 1],
    ['pricing', 1],
    ['AI assistant', 0.2 + 4 * progress * progress],
    ['SSO', 2.5 * (1 - progress)],
    ['approvals', 1.2],
  ];
}

const asOf = DateTime.fromISO(AS_OF, { zone: ZONE });
const firstMonday = asOf.startOf('week').minus({ weeks: WEEKS - 1 });

function weeklyCount(pm: Pm, week: number): number {
  const recent = week >= WEEKS - 8;
  switch (pm.persona) {
    case 'steady':
      return weighted([
        [1, 1],
        [2, 4],
        [3, 4],
        [4, 1],
      ] as const);
    case 'high':
      return weighted([
        [2, 2],
        [3, 4],
        [4, 2],
      ] as const);
    case 'lapsing':
      return week < WEEKS - 7
        ? weighted([
            [1, 3],
            [2, 4],
            [3, 1],
          ] as const)
        : chance(0.08)
          ? 1
          : 0;
    case 'sales':
      return weighted([
        [1, 3],
        [2, 3],
        [3, 2],
      ] as const);
    case 'new':
      return weighted([
        [1, 2],
        [2, 3],
        [3, 2],
      ] as const);
    case 'irregular':
      return weighted([
        [0, 4],
        [1, 2],
        [2, 3],
        [3, 1],
      ] as const);
    case 'resumed':
      return recent
        ? weighted([
            [2, 3],
            [3, 2],
          ] as const)
        : week > 6 && week < WEEKS - 8
          ? chance(0.15)
            ? 1
            : 0
          : weighted([
              [1, 2],
              [2, 3],
            ] as const);
    case 'light':
      return chance(0.8) ? 1 : 0;
    case 'rare':
      return chance(0.12) ? 1 : 0;
    case 'alternating':
      return week % 2 === 0
        ? weighted([
            [2, 3],
            [3, 1],
          ] as const)
        : chance(0.3)
          ? 1
          : 0;
  }
}

const rows: string[][] = [];
/** What a PM promised a customer, for the Follow-ups page. */
const PROMISES = [
  'Send the CSV import guide',
  'Share the SSO roadmap date',
  'Invite them to the exports beta',
  'Connect them with support about the sync delay',
  'Send pricing for the add-ons',
  'Book a follow-up with their admin',
  'Share the permissions design for feedback',
  'Confirm whether the mobile app works offline',
];

const header = [
  'Name',
  'ID',
  'Date',
  'Duration (min)',
  'Interviewer',
  'Attendees',
  'Account',
  'Participant',
  'Participant email',
  'Participant role',
  'Segment',
  'Customer status',
  'Tier',
  'Type',
  'Location',
  'Study',
  'TL;DR',
  'Notes',
  'Debriefed',
  'Follow-up due',
  'Follow-up done',
  'Promised',
  'Tags',
  'Nugget',
  'Created time',
  'Last edited time',
];
const notionDate = (d: DateTime, withTime = true) => d.setLocale('en-US').toFormat(withTime ? 'LLLL d, yyyy h:mm a' : 'LLLL d, yyyy');
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

let serial = 0;
for (let week = 0; week < WEEKS; week++) {
  const monday = firstMonday.plus({ weeks: week });
  const progress = week / (WEEKS - 1);
  for (const pm of PMS) {
    if (pm.since && monday.plus({ days: 6 }).toISODate()! < pm.since) continue;
    const count = weeklyCount(pm, week);
    for (let k = 0; k < count; k++) {
      const day = monday.plus({ days: Math.floor(random() * 5), hours: 9 + Math.floor(random() * 8), minutes: pick([0, 0, 30]) });
      if (day > asOf.endOf('day')) continue;
      serial += 1;
      // Public sector is only heard from early on: the "segment that goes unheard".
      const pool = week < 8 ? ACCOUNTS : ACCOUNTS.filter((a) => a.segment !== 'Public sector');
      const account = chance(0.12) ? ACCOUNTS[serial % 6]! : pick(pool); // a few accounts get over-contacted
      const type =
        pm.persona === 'sales'
          ? weighted([
              ['Discovery', 3],
              ['Sales call', 5],
              ['Usability test', 1],
            ] as const)
          : weighted([
              ['Discovery', 15],
              ['Usability test', 3],
              ['Sales call', 1],
              ['Support call', 1],
            ] as const);
      const designer = DESIGNERS.filter((d) => d.team === pm.team);
      const engineer = ENGINEERS.filter((e) => e.team === pm.team);
      const attendees = [
        ...(chance(0.45) ? [pick(designer).name] : []),
        ...(chance(0.3) ? [pick(engineer).name] : []),
        ...(type === 'Sales call' && chance(0.5) ? ['Rita Alvarez'] : []), // a sales rep, not on the roster
      ];
      const duration = chance(0.12) ? '' : String(pick([45, 60, 60, 60, 75, 90]));
      const participant = `${pick(FIRST)} ${pick(LAST)}`;
      const study = chance(0.45) ? weighted(STUDIES.map((s) => [s.name, s.weight] as const)) : '';
      const tags = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => weighted(tagWeights(progress))))];
      const ageDays = asOf.diff(day, 'days').days;
      const hasFollowUp = chance(0.3);
      const due = day.plus({ days: 7 + Math.floor(random() * 14) });
      const done = hasFollowUp && (ageDays > 45 ? chance(0.9) : ageDays > 14 ? chance(0.55) : chance(0.2));
      const title = `${account.name} — ${type === 'Discovery' ? pick(['discovery', 'workflow deep-dive', 'check-in']) : type.toLowerCase()}`;
      const created = day.minus({ days: 2 + Math.floor(random() * 5) });
      const edited = DateTime.min(day.plus({ hours: 2 + Math.floor(random() * 60) }), asOf.minus({ minutes: 5 }));
      const status = account.status === 'Churned' && chance(0.25) ? 'Churned' : account.status;
      const email = chance(0.6) ? `${participant.toLowerCase().replace(' ', '.')}@${slug(account.name).toLowerCase()}.example` : '';
      rows.push([
        title,
        `INT-${String(serial).padStart(4, '0')}`,
        notionDate(day),
        duration,
        pm.name,
        attendees.join(', '),
        `${account.name} (https://www.notion.so/northwind/${slug(account.name)}-${hex(32)})`,
        participant,
        email,
        pick(ROLES),
        account.segment,
        status,
        account.tier,
        type,
        chance(pm.onsite)
          ? 'On-site'
          : weighted([
              ['Video', 4],
              ['Phone', 1],
            ] as const),
        study,
        namingParticipant(serial, participant, email, chance(0.85) ? pick(TLDRS) : ''),
        `https://www.notion.so/northwind/${slug(title)}-${hex(32)}`,
        chance(ageDays > 7 ? 0.72 : 0.4) ? 'Yes' : 'No',
        hasFollowUp ? notionDate(due, false) : '',
        hasFollowUp ? (done ? 'Yes' : 'No') : '',
        // By serial, not by chance: the demo's other columns keep their values.
        hasFollowUp ? PROMISES[serial % PROMISES.length]! : '',
        tags.join(', '),
        namingParticipant(serial + 1, participant, email, chance(0.08) ? pick(NUGGETS) : ''),
        notionDate(created.setZone(ZONE)),
        notionDate(edited.setZone(ZONE)),
      ]);
    }
  }
}

/**
 * Notes name the customer as people write them ("Nina said…", an e-mail to follow up on): every
 * fourth tl;dr or quote does, so the privacy mode of broadcasts has something to hide. Takes no
 * random numbers, so the rest of the data stays as it was.
 */
function namingParticipant(serial: number, participant: string, email: string, text: string): string {
  if (!text || serial % 4 !== 0) return text;
  const first = participant.split(' ')[0]!;
  return serial % 8 === 0 && email ? `${text} Follow up with ${participant} (${email}).` : `${participant}: ${text} ${first} will share more.`;
}

// A few rows as real tables have them, so the data-quality page has something to say.
const broken: Array<Partial<Record<string, string>>> = [
  { Name: 'Kestrel Aviation — discovery (date not set yet)', Date: '', Interviewer: 'Priya Raman' },
  { Name: 'Orchard Grocers — discovery', Date: notionDate(asOf.minus({ days: 9 }).set({ hour: 10 })), Interviewer: 'Alex Contractor' },
  { Name: 'Helix Biotech — check-in', Date: notionDate(asOf.minus({ days: 16 }).set({ hour: 14 })), Interviewer: 'Yuki Tanaka', 'Customer status': 'Partner' },
  { Name: 'Ionix Labs — workflow deep-dive', Date: 'next Tuesday', Interviewer: 'Tomás Silva' },
];
for (const row of broken) {
  serial += 1;
  rows.push(
    header.map((h) =>
      h === 'ID' ? `INT-${String(serial).padStart(4, '0')}` : (row[h] ?? (h === 'Type' ? 'Discovery' : h === 'Customer status' ? 'Customer' : '')),
    ),
  );
}

rows.sort((a, b) => (a[1]! < b[1]! ? -1 : 1));
mkdirSync(OUT, { recursive: true });
writeFileSync(new URL('interviews.csv', OUT), `\uFEFF${stringify([header, ...rows])}`);

const roster = [
  ...PMS.map((p) => ({ name: p.name, email: email(p.name), role: 'pm', team: p.team, ...(p.since ? { since: p.since } : {}) })),
  ...DESIGNERS.map((d) => ({ name: d.name, email: email(d.name), role: 'design', team: d.team })),
  ...ENGINEERS.map((e) => ({ name: e.name, email: email(e.name), role: 'engineering', team: e.team })),
];
const config = {
  $schema: '../../touchpoint.schema.json',
  organisation: 'Northwind Analytics (demo)',
  timezone: ZONE,
  asOf: AS_OF,
  targets: { measure: 'hours', hoursPerWeek: 2, segmentMix: { Enterprise: 0.35, 'Mid-market': 0.35, SMB: 0.2, 'Public sector': 0.1 } },
  sources: [
    {
      name: 'demo',
      kind: 'csv',
      path: 'interviews.csv',
      mapping: {
        id: 'ID',
        url: 'Notes',
        title: 'Name',
        startsAt: 'Date',
        durationMinutes: { column: 'Duration (min)', unit: 'minutes' },
        interviewers: 'Interviewer',
        attendees: 'Attendees',
        account: 'Account',
        participantName: 'Participant',
        participantEmail: 'Participant email',
        participantRole: 'Participant role',
        segment: 'Segment',
        customerStatus: { column: 'Customer status', values: { Customer: 'current', Churned: 'former', Trial: 'prospect', 'Lost deal': 'lost' } },
        tier: 'Tier',
        callType: { column: 'Type', values: { Discovery: 'learning', 'Usability test': 'usability', 'Sales call': 'sales', 'Support call': 'support' } },
        location: { column: 'Location', values: { 'On-site': 'onsite', Video: 'video', Phone: 'phone' } },
        study: 'Study',
        tldr: 'TL;DR',
        notesUrl: 'Notes',
        debriefed: 'Debriefed',
        followUpDue: 'Follow-up due',
        followUpDone: 'Follow-up done',
        followUpText: 'Promised',
        tags: 'Tags',
        nugget: 'Nugget',
        createdAt: 'Created time',
        updatedAt: 'Last edited time',
      },
    },
  ],
  roster,
};
writeFileSync(
  new URL('touchpoint.config.yaml', OUT),
  `# The bundled demo: a fictional organisation. Generated by scripts/generate-demo.ts; do not edit by hand.\n${toYaml(config, { lineWidth: 120 })}`,
);
console.log(`examples/demo: ${rows.length} rows, ${roster.length} people on the roster.`);
