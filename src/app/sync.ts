import type { Config } from '../config/schema.js';
import type { Store } from '../store/store.js';
import { createSource, type SourceDeps } from '../sources/create.js';
import type { RequestLogEntry, Source } from '../sources/source.js';
import { TouchpointError } from '../errors.js';
import { acquireSyncLock } from './lock.js';
import { syncSource, type SyncOutcome } from '../sync/run.js';

export interface SyncAllOptions {
  /** Secrets and clock for the adapters; none needed for CSV sources. */
  deps?: SourceDeps;
  /** Only the source with this name. */
  only?: string;
  full?: boolean;
  force?: boolean;
  now?: () => Date;
  /** How long to wait for another sync on the same store before giving up (ms). */
  lockWaitMs?: number;
  /** Called before each source with a progress callback for it. */
  onSource?: (name: string) => ((read: number, total: number | null) => void) | undefined;
}

/** One source's result: an outcome, or the error that stopped it (the others still run); and every request it sent. */
export type SourceResult = ({ source: string; outcome: SyncOutcome; error?: undefined } | { source: string; error: Error; outcome?: undefined }) & {
  requests: readonly RequestLogEntry[];
};

/** Sync every configured source in turn; a failing source does not stop the others. */
export async function syncAll(config: Config, store: Store, options: SyncAllOptions = {}): Promise<SourceResult[]> {
  const sources = config.sources.filter((s) => options.only === undefined || s.name === options.only);
  if (sources.length === 0) {
    throw new TouchpointError(
      'config_invalid',
      options.only === undefined
        ? 'No sources are configured. Add one under `sources:` in the config (see README "Configuration").'
        : `No source named "${options.only}". Configured: ${config.sources.map((s) => s.name).join(', ') || 'none'}.`,
    );
  }
  // A sync never writes into a store that fails its check: the damage would be hidden, not fixed.
  const problems = store.check();
  if (problems.length > 0 && problems.some((p) => !/does not parse/.test(p))) {
    throw new TouchpointError(
      'store_damaged',
      `The store at ${store.path} is damaged (${problems.join('; ')}): restore a backup, or delete it and run \`touchpoint sync --full\`. Nothing was written.`,
    );
  }
  const lock = await acquireSyncLock(store.path, options.lockWaitMs ?? config.sync.lockWaitSeconds * 1000);
  try {
    return await syncEach(config, store, sources, options);
  } finally {
    lock.release();
  }
}

async function syncEach(config: Config, store: Store, sources: Config['sources'], options: SyncAllOptions): Promise<SourceResult[]> {
  const results: SourceResult[] = [];
  for (const sourceConfig of sources) {
    let source: Source | null = null;
    try {
      source = createSource(sourceConfig, config, options.deps ?? { secrets: { notionToken: null, airtableToken: null } });
      const outcome = await syncSource(source, store, {
        full: options.full,
        force: options.force,
        maxDeleteShare: config.sync.maxDeleteShare,
        now: options.now,
        onProgress: options.onSource?.(sourceConfig.name),
      });
      results.push({ source: sourceConfig.name, outcome, requests: source.requestLog() });
    } catch (error) {
      results.push({ source: sourceConfig.name, error: error instanceof Error ? error : new Error(String(error)), requests: source?.requestLog() ?? [] });
    }
  }
  return results;
}
