import type { Metrics } from '../metrics/index.js';
import { format } from '../present/format.js';
import type { PageContext } from './context.js';
import { columnChart, rowChart } from './charts.js';
import type { TableId } from './tables.js';

/** A chart, what its colours and marks mean, and the table id whose rows are the data behind it. */
export interface ChartView {
  html: string;
  legend: Array<{ mark: string; text: string }>;
  data: TableId | null;
}

/** One dashboard page: where it lives, what it shows, and its JSON. */
export interface Page {
  name: string;
  path: string;
  title: string;
  view: string;
  tables: TableId[];
  charts: (ctx: PageContext) => ChartView[];
  /** The metrics this page is about, as served under /api/v1/<name>. */
  data: (ctx: PageContext) => unknown;
}

function trendChart(m: Metrics): ChartView {
  const t = m.cadence.team.trend;
  return {
    html: columnChart({
      id: 'trend',
      title: 'PMs on target, week by week',
      description: `Share of roster PMs who met the weekly target in each of the last ${t.length} weeks; the last bar is the week in progress.`,
      bars: t.map((w) => ({
        label: format.weekShort(w.week),
        sublabel: format.weekDay(w.week),
        value: w.share === null ? null : w.share * 100,
        // A share of PMs has no target of its own: one neutral colour, the week in progress pale.
        kind: w.week === m.cadence.currentWeek ? 'muted' : 'neutral',
        describe: `${w.week}: ${w.met} of ${w.of} PMs on target (${format.percent(w.share)})`,
      })),
      max: 100,
      format: (v) => `${Math.round(v)} %`,
    }),
    legend: [
      { mark: 'neutral', text: 'share of PMs on target' },
      { mark: 'muted', text: 'week in progress' },
      ...(t.some((w) => w.share === 0) ? [{ mark: 'zero', text: 'none' }] : []),
    ],
    data: null,
  };
}

function coverageChart(ctx: PageContext, key: 'bySegment' | 'byStatus' | 'byTier', title: string, data: TableId): ChartView {
  const m = ctx.metrics;
  const rows = m.coverage[key];
  const criterion = { bySegment: 'segment', byStatus: 'status', byTier: 'tier' } as const;
  const targets = rows.some((r) => r.target !== undefined);
  const zero = rows.some((r) => r.conversations === 0) ? [{ mark: 'zero', text: 'none' }] : [];
  return {
    html: rowChart({
      id: `coverage-${key}`,
      title,
      description: `Share of the ${m.coverage.conversations} conversations of the last ${m.window.days} days${rows.some((r) => r.target !== undefined) ? '; a tick marks the target share' : ''}.`,
      rows: rows.map((r) => ({
        label: r.key,
        value: (r.share ?? 0) * 100,
        marker: r.target === undefined ? undefined : r.target * 100,
        // Judged only against a target: more than 5 points under it is below; without one, a plain count.
        kind: r.gap === undefined ? 'neutral' : r.gap < -0.05 ? 'below' : 'met',
        note: `${r.conversations} · ${format.percent(r.share)}`,
        describe: `${r.key}: ${r.conversations} conversations, ${format.percent(r.share)}${r.target !== undefined ? `, target ${format.percent(r.target)}` : ''}`,
        link: { href: ctx.drill({ [criterion[key]]: r.key }), count: r.conversations },
      })),
      max: 100,
      gaps: true,
    }),
    legend: targets
      ? [
          { mark: 'met', text: 'at or near its target share' },
          { mark: 'below', text: 'more than 5 points under it' },
          { mark: 'gap', text: 'the shortfall' },
          { mark: 'tick', text: 'target' },
          ...zero,
        ]
      : [{ mark: 'neutral', text: 'share of conversations' }, ...zero],
    data,
  };
}

