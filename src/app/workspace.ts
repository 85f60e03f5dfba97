import type { Config } from '../config/schema.js';
import type { RedactTerms } from './redact.js';
import { previousOccurrence } from './scheduler.js';
import type { Finding } from '../model/finding.js';
import type { Interview } from '../model/interview.js';
import type { Store, RunLog } from '../store/store.js';
import type { SyncReport } from '../sync/run.js';
import { computeMetrics, todayIn, TRACKED_FIELDS, type Metrics, type Tracking } from '../metrics/index.js';

/** What a metrics view may vary: the as-of date, the team and the window. */
export interface MetricsQuery {
  asOf?: string;
  team?: string | null;
  windowDays?: number;
  /** Only this configured source's interviews and findings. */
  source?: string | null;
}

const CACHE_SIZE = 16;

/** A config and its store, with metrics computed once per data version and query. */
export class Workspace {
  private readonly cache = new Map<string, Metrics>();
  private cacheVersion = -1;
  private loaded: { interviews: Interview[]; findings: Finding[] } | null = null;
  private terms: RedactTerms | null = null;

  private current: Config;
  /** Why the last edit of the config file was not applied, or null. */
  configProblem: string | null = null;

  constructor(
    config: Config,
    readonly store: Store,
    readonly options: { demo: boolean; now?: () => Date } = { demo: false },
  ) {
    this.current = config;
  }

  /** The config in force: the last good one read. */
  get config(): Config {
    return this.current;
  }

  /**
   * Apply an edited config: roster, targets, zone, mapping and digests take effect on the next
   * page, with no sync (metrics recompute). `problem` keeps the config in force and says why.
   */
  reconfigure(next: { config: Config } | { problem: string }): void {
    if ('problem' in next) {
      this.configProblem = next.problem;
      return;
    }
    this.current = next.config;
    this.configProblem = null;
    this.cache.clear();
  }

  /** The pinned `asOf` from config, else today in the team's zone. */
  asOf(): string {
    return this.config.asOf ?? todayIn((this.options.now ?? (() => new Date()))(), this.config.timezone);
  }

  /** Teams on the roster, sorted. */
  teams(): string[] {
    return [...new Set(this.config.roster.map((p) => p.team).filter((t): t is string => t !== null))].sort();
  }

  /** The store's live interviews and findings, read once per data version. */
  private data(): { interviews: Interview[]; findings: Finding[] } {
    const version = this.store.dataVersion();
    if (version !== this.cacheVersion || !this.loaded) {
      this.cache.clear();
      this.terms = null;
      this.cacheVersion = version;
      this.loaded = { interviews: this.store.interviews(), findings: this.store.findings() };
    }
    return this.loaded;
  }

  /** Live interviews, optionally of one source. */
  interviews(source: string | null = null): Interview[] {
    const all = this.data().interviews;
    return source === null ? all : all.filter((i) => i.source.name === source);
  }

  /** Metrics for a query; recomputed only when the store changed (or the query is new). */
  metrics(query: MetricsQuery = {}): Metrics {
    const data = this.data();
    const asOf = query.asOf ?? this.asOf();
    const source = query.source ?? null;
    const key = `${asOf}|${query.team ?? ''}|${query.windowDays ?? ''}|${source ?? ''}`;
    let metrics = this.cache.get(key);
    if (!metrics) {
      metrics = computeMetrics({
        interviews: this.interviews(source),
        roster: this.config.roster,
        targets: this.config.targets,
        timezone: this.config.timezone,
        asOf,
        team: query.team ?? null,
        windowDays: query.windowDays,
        tracking: trackingOf(this.config),
        findings: source === null ? data.findings : data.findings.filter((f) => f.source === source),
      });
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, metrics);
    }
    return metrics;
  }

  findings(source: string | null = null): Finding[] {
    const all = this.data().findings;
    return source === null ? all : all.filter((f) => f.source === source);
  }

  runs(limit = 20): Array<RunLog<SyncReport>> {
    return this.store.runs<SyncReport>(limit);
  }

  /** Every participant name and e-mail and every account in the store, to keep them out of broadcasts. */
  redactTerms(): RedactTerms {
    const data = this.data();
    if (!this.terms) {
      const names = new Set<string>();
      const emails = new Set<string>();
      const accounts = new Set<string>();
      for (const i of data.interviews) {
        if (i.participant.name) names.add(i.participant.name);
        if (i.participant.email) emails.add(i.participant.email);
        if (i.account) accounts.add(i.account);
      }
      this.terms = { names: [...names], emails: [...emails], accounts: [...accounts] };
    }
    return this.terms;
  }

  /**
   * How fresh the data is: when the sources were last read, and whether the oldest good read is
   * older than the limit (`sync.staleAfterHours`, else twice the `sync.schedule` interval, else 48 h).
   */
  freshness(now: Date = (this.options.now ?? (() => new Date()))()): Freshness {
    const good = this.store.lastGoodRuns();
    const names = this.config.sources.map((s) => s.name);
    const read = names.flatMap((n) => (good.has(n) ? [good.get(n)!] : [])).sort();
    const limitHours = this.config.sync.staleAfterHours ?? scheduleHours(this.config.sync.schedule, this.config.timezone, now) ?? 48;
    const oldest = read[0] ?? null;
    return {
      sources: names.length,
      lastRead: read[read.length - 1] ?? null,
      neverRead: names.filter((n) => !good.has(n)),
      minutesAgo: read.length ? Math.max(0, Math.round((now.getTime() - Date.parse(read[read.length - 1]!)) / 60_000)) : null,
      stale: oldest !== null && now.getTime() - Date.parse(oldest) > limitHours * 3600_000,
      limitHours,
    };
  }

  /** Changes with every committed sync (SQLite's data_version). */
  dataVersion(): number {
    return this.store.dataVersion();
  }

  /** The digests sent (or tried), newest first. */
  digestLog(limit: number): ReturnType<Store['digestLog']> {
    return this.store.digestLog(limit);
  }

  /** Each configured source with its live interviews and sync state. */
  sourceStatus(): Array<{ name: string; kind: string; interviews: number; bookmark: string | null; lastFullAt: string | null }> {
    return this.config.sources.map((s) => {
      const state = this.store.syncState(s.name);
      return { name: s.name, kind: s.kind, interviews: this.interviews(s.name).length, bookmark: state.bookmark, lastFullAt: state.lastFullAt };
    });
  }
}

/** The tracked fields each configured source maps: a rate or gap over an unmapped field is "not tracked". */
export function trackingOf(config: Config): Tracking {
  return Object.fromEntries(config.sources.map((source) => [source.name, TRACKED_FIELDS.filter((field) => source.mapping[field] !== undefined)]));
}

/** What the dashboard says about the age of its data. */
export interface Freshness {
  sources: number;
  /** The latest good read of any source (UTC ISO), or null before the first sync. */
  lastRead: string | null;
  /** Minutes since `lastRead`. */
  minutesAgo: number | null;
  /** Sources never read successfully. */
  neverRead: string[];
  /** Whether the oldest good read is older than `limitHours`. */
  stale: boolean;
  limitHours: number;
}

/** Twice the interval of a cron schedule, in hours (two consecutive slots before `now`); null without one. */
function scheduleHours(schedule: string | undefined, timezone: string, now: Date): number | null {
  if (!schedule) return null;
  const week = 8 * 24 * 3600_000;
  const last = previousOccurrence(schedule, timezone, now, week);
  const before = last ? previousOccurrence(schedule, timezone, new Date(last.getTime() - 60_000), week) : null;
  return last && before ? (2 * (last.getTime() - before.getTime())) / 3600_000 : null;
}
