import { openContext } from '../context.js';
import { renderTable } from '../table.js';
import type { Metrics } from '../../metrics/index.js';
import { format } from '../../format.js';

interface MetricsFlags {
  config: string;
  asOf?: string;
  json?: boolean;
}

const WEEKS_SHOWN = 6;

/** `touchpoint metrics`: the cadence table, or the whole document with --json. */
export async function run(flags: MetricsFlags): Promise<void> {
  const { workspace } = openContext(flags.config);
  try {
    const metrics = workspace.metrics(flags.asOf ?? workspace.asOf());
    console.log(flags.json ? JSON.stringify(metrics, null, 2) : renderCadence(metrics));
  } finally {
    workspace.store.close();
  }
}

/** People × the last weeks' hours, with status, streak and last conversation. */
export function renderCadence(metrics: Metrics): string {
  const c = metrics.cadence;
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
    `Cadence as of ${metrics.asOf} (${metrics.timezone}); target ${c.target} ${unit} a week; ${c.currentWeek} is in progress.`,
    '',
    renderTable(['person', 'role', 'team', ...weeks.map((w) => w.slice(5)), 'status', 'streak', 'met', 'last'], rows),
    '',
    `PMs on target in ${c.lastCompleteWeek}: ${t.met} of ${t.of}. Talked to a customer in the last 30 days: ${c.team.talkedLast30Days.count} of ${c.team.talkedLast30Days.of}.`,
  ].join('\n');
}
