import type { Config } from '../config/schema.js';
import { previousOccurrence } from './scheduler.js';
import type { Finding } from '../model/finding.js';
import type { Interview } from '../model/interview.js';
import type { Store, RunLog } from '../store/store.js';
import type { SyncReport } from '../sync/run.js';
import { summariseFindings, todayIn, type FindingsResult, type Metrics } from '../metrics/index.js';
import { MetricsEngine, type EngineMetrics } from './metrics-engine.js';
import { firstViewKey, firstViewPath, keptFirstViewKey, readFirstView, writeFirstView } from './first-view.js';
import { listOf, metricsOf, queryKey, type ListSpec, type ListValue, type Loaded, type ResolvedQuery } from './views.js';

export { trackingOf } from './views.js';

/** What a metrics view may vary: the as-of date, the team and the window. */
export interface MetricsQuery {
  asOf?: string;
  team?: string | null;
  windowDays?: number;
  /** Only this configured source's interviews and findings. */
  source?: string | null;
}

/** Metrics documents kept: every filter-bar combination of a large team (teams × windows × sources). */
const CACHE_SIZE = 64;
/** Lists kept (a person's, the rows behind a count: one per list and filter). */
const LIST_CACHE_SIZE = 256;
/** Interviews per page of an export (about 20 ms of the event loop each at 100 000). */
const EXPORT_PAGE_SIZE = 2000;
/** Open-promise lists kept: one per team, as-of date and source of the views kept. */
const PROMISE_LISTS = 32;

/** A cached view and what it was computed from: a newer data version or config makes it stale. */
interface Cached<T> {
  version: number;
  generation: number;
  value: T;
  /** Offloaded metrics with the main thread's findings put back, and which findings those were. */
  merged?: { findings: Finding[]; value: T };
}

/**
 * A config and its store, with metrics computed once per data version and query. Inline (CLI,
 * tests) a view is computed on the spot; offloaded (`serve`), views are computed in a worker
 * thread (`prepare`) and a stale one keeps serving while the new one is computed.
 */
