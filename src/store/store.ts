import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Interview, InterviewKey } from '../model/interview.js';
import type { Finding } from '../model/finding.js';
import { TouchpointError } from '../errors.js';
import { MIGRATIONS, STORED_FORM } from './migrations.js';
import { fromStored, hashStored, storedForm } from '../model/stored.js';

/** Per-source sync state: the bookmark and the last complete listing. */
export interface SyncState {
  bookmark: string | null;
  lastFullAt: string | null;
  /** The source's own memo (JSON), kept with the bookmark. */
  memo: Record<string, unknown> | null;
  /** A hash of the mapping and source identity the last good run read with; null before the first. */
  fingerprint?: string | null;
}

/** What one successful run writes, all in one transaction. */
export interface RunCommit<Report> {
  source: string;
  startedAt: string;
  finishedAt: string;
  /**
   * `json`: the interview already serialised (the sync hashed it), written as is. `rawHash` and
   * `offRoster`: what the row was read from and who in it is not on the roster (file sources).
   */
  upserts: readonly RunUpsert[];
  /** Rows read again to the same interview from other raw cells (or first hashed): their raw hash is kept. */
  rawHashes?: ReadonlyArray<{ recordId: string; rawHash: string; offRoster: readonly string[] }>;
  /** Record ids to mark deleted. */
  deletes: readonly string[];
  /** Findings to replace: all of the source's (`all`) or only those of the records read. */
  findings: { replace: 'all' | readonly string[]; items: readonly Finding[] };
  state: SyncState;
  report: Report;
}

/** One row a run writes: an interview, or its key with the JSON already made. */
export type RunUpsert = ({ interview: Interview; json?: string } | { interview: InterviewKey; json: string }) & {
  hash: string;
  rawHash?: string | null;
  offRoster?: readonly string[];
};

/** What the sync needs of a stored row (`Store.recordHashes`). */
export interface StoredHashes {
  hash: string;
  deleted: boolean;
  rawHash: string | null;
  offRoster: string[];
}

/** A run being written as it is read (`Store.openRun`). */
export interface RunWriter<Report> {
  upsert(upsert: RunUpsert): void;
  /** Write the rest of the run and commit it all. */
  finish(run: Omit<RunCommit<Report>, 'upserts'>): void;
  /** Undo every row written; the store stays as the last good run left it. A no-op once finished. */
  abort(): void;
}

export type DigestStatus = 'sending' | 'sent' | 'skipped' | 'failed';

/** One digest period in the send log. */
export interface DigestLogEntry {
  digest: string;
  period: string;
  status: DigestStatus;
  claimedAt: string;
  finishedAt: string | null;
  detail: string | null;
  attempts: number;
}

/** A logged run, newest first in `runs()`. */
export interface RunLog<Report> {
  id: number;
  source: string;
  startedAt: string;
  finishedAt: string;
  status: 'ok' | 'failed';
  report: Report | null;
  error: string | null;
}

/** The only module that touches SQLite. Synchronous by design: better-sqlite3 is. */
export class Store {
  private constructor(
    private readonly db: Database.Database,
    /** Where the file is, for messages. */
    readonly path: string,
  ) {}

  private readonly statements = new Map<string, Database.Statement>();

  /** A statement, prepared once: preparing the same SQL on every call was a tenth of a busy server's time. */
  private sql(source: string): Database.Statement {
    let statement = this.statements.get(source);
    if (!statement) this.statements.set(source, (statement = this.db.prepare(source)));
    return statement;
  }

