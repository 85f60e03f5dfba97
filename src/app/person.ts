import type { MetricsQuery, Workspace } from './workspace.js';
import { personConversations, rosterNames } from '../metrics/lists.js';

/** How many conversations a person page lists. */
export const RECENT_CONVERSATIONS = 20;

/** One roster person under a query: their cadence, quality, promises and latest conversations; null when not on the roster. */
export function personView(workspace: Workspace, email: string, query: MetricsQuery) {
  const key = email.toLowerCase();
  const metrics = workspace.metrics(query);
  const person = metrics.cadence.people.find((p) => p.email === key) ?? null;
  if (!person) return null;
  const config = workspace.config;
  const recent = personConversations(workspace.interviews(query.source ?? null), {
    targets: config.targets,
    timezone: config.timezone,
    asOf: metrics.asOf,
    key,
    limit: RECENT_CONVERSATIONS,
    names: rosterNames(config.roster),
  });
  return {
    metrics,
    person,
    recent,
    followUps: metrics.followUps.items.filter((i) => i.owners.some((o) => o.key === key)),
    quality: metrics.quality.people.find((p) => p.email === key) ?? null,
  };
}

export type PersonView = NonNullable<ReturnType<typeof personView>>;
