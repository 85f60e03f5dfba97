import type { Finding } from '../model/finding.js';
import type { Interview, SourceKind } from '../model/interview.js';

/** What a sync asks of a source. */
export interface ReadRequest {
  /** Only rows edited at or after this instant; null asks for a full listing. */
  since: string | null;
  /** Called as rows arrive; `total` when the source knows it up front. */
  onProgress?: (read: number, total: number | null) => void;
}

/** One row as a source hands it to the sync: an interview, or only findings without an id. */
export interface SourceRecord {
  recordId: string;
  interview: Interview | null;
  findings: Finding[];
}

/** Counters the run report shows for API sources (zero for files). */
export interface SourceStats {
  requests: number;
  retries: number;
  waitedMs: number;
}

/** Every source kind, as the sync engine sees it. Only implementations do I/O. */
export interface Source {
  readonly name: string;
  readonly kind: SourceKind;
  /** Whether `since` is honoured; a source that cannot filter always lists everything. */
  readonly incremental: boolean;
  /** Yields rows batch by batch; a listing with `since: null` yields every live row. */
  read(request: ReadRequest): AsyncIterable<SourceRecord[]>;
  stats(): SourceStats;
}
