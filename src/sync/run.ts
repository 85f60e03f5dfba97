import type { Finding } from '../model/finding.js';
import type { Interview } from '../model/interview.js';
import { hashStored, storedForm } from '../model/stored.js';
import type { RunUpsert, RunWriter, Store, StoredHashes } from '../store/store.js';
import type { Source, SourceRecord } from '../sources/source.js';
import { TouchpointError } from '../errors.js';
import { prepareRow } from '../sources/kit/prepare.js';

/** What one run did, as printed after `touchpoint sync` and kept in the run log. */
export interface SyncReport {
  source: string;
  listing: 'full' | 'incremental';
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Rows missing from a full listing that were kept because some rows could not be parsed. */
  deletionsHeld: number;
  /** Why the listing was full: asked (--full), the first run, the setup changed, the daily one was due, a file. */
  why?: 'asked' | 'first' | 'setup_changed' | 'due' | 'always' | null;
  findings: number;
  /** Rows kept out of every metric (no id, no date, …). */
  excluded: number;
  /** People named in the rows read who are not on the roster, with how many rows name them. */
  offRoster: Array<{ name: string; rows: number }>;
  requests: number;
  retries: number;
  waitedMs: number;
  durationMs: number;
  startedAt: string;
}

export interface SyncOptions {
  /** Ask for a complete listing even when a bookmark exists. */
  full?: boolean;
  /** Let a run mark more than `maxDeleteShare` of the source deleted. */
  force?: boolean;
  /** Share of a source's live rows one run may delete before the guard refuses. */
  maxDeleteShare: number;
  now?: () => Date;
  onProgress?: (read: number, total: number | null) => void;
}

/** A run's result: the report, and the findings it produced for printing. */
export interface SyncOutcome {
  report: SyncReport;
  findings: Finding[];
}

/**
 * Run one source into the store. The signpost is taken before reading; rows, deletions,
 * findings and the new bookmark commit in one transaction, so a failed run (or a refusal by
 * the deletion guard) leaves the previous state as it was. Singer's bookmark/signpost terms.
 */
