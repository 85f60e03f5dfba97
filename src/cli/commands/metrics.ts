import { print } from '../output.js';
import { openWorkspace, TouchpointError, type Metrics } from '../../index.js';
import { renderTable } from '../table.js';
import { flagSentence, findingSentence } from '../../present/sentences.js';
import { format } from '../../present/format.js';

import { AREAS, type Area } from '../areas.js';

interface MetricsFlags {
  config: string;
  asOf?: string;
  json?: boolean;
  area?: Area;
  window?: number;
  team?: string;
}

const WEEKS_SHOWN = 6;
const ROWS_SHOWN = 15;

/** `touchpoint metrics`: readable tables per area, or the whole document with --json. */
export async function run(flags: MetricsFlags): Promise<void> {
  const { workspace } = openWorkspace(flags.config);
  try {
    if (flags.team !== undefined && !workspace.teams().includes(flags.team)) {
      throw new TouchpointError(
        'usage',
        `No team "${flags.team}" on the roster. Teams: ${workspace.teams().join(', ') || 'none (set team: on roster entries)'}.`,
      );
    }
    const metrics = workspace.metrics({ asOf: flags.asOf, team: flags.team ?? null, windowDays: flags.window });
    print(flags.json ? JSON.stringify(metrics, null, 2) : renderAreas(metrics, flags.area ? [flags.area] : AREAS));
  } finally {
    workspace.store.close();
  }
}

/** The chosen areas as titled terminal tables. */
export function renderAreas(metrics: Metrics, areas: readonly Area[]): string {
  const scope = `${metrics.team ? `team ${metrics.team}, ` : ''}as of ${metrics.asOf} (${metrics.timezone})`;
  const window = `last ${metrics.window.days} days (${metrics.window.from} – ${metrics.window.to})`;
  const parts: string[] = [];
  for (const area of areas) parts.push(RENDER[area](metrics, { scope, window }));
  return parts.join('\n\n');
}

const pct = (share: number | null) => format.percent(share);
const rate = format.rate;
const more = (n: number) => (n > ROWS_SHOWN ? `\n… ${n - ROWS_SHOWN} more (see --json)` : '');

