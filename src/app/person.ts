import type { MetricsQuery, Workspace } from './workspace.js';

export { RECENT_CONVERSATIONS } from './views.js';

/** One roster person under a query: their cadence, quality, promises and latest conversations; null when not on the roster. */
export function personView(workspace: Workspace, email: string, query: MetricsQuery) {
  const key = email.toLowerCase();
  const metrics = workspace.metrics(query);
  const person = metrics.cadence.people.find((p) => p.email === key) ?? null;
  if (!person) return null;
  return {
    metrics,
    person,
    recent: workspace.recentConversations(key, query),
    followUps: metrics.followUps.items.filter((i) => i.owners.some((o) => o.key === key)),
    quality: metrics.quality.people.find((p) => p.email === key) ?? null,
  };
}

export type PersonView = NonNullable<ReturnType<typeof personView>>;
