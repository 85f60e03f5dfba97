/** Every failure touchpoint reports on purpose; anything else is a bug and prints a stack. */
export const ERROR_CODES = [
  /** The command line asks for something that cannot be: an unknown team, a missing argument. */
  'usage',
  'config_not_found',
  'config_invalid',
  'source_unreadable',
  'source_layout',
  /** The API rejected the credentials (401) or they are missing. */
  'source_auth',
  /** The object is not there or not shared with the integration (403/404). */
  'source_not_found',
  /** The configured id or URL is not one the API accepts. */
  'source_invalid_id',
  /** The database has several data sources and the config does not say which. */
  'source_ambiguous',
  /** Rate limits or server errors outlasted the retries, or the API says retrying will not help. */
  'source_unavailable',
  'deletion_guard',
  'store_failed',
  /** The store file fails SQLite's check or holds data that does not parse. */
  'store_damaged',
  /** Another sync holds the store. */
  'sync_locked',
  'dashboard_unsafe',
  /** A digest could not be sent (SMTP), or SMTP_URL is missing. */
  'digest_failed',
  /** `init` would overwrite a config (without --force). */
  'init_exists',
  /** `init` found no column for the title or the date. */
  'init_incomplete',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A failure with a message written for the person who must act on it. */
export class TouchpointError extends Error {
  override readonly name = 'TouchpointError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** One line per problem, for errors that list several (config). */
    readonly details: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Guard that survives duplicated module instances (checks the shape, not the prototype). */
  static isTouchpointError(error: unknown): error is TouchpointError {
    return error instanceof Error && error.name === 'TouchpointError' && typeof (error as { code?: unknown }).code === 'string';
  }
}
