import type { Person } from '../../model/person.js';
import { realClock, type Clock } from '../../model/clock.js';
import { TouchpointError } from '../../errors.js';
import type { RequestLogEntry, SourceStats } from '../source.js';
import { RosterIndex } from './people.js';
import { plausibleAt, type Plausible } from './assemble.js';
import type { Transport, TransportOptions } from './transport.js';

/** What every API source's config holds (schema.ts, `apiCommon`). */
export interface ApiSourceSettings {
  name: string;
  fullListingHours: number;
  requestsPerSecond: number;
  timeoutSeconds: number;
  runTimeoutMinutes: number;
  maxRetries: number;
  retryBaseSeconds: number;
  maxDurationMinutes: number;
}

export interface ApiSourceDeps {
  token: string | null;
  clock?: Clock;
}

/** The transport settings of a source, from its config. */
export type TransportSettings = Required<
  Pick<TransportOptions, 'requestsPerSecond' | 'attemptTimeoutMs' | 'runTimeoutMs' | 'maxRetries' | 'baseDelayMs' | 'clock'>
>;

/**
 * The generic API-source driver: the roster, the clock, the token check, the value bounds and
 * the transport's counters, shared by the Notion and Airtable drivers.
 */
export abstract class ApiSource {
  readonly incremental = true;
  readonly name: string;
  readonly fullListingEveryMs: number;
  protected readonly roster: RosterIndex;
  protected readonly clock: Clock;
  protected readonly token: string;
  protected limits: Plausible;
  protected abstract readonly transport: Transport;

  constructor(
    private readonly settings: ApiSourceSettings,
    roster: readonly Person[],
    deps: ApiSourceDeps,
    missingToken: string,
  ) {
    this.name = settings.name;
    this.fullListingEveryMs = settings.fullListingHours * 3600_000;
    this.roster = new RosterIndex(roster);
    this.clock = deps.clock ?? realClock;
    this.limits = plausibleAt(this.clock.now(), settings.maxDurationMinutes);
    if (!deps.token) throw new TouchpointError('source_auth', missingToken);
    this.token = deps.token;
  }

  /** What the client's transport takes from the config. */
  protected transportSettings(): TransportSettings {
    const s = this.settings;
    return {
      requestsPerSecond: s.requestsPerSecond,
      baseDelayMs: s.retryBaseSeconds * 1000,
      attemptTimeoutMs: s.timeoutSeconds * 1000,
      runTimeoutMs: s.runTimeoutMinutes * 60_000,
      maxRetries: s.maxRetries,
      clock: this.clock,
    };
  }

  /** Called at the start of every read: "a year ahead" is counted from now. */
  protected beginRead(): void {
    this.limits = plausibleAt(this.clock.now(), this.settings.maxDurationMinutes);
  }

  stats(): SourceStats {
    return { ...this.transport.stats };
  }

  requestLog(): readonly RequestLogEntry[] {
    return this.transport.log;
  }
}