export const PAGES: Page[] = [
  {
    name: 'overview',
    path: '/',
    title: 'Overview',
    view: 'pages/overview',
    tables: ['cadence'],
    charts: ({ metrics }) => [trendChart(metrics)],
    data: ({ metrics }) => ({
      cadence: metrics.cadence,
      flags: metrics.coverage.flags,
      followUps: { open: metrics.followUps.open, overdue: metrics.followUps.overdue },
      quality: metrics.quality.team,
      findings: metrics.findings.total,
    }),
  },
  {
    name: 'people',
    path: '/people',
    title: 'People',
    view: 'pages/people',
    tables: ['people', 'quality'],
    charts: () => [],
    data: ({ metrics }) => ({ people: metrics.cadence.people, quality: metrics.quality }),
  },
  {
    name: 'coverage',
    path: '/coverage',
    title: 'Coverage',
    view: 'pages/coverage',
    tables: ['gaps', 'segments', 'statuses', 'tiers', 'matrix'],
    charts: (ctx) => [
      coverageChart(ctx, 'bySegment', 'Conversations by segment', 'segments'),
      coverageChart(ctx, 'byStatus', 'Conversations by customer status', 'statuses'),
      coverageChart(ctx, 'byTier', 'Conversations by tier', 'tiers'),
    ],
    data: ({ metrics }) => metrics.coverage,
  },
  {
    name: 'studies',
    path: '/studies',
    title: 'Studies',
    view: 'pages/studies',
    tables: ['studies'],
    charts: ({ metrics, targets, drill }) => {
      const { emerging, solid } = targets.evidence;
      return metrics.studies.length === 0
        ? []
        : [
            {
              html: rowChart({
                id: 'studies',
                title: 'Evidence per study',
                description: `Conversations per study; ${emerging} make a study emerging and ${solid} solid.`,
                rows: metrics.studies.map((s) => ({
                  label: s.study,
                  value: s.conversations,
                  kind: s.level === 'solid' ? 'met' : 'below',
                  note: `${s.conversations} · ${s.level}`,
                  describe: `${s.study}: ${s.conversations} conversations, ${s.level}`,
                  link: { href: drill({ study: s.study, window: 'all' }), count: s.conversations },
                })),
                max: solid,
                thresholds: [
                  { value: emerging, label: `${emerging} emerging` },
                  { value: solid, label: `${solid} solid` },
                ],
              }),
              legend: [
                { mark: 'met', text: `solid (${solid} or more)` },
                { mark: 'below', text: `not yet solid` },
              ],
              data: null, // the Studies table under the chart is its data
            },
          ];
    },
    data: ({ metrics }) => metrics.studies,
  },
  {
    name: 'follow-ups',
    path: '/follow-ups',
    title: 'Follow-ups',
    view: 'pages/follow-ups',
    tables: ['follow-ups', 'follow-ups-by-pm'],
    charts: () => [],
    data: ({ metrics }) => metrics.followUps,
  },
  {
    name: 'accounts',
    path: '/accounts',
    title: 'Accounts',
    view: 'pages/accounts',
    tables: ['over-contacted', 'top-accounts'],
    charts: ({ metrics, targets, drill }) =>
      metrics.accounts.top.length === 0
        ? []
        : [
            {
              html: rowChart({
                id: 'top-accounts',
                title: 'The ten most heard accounts',
                description: `Conversations with each of the ten most heard accounts in the last ${metrics.window.days} days; together ${format.percent(metrics.accounts.topShare)} of all.`,
                rows: metrics.accounts.top.map((a) => ({
                  label: a.account,
                  value: a.conversations,
                  kind: metrics.accounts.overContacted.some((o) => o.account === a.account) ? 'below' : 'neutral',
                  note: `${a.conversations} · ${a.pms} PM${a.pms === 1 ? '' : 's'}`,
                  describe: `${a.account}: ${a.conversations} conversations by ${a.pms} PMs`,
                  link: { href: drill({ account: a.account }), count: a.conversations },
                })),
                max: 0,
                thresholds: [{ value: targets.maxTouchesPerAccount, label: `limit ${targets.maxTouchesPerAccount}` }],
              }),
              legend: [
                ...(metrics.accounts.top.some((a) => !metrics.accounts.overContacted.some((o) => o.account === a.account))
                  ? [{ mark: 'neutral', text: 'conversations' }]
                  : []),
                { mark: 'below', text: `over the limit of ${targets.maxTouchesPerAccount} in ${metrics.window.days} days (dashed line)` },
              ],
              data: 'top-accounts',
            },
          ],
    data: ({ metrics }) => metrics.accounts,
  },
  {
    name: 'themes',
    path: '/themes',
    title: 'Themes',
    view: 'pages/themes',
    tables: ['themes', 'themes-by-segment'],
    charts: ({ metrics, drill }) =>
      metrics.themes.tags.length === 0
        ? []
        : [
            {
              html: rowChart({
                id: 'themes',
                title: 'Tags heard now, against the window before',
                description: `Conversations per tag from ${metrics.themes.window.from} to ${metrics.themes.window.to}; a tick marks the count in the ${metrics.window.days} days before.`,
                rows: metrics.themes.tags.slice(0, 15).map((t) => ({
                  label: t.tag,
                  value: t.current,
                  marker: t.previous,
                  // Rising and falling are news, not a target met or missed: a neutral pair.
                  kind: t.change > 0 ? 'rise' : t.change < 0 ? 'fall' : 'neutral',
                  note: `${t.current} (${t.change > 0 ? '+' : ''}${t.change})`,
                  describe: `${t.tag}: ${t.current} now, ${t.previous} before`,
                  link: { href: drill({ tag: t.tag }), count: t.current },
                })),
                max: 0,
              }),
              legend: [
                { mark: 'rise', text: 'heard more' },
                { mark: 'fall', text: 'heard less' },
                { mark: 'neutral', text: 'as often' },
                { mark: 'tick', text: 'the window before' },
              ],
              data: null, // the Tags table under the chart is its data
            },
          ],
    data: ({ metrics }) => metrics.themes,
  },
  {
    name: 'data-quality',
    path: '/data-quality',
    title: 'Data quality',
    view: 'pages/data-quality',
    tables: ['findings'],
    charts: () => [],
    data: ({ metrics }) => metrics.findings,
  },
  {
    name: 'sync',
    path: '/sync',
    title: 'Sync',
    view: 'pages/sync',
    tables: ['sources', 'runs'],
    charts: () => [],
    data: ({ sourceStatus, runs }) => ({ sources: sourceStatus(), runs: runs() }),
  },
];