export class Workspace {
  private readonly cache = new Map<string, Cached<Metrics>>();
  private readonly listCache = new Map<string, Cached<unknown>>();
  private readonly computing = new Map<string, Promise<void>>();
  /** Open promises per content and `share` (metrics-engine.ts), one list for every window of a team and every version that has them. */
  private readonly promises = new Map<string, Metrics['followUps']['items']>();
  private loaded: Loaded | null = null;
  private findingsLoaded: { version: number; findings: Finding[] } | null = null;
  private findingsCounted: { findings: Finding[]; bySource: Map<string | null, FindingsResult> } | null = null;
  private engine: MetricsEngine | null = null;
  private warmQueries: (() => MetricsQuery[]) | null = null;
  private warmedFor: { version: number; generation: number } | null = null;
  private turnVersion: number | null = null;
  private goodRuns: { version: number; runs: ReturnType<Store['lastGoodRuns']> } | null = null;
  /** Bumped by every applied config edit: views computed under an older config are stale. */
  private generation = 0;
  /** Keys of views for first-view.ts, per config generation. */
  private firstKey: { generation: number; build: string; keys: Map<string, string> } | null = null;

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
    this.generation += 1;
  }

  /**
   * Compute views in a worker thread from now on (`touchpoint serve`); false when it cannot: a
   * store in memory (the demo) or no compiled worker (running from the TypeScript sources).
   */
  offload(options: { warm?: () => MetricsQuery[] } = {}): boolean {
    if (this.store.path === ':memory:' || !MetricsEngine.available()) return false;
    this.engine ??= new MetricsEngine(this.store.path);
    this.warmQueries = options.warm ?? null;
    this.readFirstView();
    return true;
  }

  /** The default view as the worker kept it for this config (first-view.ts): the first page then waits for no row. */
  private readFirstView(): void {
    const q = this.resolve({});
    let version: number;
    try {
      version = this.store.dataVersion();
    } catch {
      return; // a damaged store: said by the first page
    }
    const kept = readFirstView(firstViewPath(this.store.path), version, this.firstViewKey(q));
    // Of an older version: served as a stale view is, while `prepare` computes the current one.
    if (kept) remember(this.cache, queryKey(q), { version: kept.version, generation: this.generation, value: kept.metrics }, CACHE_SIZE);
  }

  /**
   * After a sync (the CLI's): keep the default view for `serve` if none is kept for this build and
   * config, so that even its very first start answers at once. It reads every row, once: later
   * syncs leave the kept view to `serve`, which refreshes it (a view of an older data version
   * serves as a stale one does). Returns whether it wrote one; never throws (a cache: what it cannot
   * do, `serve` does, and a damaged store is said by the next command that reads it).
   */
  keepFirstView(): boolean {
    if (this.store.path === ':memory:' || this.engine) return false;
    try {
      const q = this.resolve({});
      const key = this.firstViewKey(q);
      const path = firstViewPath(this.store.path);
      if (keptFirstViewKey(path) === key) return false;
      const version = this.version();
      const metrics = this.metrics(q);
      writeFirstView(path, { key, version, metrics: { ...metrics, findings: { ...metrics.findings, items: [] } } });
      return true;
    } catch {
      return false;
    }
  }

  /** A view's key for first-view.ts, memoised per config generation (it hashes the config). */
  private firstViewKey(q: ResolvedQuery): string {
    if (this.firstKey?.generation !== this.generation) this.firstKey = { generation: this.generation, build: MetricsEngine.build(), keys: new Map() };
    const key = queryKey(q);
    let value = this.firstKey.keys.get(key);
    if (value === undefined) this.firstKey.keys.set(key, (value = firstViewKey(this.config, key, this.firstKey.build)));
    return value;
  }

  /**
   * At start, compute every view the dashboard offers (each team and window of the filter bar)
   * one after another in the worker, so a filter change finds a view ready; after a sync or a
   * config edit, only the default view. The others are still there, stale, and each is
   * refreshed behind the first request for it: recomputing all of them on every version would
   * only make garbage (about 2 MB a view at 100 000 interviews). One at a time: a reader's own
   * request waits behind at most one of them.
   */
  private warm(version: number): void {
    if (!this.warmQueries || (this.warmedFor?.version === version && this.warmedFor.generation === this.generation)) return;
    const first = this.warmedFor === null;
    const mark = { version, generation: this.generation };
    this.warmedFor = mark;
    const queries = first ? this.warmQueries() : this.warmQueries().slice(0, 1);
    void (async () => {
      for (const query of queries) {
        if (this.warmedFor !== mark || !this.engine) return; // a newer version took over
        await this.prepare(query, undefined, false).catch(() => undefined);
      }
    })();
  }

  /**
   * Read what the first page adds to its view while the worker computes it, so that the page
   * does not read it after the view arrives: the findings and their counts (70 ms at 11 000 of
   * them, cold) and the last good runs of the freshness line (17 ms). Never throws: a
   * damaged store is said by the first page.
   */
  readAhead(): void {
    if (!this.engine) return;
    try {
      this.findingsOf(this.liveFindings(), null);
      this.freshness();
    } catch {
      // said by the first request
    }
  }

  /** Whether views are computed in a worker thread (`serve`). */
  offloaded(): boolean {
    return this.engine !== null;
  }

  /** Stop the worker, if one runs. */
  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = null;
  }

  /**
   * Make the views of a query (and a list: a person's, the rows behind a count) ready for the synchronous readers below.
   * Offloaded: a current view returns at once; a stale one returns at once and is refreshed in
   * the worker; a missing one (or, `fresh`, a stale one) is awaited, the event loop free meanwhile.
   * Inline: nothing to do.
   */
  async prepare(query: MetricsQuery = {}, list?: ListSpec, warm = true, fresh = false): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    const q = this.resolve(query);
    // Read afresh (a request's first question); the rest of the turn goes by this answer.
    const version = this.version(true);
    if (warm) this.warm(version);
    const jobs: Array<{ hit: Cached<unknown> | undefined; job: () => Promise<void> }> = [];
    const key = queryKey(q);
    jobs.push({
      hit: this.cache.get(key),
      job: () =>
        this.once(`m|${key}`, async (generation) => {
          const share = `${generation}|${q.asOf}|${q.team ?? ''}|${q.source ?? ''}`;
          // The default view is kept for the next start.
          const persist = key === queryKey(this.resolve({})) ? { path: firstViewPath(this.store.path), key: this.firstViewKey(q) } : undefined;
          const ask = (have: readonly string[]) => engine.run({ kind: 'metrics', config: this.config, query: q, share, have, ...(persist ? { persist } : {}) });
          let reply = await ask([...this.promises.keys()]);
          const held = (reply.value as EngineMetrics).promises;
          // Left out because this thread had them; evicted since (very unlikely): ask again in full.
          if (!held.included && !this.promises.has(held.key)) reply = await ask([]);
          const { version: at } = reply;
          const answer = reply.value as EngineMetrics;
          if (answer.promises.included) {
            // An older version's list of the same views is never asked for again (the worker reads the current data).
            for (const old of this.promises.keys()) if (old.endsWith(`|${share}`) && old !== answer.promises.key) this.promises.delete(old);
            remember(this.promises, answer.promises.key, answer.metrics.followUps.items, PROMISE_LISTS);
          }
          const items = this.promises.get(answer.promises.key)!;
          const metrics = { ...answer.metrics, followUps: { ...answer.metrics.followUps, items } };
          remember(this.cache, key, { version: at, generation, value: metrics }, CACHE_SIZE);
        }),
    });
    if (list) {
      const listKey = listKeyOf(list, q);
      jobs.push({
        hit: this.listCache.get(listKey),
        job: () =>
          this.once(`l|${listKey}`, async (generation) => {
            const { version: at, value } = await engine.run({ kind: 'list', config: this.config, query: q, list });
            remember(this.listCache, listKey, { version: at, generation, value }, LIST_CACHE_SIZE);
          }),
      });
    }
    const waits: Array<Promise<void>> = [];
    for (const { hit, job } of jobs) {
      if (hit && hit.version === version && hit.generation === this.generation) continue;
      const running = job();
      // A stale view serves while the new one is computed; a failure then shows on the next miss.
      // `fresh` (a digest about to be sent) waits for the current data.
      if (hit && !fresh) running.catch(() => undefined);
      else waits.push(running);
    }
    await Promise.all(waits);
  }

  /** One computation per key at a time; later callers share it. */
  private once(key: string, work: (generation: number) => Promise<void>): Promise<void> {
    const running = this.computing.get(key);
    if (running) return running;
    const job = work(this.generation).finally(() => this.computing.delete(key));
    this.computing.set(key, job);
    return job;
  }

  private resolve(query: MetricsQuery): ResolvedQuery {
    return {
      asOf: query.asOf ?? this.asOf(),
      team: query.team ?? null,
      windowDays: query.windowDays ?? this.config.targets.windowDays,
      source: query.source ?? null,
    };
  }

  /** The pinned `asOf` from config, else today in the team's zone. */
  asOf(): string {
    return this.config.asOf ?? todayIn((this.options.now ?? (() => new Date()))(), this.config.timezone);
  }

  /** Teams on the roster, sorted. */
  teams(): string[] {
    return [...new Set(this.config.roster.map((p) => p.team).filter((t): t is string => t !== null))].sort();
  }

  /** The store's live interviews and findings, read once per data version (inline views, exports, digests). */
  private data(): Loaded {
    const version = this.version();
    if (!this.loaded || this.loaded.version !== version) {
      this.loaded = null; // one copy at a time
      this.loaded = { version, interviews: this.store.interviews(), findings: this.store.findings() };
    }
    return this.loaded;
  }

  /**
   * The findings part of an offloaded document (the worker reads no findings): counted once per
   * version and source, shared by every team and window.
   */
  private findingsOf(all: Finding[], source: string | null): FindingsResult {
    if (this.findingsCounted?.findings !== all) this.findingsCounted = { findings: all, bySource: new Map() };
    let counted = this.findingsCounted.bySource.get(source);
    if (!counted) this.findingsCounted.bySource.set(source, (counted = summariseFindings(source === null ? all : all.filter((f) => f.source === source))));
    return counted;
  }

  /** The findings alone, per data version: what offloaded views put back into their documents. */
  private liveFindings(): Finding[] {
    if (this.loaded && this.loaded.version === this.version()) return this.loaded.findings;
    const version = this.version();
    if (!this.findingsLoaded || this.findingsLoaded.version !== version) this.findingsLoaded = { version, findings: this.store.findings() };
    return this.findingsLoaded.findings;
  }

  /**
   * Every live interview (of one source), page by page from one snapshot of the store, for an
   * export that lets the event loop turn between pages: a sync committing meanwhile is not in it.
   * A store in memory (the demo) is one page.
   */
  *interviewPages(source: string | null = null, size = EXPORT_PAGE_SIZE): Generator<Interview[], void, undefined> {
    const snapshot = this.store.snapshot();
    if (!snapshot) {
      yield this.interviews(source);
      return;
    }
    try {
      for (let after = ''; ;) {
        const { interviews, last } = snapshot.next(after, size, source);
        if (interviews.length > 0) yield interviews;
        if (last === null) return;
        after = last;
      }
    } finally {
      snapshot.close();
    }
  }

  /**
   * The interviews with these ids (the rows behind a count, as the views selected them), in their
   * order, page by page from one snapshot of the store, as `interviewPages`.
   */
  *interviewsByIdPages(ids: readonly string[], size = EXPORT_PAGE_SIZE): Generator<Interview[], void, undefined> {
    const snapshot = this.store.snapshot();
    if (!snapshot) {
      const byId = new Map(this.interviews().map((i) => [i.id, i]));
      yield ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
      return;
    }
    try {
      for (let at = 0; at < ids.length; at += size) yield snapshot.byIds(ids.slice(at, at + size));
    } finally {
      snapshot.close();
    }
  }

  /** Live interviews, optionally of one source. */
  interviews(source: string | null = null): Interview[] {
    const all = this.data().interviews;
    return source === null ? all : all.filter((i) => i.source.name === source);
  }

  /**
   * Metrics for a query; recomputed only when the store or the config changed (or the query is
   * new). Offloaded, whatever `prepare` made ready is served, stale or not.
   */
  metrics(query: MetricsQuery = {}): Metrics {
    const q = this.resolve(query);
    const key = queryKey(q);
    const hit = this.cache.get(key);
    if (hit && (this.engine || (hit.version === this.version() && hit.generation === this.generation))) {
      if (!this.engine) return hit.value;
      const all = this.liveFindings();
      if (hit.merged?.findings !== all) {
        hit.merged = { findings: all, value: { ...hit.value, findings: this.findingsOf(all, q.source) } };
      }
      return hit.merged.value;
    }
    const data = this.data();
    const value = metricsOf(data, this.config, q);
    remember(this.cache, key, { version: data.version, generation: this.generation, value }, CACHE_SIZE);
    return value;
  }

  /** A list under a query: a person's latest conversations, or the rows behind a count. Offloaded, what `prepare` made ready. */
  list<K extends ListSpec['kind']>(spec: ListSpec & { kind: K }, query: MetricsQuery = {}): ListValue[K] {
    const q = this.resolve(query);
    const hit = this.listCache.get(listKeyOf(spec, q));
    if (hit && (this.engine || (hit.version === this.version() && hit.generation === this.generation))) return hit.value as ListValue[K];
    return listOf<K>(this.data(), this.config, q, spec);
  }

  /** A roster person's latest conversations under a query (the person page). */
  recentConversations(key: string, query: MetricsQuery = {}): ListValue['recent'] {
    return this.list({ kind: 'recent', key }, query);
  }

  findings(source: string | null = null): Finding[] {
    const all = this.data().findings;
    return source === null ? all : all.filter((f) => f.source === source);
  }

  runs(limit = 20): Array<RunLog<SyncReport>> {
    return this.store.runs<SyncReport>(limit);
  }

  /**
   * How fresh the data is: when the sources were last read, and whether the oldest good read is
   * older than the limit (`sync.staleAfterHours`, else twice the `sync.schedule` interval, else 48 h).
   */
  freshness(now: Date = (this.options.now ?? (() => new Date()))()): Freshness {
    // The good runs change only with a commit, which bumps the data version.
    const version = this.version();
    if (this.goodRuns?.version !== version) this.goodRuns = { version, runs: this.store.lastGoodRuns() };
    const good = this.goodRuns.runs;
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
    return this.version();
  }

  /**
   * The store's data version. Offloaded (`serve`), read once per request (by `prepare`, or once
   * per turn of the event loop): a crowd of readers asked it four times a request, a quarter of
   * the main thread's time.
   */
  private version(fresh = false): number {
    if (!this.engine) return this.store.dataVersion();
    if (this.turnVersion === null || fresh) {
      if (this.turnVersion === null) setImmediate(() => (this.turnVersion = null));
      this.turnVersion = this.store.dataVersion();
    }
    return this.turnVersion;
  }

  /** The digests sent (or tried), newest first. */
  digestLog(limit: number): ReturnType<Store['digestLog']> {
    return this.store.digestLog(limit);
  }

  /** Each configured source with its live interviews and sync state. */
  sourceStatus(): Array<{ name: string; kind: string; interviews: number; bookmark: string | null; lastFullAt: string | null }> {
    // Counted by the store: the Sync page must not read every row onto the event loop.
    const counts = this.store.interviewCounts();
    return this.config.sources.map((s) => {
      const state = this.store.syncState(s.name);
      return { name: s.name, kind: s.kind, interviews: counts.get(s.name) ?? 0, bookmark: state.bookmark, lastFullAt: state.lastFullAt };
    });
  }
}

/** A list's cache key: a person's list depends on the as-of date and the source, not on the team or window. */
function listKeyOf(spec: ListSpec, q: ResolvedQuery): string {
  const scope = `${q.asOf}|${q.source ?? ''}`;
  return spec.kind === 'recent' ? `recent|${spec.key}|${scope}` : `${JSON.stringify(spec)}|${scope}|${q.team ?? ''}`;
}

/** Keep a view, the oldest going first once the cache is full. */
function remember<T>(cache: Map<string, T>, key: string, entry: T, limit: number): void {
  cache.delete(key);
  if (cache.size >= limit) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
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
