import type { Request, Response } from 'express';
import type { Workspace } from '../../workspace.js';
import { formatFinding } from '../../model/finding.js';

/** The team filter from the query string, if it names a team on the roster. */
function teamFilter(req: Request, workspace: Workspace): string | null {
  const team = req.query['team'];
  return typeof team === 'string' && workspace.config.roster.some((p) => p.team === team) ? team : null;
}

function model(req: Request, workspace: Workspace) {
  const team = teamFilter(req, workspace);
  const metrics = workspace.metrics({ team });
  const people = metrics.cadence.people.filter((p) => p.role === 'pm');
  return { metrics, team, teams: workspace.teams(), people, findings: workspace.findings() };
}

/** GET / — cadence this week, the PM × week grid, and what could not be counted. */
export function show(workspace: Workspace) {
  return (req: Request, res: Response) => {
    const { metrics, team, teams, people, findings } = model(req, workspace);
    const grouped = new Map<string, typeof people>();
    for (const person of people) {
      const key = person.team ?? 'No team';
      grouped.set(key, [...(grouped.get(key) ?? []), person]);
    }
    res.render('pages/overview', {
      title: 'Overview',
      metrics,
      cadence: metrics.cadence,
      team,
      teams,
      groups: [...grouped].sort(([a], [b]) => a.localeCompare(b)),
      findings: findings.slice(0, 50).map((f) => ({ ...f, sentence: formatFinding(f) })),
      findingCount: findings.length,
      runs: workspace.runs(5),
    });
  };
}

/** GET /api/v1/overview — the same data as JSON. */
export function json(workspace: Workspace) {
  return (req: Request, res: Response) => {
    const { metrics, team, people, findings } = model(req, workspace);
    res.json({
      asOf: metrics.asOf,
      timezone: metrics.timezone,
      team,
      weeks: metrics.cadence.weeks,
      onTargetLastWeek: metrics.cadence.team.onTargetLastWeek,
      talkedLast30Days: metrics.cadence.team.talkedLast30Days,
      people,
      findings: findings.length,
    });
  };
}