const RENDER: Record<Area, (m: Metrics, ctx: { scope: string; window: string }) => string> = {
  cadence(m, { scope }) {
    const c = m.cadence;
    const weeks = c.weeks.slice(-WEEKS_SHOWN);
    const unit = c.measure === 'hours' ? 'h' : 'conversations';
    const rows = c.people.map((p) => [
      p.name,
      p.role,
      p.team ?? '',
      ...p.weeks.slice(-WEEKS_SHOWN).map((w) => (c.measure === 'hours' ? w.hours : w.conversations)),
      p.status.replace('_', ' '),
      p.streak,
      `${p.weeksMet}/${p.weeksActive}`,
      format.daysAgo(p.daysSinceLast),
    ]);
    const t = c.team.onTargetLastWeek;
    return [
      `CADENCE — ${scope}; target ${c.target} ${unit} a week; ${c.currentWeek} is in progress.`,
      renderTable(['person', 'role', 'team', ...weeks.map((w) => w.slice(5)), 'status', 'streak', 'met', 'last'], rows),
      `PMs on target in ${c.lastCompleteWeek}: ${t.met} of ${t.of}. Talked to a customer in the last 30 days: ${c.team.talkedLast30Days.count} of ${c.team.talkedLast30Days.of}.`,
    ].join('\n');
  },
  coverage(m, { window }) {
    const c = m.coverage;
    const table = (title: string, rows: typeof c.bySegment) =>
      renderTable(
        [title, 'conversations', 'accounts', 'share', 'target', 'gap'],
        rows.map((r) => [r.key, r.conversations, r.accounts, pct(r.share), r.target === undefined ? '' : pct(r.target), format.gap(r.gap)]),
      );
    return [
      `COVERAGE — ${c.conversations} conversations, ${window}`,
      table('segment', c.bySegment),
      '',
      table('status', c.byStatus),
      '',
      table('tier', c.byTier),
      ...(c.flags.length ? ['', 'Gaps:', ...c.flags.map((f) => `  - ${flagSentence(f)}`)] : ['', 'Gaps: none.']),
    ].join('\n');
  },
  studies(m) {
    if (m.studies.length === 0) return 'STUDIES — no conversation names a study.';
    return [
      'STUDIES — evidence so far (anecdotal < 10 ≤ emerging < 20 ≤ solid)',
      renderTable(
        ['study', 'conversations', 'accounts', 'segments', 'evidence', 'to next level'],
        m.studies.map((s) => [s.study, s.conversations, s.accounts, s.segments.length, s.level, s.toNextLevel ?? '—']),
      ),
    ].join('\n');
  },
  quality(m, { window }) {
    const rows = [['Team', m.quality.team], ...m.quality.people.map((p) => [p.name, p] as const)] as const;
    return [
      `PRACTICE QUALITY — ${window}`,
      renderTable(
        ['who', 'conversations', 'trio', 'debriefed', 'tl;dr', 'on-site', 'learning vs sales'],
        rows.map(([who, r]) => [who, r.conversations, rate(r.trio), rate(r.debrief), rate(r.tldr), rate(r.onsite), rate(r.learningVsSales)]),
      ),
    ].join('\n');
  },
  followups(m) {
    const f = m.followUps;
    if (f.open === 0) return 'FOLLOW-UPS — no open promises.';
    return [
      `FOLLOW-UPS — ${f.open} open, ${f.overdue} overdue (oldest first)`,
      renderTable(
        ['due', 'overdue', 'interview', 'account', 'owner'],
        f.items
          .slice(0, ROWS_SHOWN)
          .map((i) => [i.due, i.overdue ? `${i.daysOverdue} d` : '', i.title, i.account ?? '', i.owners.map((o) => o.name ?? o.key).join(', ')]),
      ) + more(f.items.length),
    ].join('\n');
  },
  accounts(m, { window }) {
    const a = m.accounts;
    return [
      `ACCOUNTS — ${a.accounts} heard from, ${window}; the top 10 had ${pct(a.topShare)} of conversations`,
      a.overContacted.length === 0
        ? 'Over-contacted: none.'
        : `Over-contacted:\n${renderTable(
            ['account', 'conversations', 'PMs', 'last'],
            a.overContacted.slice(0, ROWS_SHOWN).map((r) => [r.account, r.conversations, r.pms, r.last]),
          )}${more(a.overContacted.length)}`,
    ].join('\n');
  },
  themes(m) {
    const t = m.themes;
    if (t.tags.length === 0) return 'THEMES — no tags in this or the previous window.';
    return [
      `THEMES — ${t.window.from} – ${t.window.to} against ${t.previous.from} – ${t.previous.to}`,
      renderTable(
        ['tag', 'now', 'before', 'change'],
        t.tags.slice(0, ROWS_SHOWN).map((r) => [r.tag, r.current, r.previous, `${r.change > 0 ? '+' : ''}${r.change}`]),
      ) + more(t.tags.length),
    ].join('\n');
  },
  findings(m) {
    const f = m.findings;
    if (f.total === 0) return 'FINDINGS — every row could be read.';
    return [
      `FINDINGS — ${f.total}, ${f.excluded} row${f.excluded === 1 ? '' : 's'} not counted`,
      ...f.items.slice(0, ROWS_SHOWN).map((i) => `  ${i.source} ${i.row !== null ? `line ${i.row}` : i.recordId || 'source'}: ${findingSentence(i)}`),
      ...(f.total > ROWS_SHOWN ? [`  … ${f.total - ROWS_SHOWN} more (see --json)`] : []),
    ].join('\n');
  },
};
