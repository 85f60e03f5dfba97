import { isPm, type Finding, type Rate } from '../index.js';
import type { CustomerStatus } from '../model/interview.js';
import type { PageContext } from './context.js';
import type { DrillCriteria } from './drill.js';
import { format } from '../present/format.js';
import { escapeHtml, safeWebUrl } from '../present/escape.js';
import { flagSentence, findingSentence, practiceTone, PRACTICE_RATES } from '../present/sentences.js';
import { isDecision, rowLabel } from '../present/checklist.js';

/**
 * Every table the dashboard shows, defined once: the page renders it as HTML, `/export/<id>.csv`
 * downloads it and `/api/v1/…` serves the same rows — they cannot disagree.
 */

/**
 * A cell: plain text or number, or text with an internal link, an external link or a badge.
 * `count`: the link opens the conversations behind the cell, this many of them.
 */
export type Cell = string | number | null | { text: string; href?: string; external?: boolean; badge?: string; count?: number };

/**
 * One cell's HTML: text, a link (with the count it opens), or a badge; every value escaped. A
 * function, not an EJS include: a table of 500 rows has 2 500 cells, and an include costs a
 * copy of the render options each.
 */
export function cellHtml(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '<span class="muted">—</span>';
  if (typeof cell !== 'object') return escapeHtml(cell);
  if (cell.href) {
    const rel = cell.external ? ' rel="noopener noreferrer nofollow"' : '';
    const count = cell.count !== undefined ? ` data-count="${escapeHtml(cell.count)}"` : '';
    return `<a href="${escapeHtml(cell.href)}"${rel}${count}>${escapeHtml(cell.text)}</a>`;
  }
  if (cell.badge) return `<span class="badge ${escapeHtml(cell.badge)}">${escapeHtml(cell.text)}</span>`;
  return escapeHtml(cell.text);
}

export interface Column {
  key: string;
  label: string;
  numeric?: boolean;
  /** A date or a time: kept on one line (on a phone "13 Jun 2026" broke into three). */
  date?: boolean;
}

/** The class of a column's cells. */
export function columnClass(column: Column): string {
  return column.numeric ? 'num' : column.date ? 'date' : '';
}

type Row = Record<string, Cell>;

export interface Table {
  id: TableId;
  title: string;
  columns: Column[];
  /** Every row (CSV, JSON); a long table builds them on the first read of this. */
  readonly rows: Row[];
  /** How many rows, without building them. */
  size: number;
  /** The rows from `from` to `to` (a page of a long table), building only those. */
  slice(from: number, to: number): Row[];
  /** Said instead of an empty table. */
  empty: string;
}

/**
 * The rows of a long table, each built when first shown: a page shows 100 of 8 000 open promises,
 * and building all of them for every new data version held the event loop for 40–80 ms under a
 * crowd. The CSV and the JSON build the rest when they ask.
 */
export class LazyRows<T> {
  private readonly built: Array<Row | undefined> = [];
  constructor(
    private readonly items: readonly T[],
    private readonly toRow: (item: T) => Row,
  ) {}
  get size(): number {
    return this.items.length;
  }
  slice(from: number, to: number): Row[] {
    const end = Math.min(to, this.items.length);
    const rows: Row[] = [];
    for (let i = Math.max(0, from); i < end; i++) rows.push((this.built[i] ??= this.toRow(this.items[i]!)));
    return rows;
  }
  all(): Row[] {
    return this.slice(0, this.items.length);
  }
}

/** What a table's builder returns: its rows, or rows built as they are shown. */
type TableSpec = Omit<Table, 'id' | 'rows' | 'size' | 'slice'> & ({ rows: Row[] } | { lazy: RowSource });

/** What LazyRows offers, whatever its items. */
interface RowSource {
  readonly size: number;
  slice(from: number, to: number): Row[];
  all(): Row[];
}

function tableOf(id: TableId, spec: TableSpec): Table {
  const { title, columns, empty } = spec;
  if ('rows' in spec) {
    const rows = spec.rows;
    return { id, title, columns, empty, rows, size: rows.length, slice: (from, to) => rows.slice(from, to) };
  }
  const lazy = spec.lazy;
  let all: Row[] | null = null;
  return {
    id,
    title,
    columns,
    empty,
    get rows() {
      return (all ??= lazy.all());
    },
    size: lazy.size,
    slice: (from, to) => lazy.slice(from, to),
  };
}

/** Plain text of a cell (CSV, JSON). */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'object') return cell.text;
  return String(cell);
}