export async function syncSource(source: Source, store: Store, options: SyncOptions): Promise<SyncOutcome> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const signpost = startedAt.toISOString();
  // A local source's rows are written as they are read, in one transaction opened with the first
  // of them (its file already read, so the rest of the read runs without yielding to other work on
  // this connection); the others' all at the end.
  let writer = null as RunWriter<SyncReport> | null;
  try {
    const state = store.syncState(source.name);
    const fullDue =
      source.fullListingEveryMs !== null && (state.lastFullAt === null || startedAt.getTime() - Date.parse(state.lastFullAt) >= source.fullListingEveryMs);
    // A setup change (a value map, a renamed column, a roster entry) re-reads every row: an
    // incremental run would leave the rows it does not touch mapped the old way.
    const setupChanged = state.bookmark !== null && state.fingerprint !== source.fingerprint;
    const asked = options.full || !source.incremental || state.bookmark === null || fullDue || setupChanged ? 'full' : 'incremental';
    const why: SyncReport['why'] = options.full
      ? 'asked'
      : state.bookmark === null
        ? 'first'
        : setupChanged
          ? 'setup_changed'
          : fullDue
            ? 'due'
            : !source.incremental
              ? 'always'
              : null;

    // Keyed by record id: a source that re-lists (an incremental read falling back) repeats rows; the last wins.
    const byId = new Map<string, SourceRecord>();
    const findingsOnly: SourceRecord[] = [];
    // Rows the source did not assemble because their raw hash is the stored one: the stored interview stands.
    const skipped = new Set<string>();
    // The stored rows are read when the source asks for them (a file's threads parse meanwhile),
    // or before the first row read is taken.
    let existing = null as Map<string, StoredHashes> | null;
    const known = new Map<string, string>();
    let live = 0;
    const storedRows = () => {
      if (existing) return existing;
      existing = store.recordHashes(source.name);
      for (const [recordId, row] of existing) {
        if (!row.deleted) live += 1;
        if (row.rawHash !== null) known.set(recordId, row.rawHash);
      }
      return existing;
    };

    const upserts: RunUpsert[] = [];
    const rawHashes: Array<{ recordId: string; rawHash: string; offRoster: string[] }> = [];
    const seen = new Set<string>();
    const offRoster = new Map<string, number>();
    const countOff = (names: readonly string[]) => {
      for (const name of names) offRoster.set(name, (offRoster.get(name) ?? 0) + 1);
    };
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    let assembled = 0;
    let bookmark = state.bookmark;
    const recordFindings: Finding[] = [];
    const recordIds: string[] = [];
    /** A row read, classified against the stored one: created, updated (both written) or unchanged. */
    const take = (record: SourceRecord) => {
      if (record.findings.length > 0) recordFindings.push(...record.findings);
      // Only an incremental listing replaces the findings of the rows it read, not all of them.
      if (source.incremental) recordIds.push(record.recordId);
      // Every row read, changed or not, is covered up to its edit time.
      if (record.editedAt && (bookmark === null || record.editedAt > bookmark)) bookmark = record.editedAt;
      const { recordId, interview, rawHash } = record;
      // Serialised where the row was assembled (a CSV read in threads), or here.
      const row = record.prepared ?? (interview ? prepareRow(interview) : null);
      if (!row) return;
      assembled += 1;
      countOff(row.offRoster);
      const before = storedRows().get(recordId);
      // Only a stored row can be missing from a full listing: the rows new to the store need no mark.
      if (before) seen.add(recordId);
      if (!before || before.deleted) created += 1;
      else if (before.hash !== row.hash) updated += 1;
      else {
        unchanged += 1;
        if (rawHash !== undefined && before.rawHash !== rawHash) rawHashes.push({ recordId, rawHash, offRoster: row.offRoster });
        return;
      }
      const upsert: RunUpsert = { interview: row.key, hash: row.hash, json: row.json, rawHash: rawHash ?? null, offRoster: row.offRoster };
      if (source.local) (writer ??= store.openRun<SyncReport>(source.name, signpost)).upsert(upsert);
      else upserts.push(upsert);
    };

    const stored = () => {
      storedRows();
      // `--full` reads every row again, whatever the source remembers.
      return { known, complete: !options.full && live === known.size };
    };
    const reading = source.read({ since: asked === 'full' ? null : state.bookmark, memo: state.memo, onProgress: options.onProgress, stored });
    let step = await reading.next();
    while (!step.done) {
      for (const record of step.value) {
        if (record.unchanged) {
          skipped.add(record.recordId);
          byId.delete(record.recordId);
        } else if (source.local) take(record);
        else if (record.interview || record.prepared) {
          byId.set(record.recordId, record);
          skipped.delete(record.recordId);
        } else findingsOnly.push(record);
      }
      step = await reading.next();
    }
    for (const record of byId.values()) take(record);
    for (const record of findingsOnly) take(record);
    // An incremental read may have had to list everything (Notion's 10 000-row cap): then deletions are knowable.
    const { listing, memo, unchanged: same = false } = step.value;
    // The whole input unchanged: every stored row is skipped, and every finding stands.
    const rows = storedRows();
    if (same) for (const recordId of known.keys()) skipped.add(recordId);
    for (const recordId of skipped) countOff(rows.get(recordId)?.offRoster ?? []);
    unchanged += skipped.size;
    // A skipped row keeps the findings it had: they are written back with the run's own.
    const kept = same ? store.findings(source.name) : skipped.size === 0 ? [] : store.findings(source.name).filter((f) => skipped.has(f.recordId));
    const findings = [...recordFindings, ...kept];
    if (bookmark !== null && bookmark > signpost) bookmark = signpost;

    const deletes: string[] = [];
    let deletionsHeld = 0;
    if (listing === 'full') {
      const live = [...rows].filter(([, row]) => !row.deleted);
      for (const [recordId] of live) if (!seen.has(recordId) && !skipped.has(recordId)) deletes.push(recordId);
      // A row that did not parse may be one of the "missing" ones: nothing is deleted on a run with such rows.
      if (findings.some((f) => f.code === 'malformed_row')) deletionsHeld = deletes.splice(0).length;
      const share = live.length === 0 ? 0 : deletes.length / live.length;
      if (deletes.length > 0 && share > options.maxDeleteShare && !options.force) {
        throw new TouchpointError(
          'deletion_guard',
          `Refused: this run would mark ${deletes.length} of ${live.length} "${source.name}" interviews deleted (${Math.round(share * 100)} %, the limit is ${Math.round(options.maxDeleteShare * 100)} %). ` +
            'If rows were really removed, run again with --force; otherwise check the source path, filter and sharing. Nothing was changed.',
        );
      }
    }

    const stats = source.stats();
    const finishedAt = now();
    const report: SyncReport = {
      source: source.name,
      listing,
      read: assembled + skipped.size,
      created,
      updated,
      unchanged,
      deleted: deletes.length,
      deletionsHeld,
      why: listing === 'full' ? why : null,
      findings: findings.length,
      offRoster: [...offRoster].map(([name, rows]) => ({ name, rows })).sort((a, b) => b.rows - a.rows || a.name.localeCompare(b.name)),
      excluded: new Set(findings.filter((f) => f.severity === 'excluded').map((f) => f.recordId)).size,
      requests: stats.requests,
      retries: stats.retries,
      waitedMs: stats.waitedMs,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      startedAt: signpost,
    };
    const run = {
      source: source.name,
      startedAt: signpost,
      finishedAt: finishedAt.toISOString(),
      rawHashes,
      deletes,
      // Skipped rows' findings are written back with the rest, so theirs are replaced too.
      // Nothing changed: only the source's own findings (no row) are written again, the rest stand.
      findings: same
        ? { replace: [], items: findings.filter((f) => f.recordId === '') }
        : { replace: listing === 'full' ? ('all' as const) : [...recordIds, ...skipped], items: findings },
      state: { bookmark, lastFullAt: listing === 'full' ? signpost : state.lastFullAt, memo, fingerprint: source.fingerprint },
      report,
    };
    if (writer) writer.finish(run);
    else store.commitRun({ ...run, upserts });
    return { report, findings };
  } catch (error) {
    writer?.abort();
    store.recordFailure(source.name, signpost, now().toISOString(), (error as Error).message);
    throw error;
  }
}

/** Content hash of an interview, as the sync computes it (of its stored form). */
export function hashInterview(interview: Interview): string {
  return hashStored(storedForm(interview));
}