  /** Run a read or write; SQLite's failures become one line that says what to do. */
  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw storeError(this.path, error);
    }
  }

  /** Open (creating if needed) and migrate the store at `path` (or `:memory:`). */
  static open(path: string): Store {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path);
      // Pages of 64 KiB, SQLite's largest, for a new store (an existing one keeps its own). Every
      // page read or written is a system call or two, and they are slow on the VMs stores run on:
      // a 100 000-row sync committed in 15 ms against 105 ms with 16 KiB, and 16 KiB had been 17 %
      // faster than 4 KiB (BENCHMARKS.md, "Syncs"). Set before WAL, which fixes it.
      db.pragma('page_size = 65536');
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      const store = new Store(db, path);
      store.migrate();
      return store;
    } catch (error) {
      if (TouchpointError.isTouchpointError(error)) throw error;
      throw storeError(path, error);
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new TouchpointError(
        'store_failed',
        `The store was written by a newer touchpoint (schema ${version}, this one knows ${MIGRATIONS.length}). Upgrade touchpoint.`,
      );
    }
    const run = this.db.transaction(() => {
      for (let i = version; i < MIGRATIONS.length; i++) {
        this.db.exec(MIGRATIONS[i]!);
        if (i === STORED_FORM) this.convertRows();
        this.db.pragma(`user_version = ${i + 1}`);
      }
    });
    run();
  }

  /**
   * The rows of a store before the stored form (object JSON) in that form, hashes with them, in
   * the migration's transaction; the data version stays (the interviews are the same). A row whose
   * JSON does not parse is left for the next sync. Paged by rowid: SQLite cannot write while a
   * statement of the same connection still reads.
   */
  private convertRows(): void {
    const page = this.db.prepare("SELECT rowid, data FROM interviews WHERE rowid > ? AND data LIKE '{%' ORDER BY rowid LIMIT 2000");
    const write = this.db.prepare('UPDATE interviews SET data = ?, hash = ? WHERE rowid = ?');
    for (let after = 0; ;) {
      const rows = page.all(after) as Array<{ rowid: number; data: string }>;
      if (rows.length === 0) return;
      for (const row of rows) {
        const interview = fromStored(row.data);
        if (!interview) continue;
        const json = storedForm(interview);
        write.run(json, hashStored(json), row.rowid);
      }
      after = rows[rows.length - 1]!.rowid;
    }
  }

  /** The schema version now in force. */
  schemaVersion(): number {
    return this.guard(() => {
      return this.db.pragma('user_version', { simple: true }) as number;
    });
  }

  /** Live interviews per source, counted by SQLite (no row is read). */
  interviewCounts(): Map<string, number> {
    return this.guard(() => {
      const rows = this.sql('SELECT source, COUNT(*) AS n FROM interviews WHERE deleted_at IS NULL GROUP BY source').all() as Array<{
        source: string;
        n: number;
      }>;
      return new Map(rows.map((r) => [r.source, r.n]));
    });
  }

  /** Every live interview (not deleted), in id order. */
  interviews(): Interview[] {
    return this.guard(() => {
      // A row whose JSON does not parse is left out here and re-read by the next sync (recordHashes).
      // Parsing each row and skipping a failure is cheaper than SQLite's json_valid on every row first.
      // Row by row, not all() first: each row's text goes as soon as it is parsed, where all() held
      // every one of them beside the parsed rows (100 MB more at the peak for 100 000 interviews).
      const rows = this.sql('SELECT data FROM interviews WHERE deleted_at IS NULL ORDER BY id').pluck().iterate() as IterableIterator<string>;
      const out: Interview[] = [];
      for (const row of rows) {
        const interview = fromStored(row);
        if (interview) out.push(interview);
      }
      return out;
    });
  }

  /**
   * The live interviews as of now, read page by page on a connection of their own holding one
   * snapshot (WAL lets syncs commit meanwhile): an export that yields between pages sees no sync
   * that commits during it. Null for a store in memory (no second connection can see it). Close it.
   */
  snapshot(): InterviewSnapshot | null {
    if (this.path === ':memory:') return null;
    return this.guard(() => new InterviewSnapshot(new Database(this.path, { readonly: true, fileMustExist: true }), this.path));
  }

  /**
   * The rows written after data version `version`, in id order: live ones parsed (null where the
   * stored JSON does not parse), deleted ones by id. With the live count, what a reader holding
   * the rows of `version` needs to hold the current ones.
   */
  interviewsSince(version: number): { version: number; live: Array<{ id: string; interview: Interview | null }>; gone: string[]; count: number } {
    // One read transaction: the version, the rows and the count are of the same snapshot.
    return this.guard(() =>
      this.db.transaction(() => {
        const rows = this.sql('SELECT id, data, deleted_at FROM interviews WHERE written > ? ORDER BY id').all(version) as Array<{
          id: string;
          data: string;
          deleted_at: string | null;
        }>;
        const live: Array<{ id: string; interview: Interview | null }> = [];
        const gone: string[] = [];
        for (const row of rows) {
          if (row.deleted_at !== null) gone.push(row.id);
          else live.push({ id: row.id, interview: fromStored(row.data) });
        }
        return { version: this.dataVersion(), live, gone, count: this.interviewCount() };
      })(),
    );
  }

  /** Every live interview, with the data version they are of and the live count (unreadable rows included), from one snapshot. */
  interviewsAt(): { version: number; interviews: Interview[]; count: number } {
    return this.guard(() => this.db.transaction(() => ({ version: this.dataVersion(), interviews: this.interviews(), count: this.interviewCount() }))());
  }

  /** Live rows, readable or not. */
  interviewCount(): number {
    return this.guard(() => Number(this.sql('SELECT count(*) FROM interviews WHERE deleted_at IS NULL').pluck().get()));
  }

  /**
   * Record id → stored hash and whether it is deleted, for one source; and for live readable rows
   * the raw hash they were read from and their off-roster people (file sources).
   */
  recordHashes(source: string): Map<string, StoredHashes> {
    return this.guard(() => {
      // Each column as one JSON array: 100 000 rows came back in 0.13–0.15 s, against 0.23–0.29 s
      // as a row object each. json_valid once per row: a row that does not parse is stale whatever
      // its hashes say.
      const columns = this.sql(
        `SELECT json_group_array(record_id), json_group_array(hash), json_group_array(deleted_at IS NOT NULL),
          json_group_array(raw_hash), json_group_array(off_roster), json_group_array(json_valid(data))
        FROM interviews WHERE source = ?`,
      )
        .raw()
        .get(source) as string[];
      const [ids, hashes, deleted, rawHashes, offRoster, ok] = columns.map((column) => JSON.parse(column) as unknown[]) as [
        string[],
        string[],
        number[],
        Array<string | null>,
        Array<string | null>,
        number[],
      ];
      const out = new Map<string, StoredHashes>();
      for (let i = 0; i < ids.length; i++) {
        const off = offRoster[i];
        out.set(ids[i]!, {
          hash: ok[i] ? hashes[i]! : UNREADABLE,
          deleted: deleted[i] === 1,
          rawHash: ok[i] && deleted[i] === 0 ? (rawHashes[i] ?? null) : null,
          offRoster: off ? (JSON.parse(off) as string[]) : [],
        });
      }
      return out;
    });
  }

  syncState(source: string): SyncState {
    return this.guard(() => {
      const row = this.sql('SELECT bookmark, last_full_at, memo, fingerprint FROM sync_state WHERE source = ?').get(source) as
        { bookmark: string | null; last_full_at: string | null; memo: string | null; fingerprint: string | null } | undefined;
      return {
        bookmark: row?.bookmark ?? null,
        lastFullAt: row?.last_full_at ?? null,
        memo: row?.memo ? (JSON.parse(row.memo) as Record<string, unknown>) : null,
        fingerprint: row?.fingerprint ?? null,
      };
    });
  }

  /** Every finding, or one source's. */
  findings(source?: string): Finding[] {
    return this.guard(() => {
      const rows = (
        source === undefined
          ? this.sql('SELECT data FROM findings ORDER BY rowid').pluck().all()
          : this.sql('SELECT data FROM findings WHERE source = ? ORDER BY rowid').pluck().all(source)
      ) as string[];
      return rows.map((row) => JSON.parse(row) as Finding);
    });
  }

  /** Bumped by every committed run; caches key on it. */
  dataVersion(): number {
    return this.guard(() => {
      return Number(this.sql("SELECT value FROM meta WHERE key = 'data_version'").pluck().get());
    });
  }

  /** Write a run's rows, deletions, findings, bookmark and log entry atomically. */
  commitRun<Report>(run: RunCommit<Report>): void {
    return this.guard(() => {
      const tx = this.db.transaction(() => {
        const written = this.nextVersion();
        for (const upsert of run.upserts) this.writeUpsert(run.source, run.finishedAt, written, upsert);
        this.finishRun(run, written);
      });
      tx.immediate();
    });
  }

  /**
   * A run whose rows are written as they are read (a file source): one write transaction from
   * here to `finish`, which commits it with the rest of `commitRun`, or `abort`, which undoes
   * every row written. Readers see none of it before the commit (WAL), a killed process leaves
   * the store as the last good run did, and the rows need not all be held at once (a 100 000-row
   * CSV's sync peaked at 480 MB holding them, 355 MB writing them as read: BENCHMARKS.md). Other
   * writers wait meanwhile, so it is only for reads that take seconds, not network minutes.
   */
  openRun<Report>(source: string, syncedAt: string): RunWriter<Report> {
    return this.guard(() => {
      this.sql('BEGIN IMMEDIATE').run();
      const written = this.nextVersion();
      let open = true;
      const step = <T>(work: () => T): T => {
        if (!open) throw new Error('this run was already finished');
        return this.guard(work);
      };
      return {
        upsert: (upsert) => step(() => this.writeUpsert(source, syncedAt, written, upsert)),
        finish: (run) =>
          step(() => {
            this.finishRun(run, written);
            this.sql('COMMIT').run();
            open = false;
          }),
        abort: () => {
          if (!open) return;
          open = false;
          if (this.db.inTransaction) this.guard(() => this.sql('ROLLBACK').run());
        },
      };
    });
  }

  /** The version a run makes (bumped by `finishRun`): every row it writes is marked with it. */
  private nextVersion(): number {
    return Number(this.sql("SELECT value FROM meta WHERE key = 'data_version'").pluck().get()) + 1;
  }

  private writeUpsert(source: string, syncedAt: string, written: number, { interview, hash, json, rawHash, offRoster }: RunUpsert): void {
    // Positional parameters: binding an object of names cost a third of the write.
    this.sql(
      `
        INSERT INTO interviews (id, source, record_id, data, hash, updated_at, synced_at, deleted_at, raw_hash, off_roster, written)
        VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET data = excluded.data, hash = excluded.hash,
          updated_at = excluded.updated_at, synced_at = excluded.synced_at, deleted_at = NULL,
          raw_hash = excluded.raw_hash, off_roster = excluded.off_roster, written = excluded.written`,
    ).run(
      interview.id,
      source,
      interview.source.recordId,
      json ?? storedForm(interview as Interview),
      hash,
      interview.updatedAt,
      syncedAt,
      rawHash ?? null,
      peopleJson(offRoster),
      written,
    );
  }

  /** Everything of a run but its upserts: raw hashes, deletions, findings, state, the log and the new version. */
  private finishRun<Report>(run: Omit<RunCommit<Report>, 'upserts'>, written: number): void {
    // By id, the primary key: '<source>:<record id>', as every source makes it (sources/kit/assemble.ts).
    const keepRaw = this.sql('UPDATE interviews SET raw_hash = ?, off_roster = ? WHERE id = ?');
    const remove = this.sql('UPDATE interviews SET deleted_at = ?, written = ? WHERE id = ? AND deleted_at IS NULL');
    const insertFinding = this.sql('INSERT INTO findings (source, record_id, data) VALUES (?, ?, ?)');
    const clearFindingsOf = this.sql('DELETE FROM findings WHERE source = ? AND record_id = ?');
    for (const r of run.rawHashes ?? []) keepRaw.run(r.rawHash, peopleJson(r.offRoster), `${run.source}:${r.recordId}`);
    for (const recordId of run.deletes) {
      remove.run(run.finishedAt, written, `${run.source}:${recordId}`);
      clearFindingsOf.run(run.source, recordId);
    }
    if (run.findings.replace === 'all') this.sql('DELETE FROM findings WHERE source = ?').run(run.source);
    else for (const recordId of new Set(['', ...run.findings.replace])) clearFindingsOf.run(run.source, recordId);
    for (const finding of run.findings.items) insertFinding.run(run.source, finding.recordId, JSON.stringify(finding));
    this.sql(
      `INSERT INTO sync_state (source, bookmark, last_full_at, memo, fingerprint) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (source) DO UPDATE SET bookmark = excluded.bookmark, last_full_at = excluded.last_full_at, memo = excluded.memo, fingerprint = excluded.fingerprint`,
    ).run(run.source, run.state.bookmark, run.state.lastFullAt, run.state.memo === null ? null : JSON.stringify(run.state.memo), run.state.fingerprint ?? null);
    this.logRun(run.source, run.startedAt, run.finishedAt, 'ok', JSON.stringify(run.report), null);
    this.sql("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'").run();
  }

  /** Log a failed run; the data and sync state stay as the last good run left them. */
  recordFailure(source: string, startedAt: string, finishedAt: string, message: string): void {
    return this.guard(() => {
      this.logRun(source, startedAt, finishedAt, 'failed', null, message);
    });
  }

  /** The latest runs, newest first. */
  runs<Report>(limit = 50): Array<RunLog<Report>> {
    return this.guard(() => {
      const rows = this.db
        .prepare('SELECT id, source, started_at, finished_at, status, report, error FROM sync_runs ORDER BY id DESC LIMIT ?')
        .all(limit) as Array<{
        id: number;
        source: string;
        started_at: string;
        finished_at: string;
        status: 'ok' | 'failed';
        report: string | null;
        error: string | null;
      }>;
      return rows.map((r) => ({
        id: r.id,
        source: r.source,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        status: r.status,
        report: r.report === null ? null : (JSON.parse(r.report) as Report),
        error: r.error,
      }));
    });
  }

  /**
   * Claim a digest period for sending. False when it was sent or skipped, or another process
   * claimed it less than `staleMs` ago; a failed or stale claim can be taken again. Atomic: the
   * check and the write are one IMMEDIATE transaction, so two processes cannot both win.
   */
  claimDigest(digest: string, period: string, now: string, staleMs: number, force = false): boolean {
    return this.guard(() => {
      const claim = this.db.transaction(() => {
        const row = this.sql('SELECT status, claimed_at FROM digest_log WHERE digest = ? AND period = ?').get(digest, period) as
          { status: DigestStatus; claimed_at: string } | undefined;
        if (!row) {
          this.sql("INSERT INTO digest_log (digest, period, status, claimed_at) VALUES (?, ?, 'sending', ?)").run(digest, period, now);
          return true;
        }
        if (!force && (row.status === 'sent' || row.status === 'skipped')) return false;
        if (row.status === 'sending' && Date.parse(now) - Date.parse(row.claimed_at) < staleMs) return false;
        this.db
          .prepare("UPDATE digest_log SET status = 'sending', claimed_at = ?, finished_at = NULL, attempts = attempts + 1 WHERE digest = ? AND period = ?")
          .run(now, digest, period);
        return true;
      });
      return claim.immediate();
    });
  }

  /** Record how a claimed period ended: sent, skipped (nothing new), or failed (may be claimed again). */
  finishDigest(digest: string, period: string, status: Exclude<DigestStatus, 'sending'>, now: string, detail: string | null): void {
    return this.guard(() => {
      this.sql('UPDATE digest_log SET status = ?, finished_at = ?, detail = ? WHERE digest = ? AND period = ?').run(status, now, detail, digest, period);
    });
  }

  /** The send log, newest period first. */
  digestLog(limit = 50): DigestLogEntry[] {
    return this.guard(() => {
      const rows = this.db
        .prepare('SELECT digest, period, status, claimed_at, finished_at, detail, attempts FROM digest_log ORDER BY period DESC, digest LIMIT ?')
        .all(limit) as Array<{
        digest: string;
        period: string;
        status: DigestStatus;
        claimed_at: string;
        finished_at: string | null;
        detail: string | null;
        attempts: number;
      }>;
      return rows.map((r) => ({
        digest: r.digest,
        period: r.period,
        status: r.status,
        claimedAt: r.claimed_at,
        finishedAt: r.finished_at,
        detail: r.detail,
        attempts: r.attempts,
      }));
    });
  }

  /** The latest period of a digest that was sent or skipped, if any. */
  lastDigestPeriod(digest: string): string | null {
    return this.guard(() => {
      return (this.sql("SELECT MAX(period) FROM digest_log WHERE digest = ? AND status IN ('sent', 'skipped')").pluck().get(digest) as string | null) ?? null;
    });
  }

  /** When each source last synced successfully (UTC ISO), by source. */
  lastGoodRuns(): Map<string, string> {
    return this.guard(() => {
      const rows = this.sql("SELECT source, max(finished_at) AS at FROM sync_runs WHERE status = 'ok' GROUP BY source").all() as Array<{
        source: string;
        at: string;
      }>;
      return new Map(rows.map((r) => [r.source, r.at]));
    });
  }

  /** SQLite's quick integrity check, and the rows whose stored data does not parse: empty when the file is sound. */
  check(): string[] {
    return this.guard(() => {
      const problems = (this.db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check).filter((r) => r !== 'ok');
      const unreadable = Number(this.sql('SELECT count(*) FROM interviews WHERE NOT json_valid(data)').pluck().get());
      if (unreadable > 0) problems.push(`${unreadable} interview row${unreadable === 1 ? '' : 's'} whose data does not parse (the next sync re-reads them)`);
      return problems;
    });
  }

  close(): void {
    this.db.close();
  }

  private logRun(source: string, startedAt: string, finishedAt: string, status: 'ok' | 'failed', report: string | null, error: string | null): void {
    this.db
      .prepare('INSERT INTO sync_runs (source, started_at, finished_at, status, report, error) VALUES (?, ?, ?, ?, ?, ?)')
      .run(source, startedAt, finishedAt, status, report, error);
  }
}

