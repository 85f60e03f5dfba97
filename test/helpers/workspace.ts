import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { Finding } from '../../src/model/finding.js';
import type { Interview } from '../../src/model/interview.js';
import { Store } from '../../src/store/store.js';
import { Workspace } from '../../src/app/workspace.js';

/** Commit interviews (and findings) into a store as one sync run of source `notes`. */
export function seed(store: Store, interviews: readonly Interview[], findings: readonly Finding[] = []): void {
  store.commitRun({
    source: 'notes',
    startedAt: '2026-04-01T08:00:00.000Z',
    finishedAt: '2026-04-01T08:00:01.000Z',
    upserts: interviews.map((i) => ({ interview: i, hash: i.id })),
    deletes: [],
    findings: { replace: 'all', items: findings },
    state: { bookmark: null, lastFullAt: null, memo: null },
    report: {},
  });
}

/** A workspace over a store (in memory unless a path is given) holding `interviews`. */
export function workspaceWith(options: { config?: ConfigInput; interviews?: Interview[]; findings?: Finding[]; store?: Store } = {}): Workspace {
  const config = parseConfig({ timezone: 'Europe/Berlin', ...options.config });
  const store = options.store ?? Store.open(':memory:');
  if (options.interviews) seed(store, options.interviews, options.findings);
  return new Workspace(config, store);
}