/** A count that opens the conversations behind it; `text` when the cell shows something else (hours) for them. */
const counted = (ctx: PageContext, count: number, criteria: DrillCriteria, text: string = String(count)): Cell => ({ text, href: ctx.drill(criteria), count });

/** Tags shown per segment on Themes (the CSV of Tags has every tag). */
const TAGS_PER_SEGMENT = 5;

/** Open promises: any call type, any date up to the as-of date (docs/metrics.md "followUps"). */
const PROMISES = { callType: 'all', window: 'all' } as const;

const pct = (share: number | null | undefined) => (share === null || share === undefined ? '' : format.percent(share));
const rate = format.rate;
const link = (text: string, url: string | null): Cell => {
  const safe = safeWebUrl(url);
  return safe ? { text, href: safe, external: true } : text;
};

export const TABLE_IDS = [
  'cadence',
  'people',
  'quality',
  'segments',
  'statuses',
  'tiers',
  'matrix',
  'gaps',
  'studies',
  'follow-ups',
  'follow-ups-by-pm',
  'over-contacted',
  'top-accounts',
  'themes',
  'themes-by-segment',
  'findings',
  'runs',
  'sources',
] as const;
export type TableId = (typeof TABLE_IDS)[number];

const BUILD: Record<TableId, (ctx: PageContext) => TableSpec> = {
  cadence: (ctx) => {
    const { metrics, href } = ctx;
    const c = metrics.cadence;
    const pms = c.people.filter(isPm);
    return {
      title: `${c.measure === 'hours' ? 'Hours' : 'Conversations'} with customers per PM and week`,
      columns: [
        { key: 'name', label: 'PM' },
        { key: 'team', label: 'Team' },
        ...c.weeks.map((w) => ({ key: w, label: w, numeric: true })),
        { key: 'status', label: 'Status' },
        { key: 'streak', label: 'Streak', numeric: true },
        { key: 'met', label: 'Weeks met' },
        { key: 'last', label: 'Last talked', date: true },
      ],
      rows: pms.map((p) => ({
        name: { text: p.name, href: href(`/people/${encodeURIComponent(p.email)}`) },
        team: p.team,
        ...Object.fromEntries(
          p.weeks.map((w) => [
            w.week,
            w.active ? counted(ctx, w.conversations, { person: p.email, week: w.week }, String(c.measure === 'hours' ? w.hours : w.conversations)) : null,
          ]),
        ),
        status: { text: format.statusNow(p), badge: p.status },
        streak: p.streak,
        met: `${p.weeksMet}/${p.weeksActive}`,
        last: format.daysAgo(p.daysSinceLast),
      })),
      empty: 'No PMs on the roster. Add people with role: pm under roster in the config.',
    };
  },
  people: ({ metrics, href }) => ({
    title: 'Everyone on the roster',
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'role', label: 'Role' },
      { key: 'team', label: 'Team' },
      { key: 'target', label: 'Target' },
      { key: 'status', label: 'Status' },
      { key: 'streak', label: 'Streak', numeric: true },
      { key: 'met', label: 'Weeks met' },
      { key: 'last', label: 'Last talked', date: true },
    ],
    rows: metrics.cadence.people.map((p) => ({
      name: { text: p.name, href: href(`/people/${encodeURIComponent(p.email)}`) },
      role: p.role,
      team: p.team,
      target: format.target(metrics.cadence.measure, p.target),
      status: { text: format.statusNow(p), badge: p.status },
      streak: p.streak,
      met: `${p.weeksMet}/${p.weeksActive}`,
      last: format.daysAgo(p.daysSinceLast),
    })),
    empty: 'The roster is empty. Add people under roster in the config.',
  }),
  quality: (ctx) => {
    const practice = ctx.targets.practice;
    // A rate with a target carries its tone (met / below); `not tracked` and `—` carry none.
    const judged = (r: Rate, target: number): Cell => {
      const tone = practiceTone(r, target);
      return tone ? { text: rate(r), badge: tone } : rate(r);
    };
    return {
      title: `Practice quality, last ${ctx.metrics.window.days} days`,
      columns: [
        { key: 'who', label: 'Who' },
        { key: 'conversations', label: 'Conversations', numeric: true },
        { key: 'calls', label: 'Customer calls', numeric: true },
        ...PRACTICE_RATES.map(({ key, label }) => ({ key, label: `${label} (target ${pct(practice[key])})` })),
        { key: 'onsite', label: 'On-site' },
        { key: 'learning', label: 'Learning vs sales' },
      ],
      rows: [{ who: 'Whole team', email: null, ...ctx.metrics.quality.team }, ...ctx.metrics.quality.people.map((p) => ({ ...p, who: p.name }))].map((r) => ({
        who: r.who,
        conversations: counted(ctx, r.conversations, r.email === null ? {} : { present: r.email }),
        calls: counted(ctx, r.calls, r.email === null ? { callType: 'all' } : { present: r.email, callType: 'all' }),
        trio: judged(r.trio, practice.trio),
        debrief: judged(r.debrief, practice.debrief),
        tldr: judged(r.tldr, practice.tldr),
        onsite: rate(r.onsite),
        learning: rate(r.learningVsSales),
      })),
      empty: 'No conversations in the window.',
    };
  },
  segments: (ctx) => coverageTable(ctx, 'Segment', ctx.metrics.coverage.bySegment, (key) => ({ segment: key })),
  statuses: (ctx) => coverageTable(ctx, 'Customer status', ctx.metrics.coverage.byStatus, (key) => ({ status: key as CustomerStatus })),
  tiers: (ctx) => coverageTable(ctx, 'Tier', ctx.metrics.coverage.byTier, (key) => ({ tier: key })),
  matrix: (ctx) => ({
    title: 'Conversations per PM and segment',
    columns: [
      { key: 'name', label: 'PM' },
      ...ctx.metrics.coverage.matrix.segments.map((s) => ({ key: `s:${s}`, label: s, numeric: true })),
      { key: 'total', label: 'Total', numeric: true },
    ],
    rows: ctx.metrics.coverage.matrix.rows.map((r) => ({
      name: { text: r.name, href: ctx.href(`/people/${encodeURIComponent(r.email)}`) },
      ...Object.fromEntries(ctx.metrics.coverage.matrix.segments.map((s, i) => [`s:${s}`, counted(ctx, r.counts[i] ?? 0, { person: r.email, segment: s })])),
      total: counted(ctx, r.total, { person: r.email }),
    })),
    empty: 'No PMs on the roster.',
  }),
  gaps: (ctx) => ({
    title: 'Gaps in whom we hear from',
    columns: [
      { key: 'gap', label: 'Gap' },
      { key: 'heard', label: 'Conversations', numeric: true },
      { key: 'last', label: 'Last heard', date: true },
    ],
    rows: ctx.metrics.coverage.flags.map((f) => ({
      gap: flagSentence(f),
      heard: counted(ctx, f.conversations, f.code.startsWith('segment') ? { segment: f.key } : { status: f.key as CustomerStatus }),
      last: f.lastHeard ? format.date(f.lastHeard) : 'never',
    })),
    empty: 'No gaps: every segment and customer status was heard often enough.',
  }),
  studies: (ctx) => ({
    title: 'Evidence per study',
    columns: [
      { key: 'study', label: 'Study' },
      { key: 'conversations', label: 'Conversations', numeric: true },
      { key: 'accounts', label: 'Accounts', numeric: true },
      { key: 'segments', label: 'Segments' },
      { key: 'level', label: 'Evidence' },
      { key: 'next', label: 'To next level', numeric: true },
      { key: 'last', label: 'Last conversation', date: true },
    ],
    rows: ctx.metrics.studies.map((s) => ({
      study: s.study,
      // A study outlives any window: its evidence counts every conversation up to the as-of date.
      conversations: counted(ctx, s.conversations, { study: s.study, window: 'all' }),
      accounts: s.accounts,
      segments: s.segments.join(', '),
      level: { text: s.level, badge: s.level },
      next: s.toNextLevel,
      last: format.date(s.last),
    })),
    empty: 'No conversation names a study yet. Map a study column to see evidence per research question.',
  }),
  'follow-ups': ({ metrics }) => ({
    title: 'Open promises, oldest first',
    columns: [
      { key: 'due', label: 'Due', date: true },
      { key: 'overdue', label: 'Overdue', numeric: true },
      // What was promised, where a source holds it (mapping.followUpText).
      ...(metrics.followUps.items.some((i) => i.promise) ? [{ key: 'promise', label: 'Promised' }] : []),
      { key: 'interview', label: 'Conversation' },
      { key: 'account', label: 'Account' },
      { key: 'owner', label: 'Owner' },
    ],
    lazy: new LazyRows(metrics.followUps.items, (i) => ({
      due: format.date(i.due),
      overdue: i.overdue ? { text: `${i.daysOverdue} d`, badge: 'overdue' } : null,
      promise: i.promise,
      interview: link(`${i.title || '(untitled)'} · ${format.date(i.date)}`, i.url),
      account: i.account,
      owner: i.owners.map((o) => o.name ?? o.key).join(', '),
    })),
    empty: 'No open promises. Every follow-up is done.',
  }),
  'follow-ups-by-pm': (ctx) => ({
    title: 'Open promises per PM',
    columns: [
      { key: 'name', label: 'PM' },
      { key: 'open', label: 'Open', numeric: true },
      { key: 'overdue', label: 'Overdue', numeric: true },
    ],
    rows: ctx.metrics.followUps.people.map((p) => ({
      name: { text: p.name, href: ctx.href(`/people/${encodeURIComponent(p.email)}`) },
      open: counted(ctx, p.open, { ...PROMISES, led: p.email, followUp: 'open' }),
      overdue: counted(ctx, p.overdue, { ...PROMISES, led: p.email, followUp: 'overdue' }),
    })),
    empty: 'No PMs on the roster.',
  }),
  'over-contacted': (ctx) => ({
    title: `Accounts heard from more than ${ctx.targets.maxTouchesPerAccount} times in ${ctx.metrics.window.days} days`,
    columns: [
      { key: 'account', label: 'Account' },
      { key: 'conversations', label: 'Conversations', numeric: true },
      { key: 'pms', label: 'PMs', numeric: true },
      { key: 'last', label: 'Last', date: true },
    ],
    rows: ctx.metrics.accounts.overContacted.map((a) => ({
      account: a.account,
      conversations: counted(ctx, a.conversations, { account: a.account }),
      pms: a.pms,
      last: format.date(a.last),
    })),
    empty: 'No account was contacted more often than the limit.',
  }),
  'top-accounts': (ctx) => ({
    title: 'The ten most heard accounts',
    columns: [
      { key: 'account', label: 'Account' },
      { key: 'conversations', label: 'Conversations', numeric: true },
      { key: 'share', label: 'Share' },
      { key: 'pms', label: 'PMs', numeric: true },
    ],
    rows: ctx.metrics.accounts.top.map((a) => ({
      account: a.account,
      conversations: counted(ctx, a.conversations, { account: a.account }),
      share: pct(ctx.metrics.accounts.conversations ? a.conversations / ctx.metrics.accounts.conversations : null),
      pms: a.pms,
    })),
    empty: 'No conversation names an account in the window.',
  }),
  themes: (ctx) => ({
    title: 'Tags, this window against the one before',
    columns: [
      { key: 'tag', label: 'Tag' },
      { key: 'current', label: 'Now', numeric: true },
      { key: 'previous', label: 'Before', numeric: true },
      { key: 'change', label: 'Change', numeric: true },
    ],
    rows: ctx.metrics.themes.tags.map((t) => ({
      tag: t.tag,
      current: counted(ctx, t.current, { tag: t.tag }),
      previous: counted(ctx, t.previous, { tag: t.tag, before: true }),
      change: t.change > 0 ? `+${t.change}` : String(t.change),
    })),
    empty: 'No tags in this window or the one before.',
  }),
  'themes-by-segment': (ctx) => {
    // The most heard tags of each segment, a column each: every count opens its conversations.
    const shown = Math.min(TAGS_PER_SEGMENT, Math.max(0, ...ctx.metrics.themes.bySegment.map((s) => s.tags.length)));
    return {
      title: `Most heard tags per segment, this window`,
      columns: [
        { key: 'segment', label: 'Segment' },
        ...Array.from({ length: shown }, (_, i) => ({ key: `t${i}`, label: i === 0 ? 'Most heard' : `${i + 1}.` })),
      ],
      rows: ctx.metrics.themes.bySegment.map((s) => ({
        segment: s.segment,
        ...Object.fromEntries(
          Array.from({ length: shown }, (_, i) => {
            const t = s.tags[i];
            return [`t${i}`, t ? counted(ctx, t.count, { segment: s.segment, tag: t.tag }, `${t.tag} (${t.count})`) : null];
          }),
        ),
      })),
      empty: 'No tags in this window.',
    };
  },
  findings: ({ metrics, sources }) => ({
    title: 'Rows that need a fix',
    columns: [
      // One source: its name on every row only takes room from the problem (phones).
      ...(sources.length > 1 ? [{ key: 'source', label: 'Source' }] : []),
      { key: 'row', label: 'Row' },
      { key: 'problem', label: 'Problem' },
      { key: 'effect', label: 'Effect' },
    ],
    lazy: findingRows(metrics.findings.items),
    empty: 'No row needs a fix in the source.',
  }),
  runs: ({ runs }) => ({
    title: 'Recent syncs',
    columns: [
      { key: 'source', label: 'Source' },
      { key: 'finished', label: 'Finished (UTC)', date: true },
      { key: 'result', label: 'Result' },
      { key: 'listing', label: 'Listing' },
      { key: 'read', label: 'Read', numeric: true },
      { key: 'changed', label: 'New / updated / deleted' },
      { key: 'findings', label: 'Findings', numeric: true },
      { key: 'requests', label: 'Requests (retries)' },
      { key: 'time', label: 'Time' },
    ],
    rows: runs().map((r) => ({
      source: r.source,
      finished: r.finishedAt.replace('T', ' ').slice(0, 19),
      result: r.status === 'ok' ? { text: 'ok', badge: 'ok' } : { text: `failed: ${r.error ?? ''}`, badge: 'failed' },
      listing: r.report?.listing ?? '',
      read: r.report?.read ?? null,
      changed: r.report ? `${r.report.created} / ${r.report.updated} / ${r.report.deleted}` : '',
      findings: r.report?.findings ?? null,
      requests: r.report ? `${r.report.requests} (${r.report.retries})` : '',
      time: r.report ? `${(r.report.durationMs / 1000).toFixed(1)} s` : '',
    })),
    empty: 'No sync has run yet. Run touchpoint sync.',
  }),
  sources: ({ sourceStatus }) => ({
    title: 'Sources',
    columns: [
      { key: 'name', label: 'Source' },
      { key: 'kind', label: 'Kind' },
      { key: 'interviews', label: 'Interviews', numeric: true },
      { key: 'bookmark', label: 'Bookmark (last edit seen)', date: true },
      { key: 'full', label: 'Last full listing', date: true },
    ],
    rows: sourceStatus().map((s) => ({
      name: s.name,
      kind: s.kind,
      interviews: s.interviews,
      bookmark: s.bookmark?.replace('T', ' ').slice(0, 16) ?? '—',
      full: s.lastFullAt?.replace('T', ' ').slice(0, 16) ?? 'never',
    })),
    empty: 'No sources are configured.',
  }),
};