/** The hash a row whose stored JSON is damaged reports, so the next sync writes it again. */
const UNREADABLE = 'unreadable';

/**
 * SQLite's and JSON's failures as one line: a damaged file, a busy or full disk, a file that
 * cannot be opened. Anything else keeps its own message.
 */
function storeError(path: string, error: unknown): TouchpointError {
  if (TouchpointError.isTouchpointError(error)) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  const fix = 'restore a backup, or delete it and run `touchpoint sync --full`';
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || /no such (table|column)|malformed|not a database|JSON/i.test(message)) {
    return new TouchpointError('store_damaged', `The store at ${path} is damaged (${message}): ${fix}.`, [], { cause: error });
  }
  if (/^SQLITE_(BUSY|LOCKED)/.test(code))
    return new TouchpointError('store_failed', `The store at ${path} is busy: another process holds it. Try again in a moment.`, [], { cause: error });
  if (/^SQLITE_FULL/.test(code))
    return new TouchpointError('store_failed', `The disk holding the store at ${path} is full; nothing was changed. Free some space and run again.`, [], {
      cause: error,
    });
  return new TouchpointError('store_failed', `Cannot use the store at ${path} (${message}). Check store.path in the config.`, [], { cause: error });
}

/** Ids per `IN (…)` query: well under SQLite's 32 766 parameters, and a statement small enough to prepare each time. */
const ID_BATCH = 500;

