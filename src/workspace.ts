import type { Config } from './config/schema.js';
import type { Finding } from './model/finding.js';
import type { Store, RunLog } from './store/store.js';
import type { SyncReport } from './sync/run.js';
import { computeMetrics, todayIn, TRACKED_FIELDS, type Metrics, type Tracking } from './metrics/index.js';

/** What a metrics view may vary: the as-of date, the team and the window. */
export interface MetricsQuery {
  asOf?: string;
  team?: string | null;
  windowDays?: number;
}

const CACHE_SIZE = 16;

/** A config and its store, with metrics computed once per data version and query. */
export class Workspace {
  private readonly cache = new Map<string, Metrics>();
  private cacheVersion = -1;

  constructor(
    readonly config: Config,
    readonly store: Store,
    readonly options: { demo: boolean; now?: () => Date } = { demo: false },
  ) {}

  /** The pinned `asOf` from config, else today in the team's zone. */
  asOf(): string {
    return this.config.asOf ?? todayIn((this.options.now ?? (() => new Date()))(), this.config.timezone);
  }

  /** Teams on the roster, sorted. */
  teams(): string[] {
    return [...new Set(this.config.roster.map((p) => p.team).filter((t): t is string => t !== null))].sort();
  }

  /** Metrics for a query; recomputed only when the store changed (or the query is new). */
  metrics(query: MetricsQuery = {}): Metrics {
    const version = this.store.dataVersion();
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    const asOf = query.asOf ?? this.asOf();
    const key = `${asOf}|${query.team ?? ''}|${query.windowDays ?? ''}`;
    let metrics = this.cache.get(key);
    if (!metrics) {
      metrics = computeMetrics({
        interviews: this.store.interviews(),
        roster: this.config.roster,
        targets: this.config.targets,
        timezone: this.config.timezone,
        asOf,
        team: query.team ?? null,
        windowDays: query.windowDays,
        tracking: trackingOf(this.config),
        findings: this.store.findings(),
      });
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, metrics);
    }
    return metrics;
  }

  findings(): Finding[] {
    return this.store.findings();
  }

  runs(limit = 20): Array<RunLog<SyncReport>> {
    return this.store.runs<SyncReport>(limit);
  }
}

/** The tracked fields each configured source maps: a rate or gap over an unmapped field is "not tracked". */
export function trackingOf(config: Config): Tracking {
  return Object.fromEntries(config.sources.map((source) => [source.name, TRACKED_FIELDS.filter((field) => source.mapping[field] !== undefined)]));
}
