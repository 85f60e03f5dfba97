import type { Finding } from '../model/finding.js';
import type { Interview, InterviewKey, SourceKind } from '../model/interview.js';
import type { RequestLogEntry } from './kit/transport.js';

export type { RequestLogEntry } from './kit/transport.js';

/** What a source remembers between runs (resolved ids, schema, caches); JSON. */
export type SourceMemo = Record<string, unknown>;

/** What a sync asks of a source. */
export interface ReadRequest {
  /** The bookmark: rows edited at or after it (the source adds its own safety overlap); null lists everything. */
  since: string | null;
  /** What this source kept after its last good run, or null. */
  memo: SourceMemo | null;
  /** Called as rows arrive; `total` when the source knows it up front. */
  onProgress?: (read: number, total: number | null) => void;
  /**
   * What the store holds of this source's rows, read when the source first asks: a file read in
   * threads asks once they are parsing, so the store is read meanwhile. Absent: nothing is known.
   */
  stored?: () => StoredRows;
}

/** The store's rows of a source as a read can use them (`ReadRequest.stored`). */
export interface StoredRows {
  /**
   * The raw hash each stored live row was read with (`SourceRecord.rawHash`): a source that can
   * hash a row before assembling it (CSV) hands back a row whose hash is the same as `unchanged`.
   */
  known: ReadonlyMap<string, string>;
  /**
   * Every live stored row is readable and its raw hash is in `known`: a source whose whole input
   * is the one its memo describes may then answer `unchanged` without reading a row.
   */
  complete: boolean;
}

/** How a read ended: the listing it really made (an incremental read may fall back) and what to keep. */
export interface ReadOutcome {
  listing: 'full' | 'incremental';
  memo: SourceMemo | null;
  /** The whole input is the one the memo describes (nothing was yielded): every stored row and finding stands. */
  unchanged?: boolean;
}

/** One row as a source hands it to the sync: an interview, or only findings without an id. */
export interface SourceRecord {
  recordId: string;
  interview: Interview | null;
  findings: Finding[];
  /** The source's own last-edit time of the row, for the bookmark. */
  editedAt: string | null;
  /** A hash of the row's raw cells and of everything that decides its assembly (CSV); stored with it. */
  rawHash?: string;
  /** The row's raw hash is the one stored (`StoredRows.known`): it was not assembled, and the stored interview stands. */
  unchanged?: true;
  /**
   * The interview already serialised and hashed where it was assembled (a CSV read in threads:
   * an interview object costs more to copy between threads than its JSON), with `interview` null.
   */
  prepared?: PreparedRow;
}

/** An interview as JSON with what the store and the sync report need of it. */
export interface PreparedRow {
  key: InterviewKey;
  json: string;
  /** sha1 (hex) of `json`, as the sync hashes an interview. */
  hash: string;
  /** The people in it not on the roster, once per reference. */
  offRoster: string[];
}

/** Counters the run report shows for API sources (zero for files). */
export interface SourceStats {
  requests: number;
  retries: number;
  waitedMs: number;
}

/** One value of a select-like column, with how many rows hold it where the source says. */
export interface ColumnOption {
  name: string;
  /** Rows holding it; null where the API lists options without counts (Notion, Airtable). */
  count: number | null;
}

/** One column of a source, as `doctor` and `init` see it. */
export interface ColumnDescription {
  /** Stable id (Notion property id, Airtable field id; the header for CSV). */
  id: string;
  name: string;
  /** The source's own type name (`select`, `multipleCollaborators`, `text` for CSV). */
  type: string;
  /** For selects (and CSV columns with few distinct values): the options. */
  options: ColumnOption[] | null;
  /** A few values as they appear, for columns whose type says little (CSV). */
  samples: string[];
  /** What kinds of value the column can feed (`text` for free fields); every kind for CSV. */
  gives: readonly ColumnKind[];
}

/** Kinds of value a model field reads from a column. */
export type ColumnKind = 'text' | 'date' | 'people' | 'minutes' | 'boolean';

/** What a source holds, read without touching the store. */
export interface SchemaDescription {
  source: string;
  kind: SourceKind;
  /** The database, table or file name. */
  title: string;
  columns: ColumnDescription[];
  /** Rows, where known without listing them (CSV). */
  rows: number | null;
}

/** Someone a people column names, with the rows that name them. */
export interface PersonSample {
  name: string | null;
  email: string | null;
  rows: number;
}

/** Which columns `sampleValues` counts, by the name the schema gives them. */
export interface SampleRequest {
  /** Select-like columns: every value with its row count. */
  values: readonly string[];
  /** People columns: every person with their row count. */
  people: readonly string[];
  /** Stop after this many rows. */
  limit: number;
}

/** Values of some columns as the first rows hold them: what `init` proposes value maps and the roster from. */
export interface ValueSample {
  rows: number;
  /** False when the read stopped at the limit. */
  complete: boolean;
  /** Column name → its values, most rows first. */
  values: Record<string, ColumnOption[]>;
  /** Column name → the people it names, most rows first. */
  people: Record<string, PersonSample[]>;
}

/** Every source kind, as the sync engine sees it. Only implementations do I/O. */
export interface Source {
  readonly name: string;
  readonly kind: SourceKind;
  /** Whether `since` is honoured; a source that cannot filter always lists everything. */
  readonly incremental: boolean;
  /**
   * A hash of everything that decides how rows become interviews (the mapping, the source's
   * identity and zone, the roster's people): stored rows read under another one are stale.
   */
  readonly fingerprint: string;
  /** A full listing (which detects deletions) is forced when the last one is older than this. */
  readonly fullListingEveryMs: number | null;
  /**
   * Rows come from a file on this machine, each record id once: a run writes them as they are read,
   * in a write transaction held for the seconds the read takes (`Store.openRun`). Network sources
   * do not: their reads take minutes, and other writers would wait for them.
   */
  readonly local?: boolean;
  /** Check access and the mapping without reading rows; says what was found, or throws what is wrong. */
  probe(): Promise<string>;
  /** Every column with its id, name, type and options: what `doctor` and `init` build on. */
  describeSchema(): Promise<SchemaDescription>;
  /** Counts the values and people of some columns over the first rows, without touching the store (`init`). */
  sampleValues(request: SampleRequest): Promise<ValueSample>;
  /** Yields rows batch by batch, then returns how the read ended. */
  read(request: ReadRequest): AsyncGenerator<SourceRecord[], ReadOutcome>;
  stats(): SourceStats;
  /** Every request this source sent, for `--verbose` (empty for files). */
  requestLog(): readonly RequestLogEntry[];
}
