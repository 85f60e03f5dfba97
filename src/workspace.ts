import type { Config } from './config/schema.js';
import type { Finding } from './model/finding.js';
import type { Store, RunLog } from './store/store.js';
import type { SyncReport } from './sync/run.js';
import { computeMetrics, todayIn, type Metrics } from './metrics/index.js';

/** A config and its store, with metrics computed once per data version and as-of date. */
export class Workspace {
  private cached: { key: string; metrics: Metrics } | null = null;

  constructor(
    readonly config: Config,
    readonly store: Store,
    readonly options: { demo: boolean; now?: () => Date } = { demo: false },
  ) {}

  /** The pinned `asOf` from config, else today in the team's zone. */
  asOf(): string {
    return this.config.asOf ?? todayIn((this.options.now ?? (() => new Date()))(), this.config.timezone);
  }

  /** Metrics as of a date (default `asOf()`); recomputed only when the store changed. */
  metrics(asOf = this.asOf()): Metrics {
    const key = `${this.store.dataVersion()}|${asOf}`;
    if (this.cached?.key !== key) {
      const metrics = computeMetrics({
        interviews: this.store.interviews(),
        roster: this.config.roster,
        targets: this.config.targets,
        timezone: this.config.timezone,
        asOf,
      });
      this.cached = { key, metrics };
    }
    return this.cached.metrics;
  }

  findings(): Finding[] {
    return this.store.findings();
  }

  runs(limit = 20): Array<RunLog<SyncReport>> {
    return this.store.runs<SyncReport>(limit);
  }
}