function coverageTable(
  ctx: PageContext,
  label: string,
  rows: PageContext['metrics']['coverage']['bySegment'],
  criteria: (key: string) => DrillCriteria,
): TableSpec {
  const targets = rows.some((r) => r.target !== undefined);
  return {
    title: `Conversations by ${label.toLowerCase()}`,
    columns: [
      { key: 'key', label },
      { key: 'conversations', label: 'Conversations', numeric: true },
      { key: 'accounts', label: 'Accounts', numeric: true },
      { key: 'share', label: 'Share' },
      ...(targets
        ? [
            { key: 'target', label: 'Target' },
            { key: 'gap', label: 'Gap' },
          ]
        : []),
    ],
    rows: rows.map((r) => ({
      key: r.key,
      conversations: counted(ctx, r.conversations, criteria(r.key)),
      accounts: r.accounts,
      share: pct(r.share),
      ...(targets ? { target: pct(r.target), gap: format.gap(r.gap) } : {}),
    })),
    empty: 'No conversations in the window.',
  };
}

/** Build one table for a page. */
/** The rows to fix, one per finding, kept per findings list (a sync makes a new one): the page is built from them on every request. */
const findingRowsOf = new WeakMap<readonly Finding[], LazyRows<Finding>>();
function findingRows(findings: readonly Finding[]): RowSource {
  let rows = findingRowsOf.get(findings);
  if (!rows) {
    rows = new LazyRows(
      findings.filter((f) => !isDecision(f)),
      (f) => ({
        source: f.source,
        row: link(rowLabel(f), f.url),
        problem: findingSentence(f),
        effect: { text: f.severity === 'excluded' ? 'not counted' : 'counted', badge: f.severity },
      }),
    );
    findingRowsOf.set(findings, rows);
  }
  return rows;
}

/** Tables read from the live store (runs, sources), not from the metrics document: built on every request. */
const LIVE: ReadonlySet<TableId> = new Set(['runs', 'sources']);
/**
 * Every other table is a function of its metrics document (one per data version, config and
 * filter: the filters are in the document's key, so its links are too): built once per document.
 */
const built = new WeakMap<object, Map<TableId, Table>>();

export function buildTable(id: TableId, ctx: PageContext): Table {
  if (LIVE.has(id)) return tableOf(id, BUILD[id](ctx));
  let tables = built.get(ctx.metrics);
  if (!tables) built.set(ctx.metrics, (tables = new Map()));
  let table = tables.get(id);
  if (!table) tables.set(id, (table = tableOf(id, BUILD[id](ctx))));
  return table;
}

export function isTableId(id: string): id is TableId {
  return (TABLE_IDS as readonly string[]).includes(id);
}