/** One read snapshot of the live interviews, paged by id (`Store.snapshot`). */
export class InterviewSnapshot {
  private readonly page: Database.Statement;
  private readonly pageOf: Database.Statement;
  private open = true;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    this.page = db.prepare('SELECT id, data FROM interviews WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?');
    this.pageOf = db.prepare('SELECT id, data FROM interviews WHERE deleted_at IS NULL AND source = ? AND id > ? ORDER BY id LIMIT ?');
    // The snapshot starts with the first read and holds until close.
    db.prepare('BEGIN').run();
  }

  /** Up to `limit` live interviews after id `after` (of one source), in id order; `last` is where the next page starts (null: no more). */
  next(after: string, limit: number, source: string | null = null): { interviews: Interview[]; last: string | null } {
    try {
      const rows = (source === null ? this.page.all(after, limit) : this.pageOf.all(source, after, limit)) as Array<{ id: string; data: string }>;
      const interviews: Interview[] = [];
      for (const row of rows) {
        const interview = fromStored(row.data);
        if (interview) interviews.push(interview); // a row that does not parse is left out, as everywhere
      }
      return { interviews, last: rows.length === limit ? rows[rows.length - 1]!.id : null };
    } catch (error) {
      throw storeError(this.path, error);
    }
  }

  /** The live interviews with these ids, in the order given (a missing or unreadable one left out). */
  byIds(ids: readonly string[]): Interview[] {
    try {
      const found = new Map<string, Interview>();
      for (let at = 0; at < ids.length; at += ID_BATCH) {
        const batch = ids.slice(at, at + ID_BATCH);
        const rows = this.db
          .prepare(`SELECT id, data FROM interviews WHERE deleted_at IS NULL AND id IN (${batch.map(() => '?').join(',')})`)
          .all(...batch) as Array<{ id: string; data: string }>;
        for (const row of rows) {
          const interview = fromStored(row.data);
          if (interview) found.set(row.id, interview);
        }
      }
      return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
    } catch (error) {
      throw storeError(this.path, error);
    }
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.db.prepare('COMMIT').run();
    } finally {
      this.db.close();
    }
  }
}

/** Off-roster names as stored: null when there are none. */
function peopleJson(names: readonly string[] | undefined): string | null {
  return names && names.length ? JSON.stringify(names) : null;
}
