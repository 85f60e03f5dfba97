/** Every failure touchpoint reports on purpose; anything else is a bug and prints a stack. */
export const ERROR_CODES = [
  'config_not_found',
  'config_invalid',
  'source_unreadable',
  'source_layout',
  'deletion_guard',
  'store_failed',
  'dashboard_unsafe',
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
    return (
      error instanceof Error &&
      error.name === 'TouchpointError' &&
      typeof (error as { code?: unknown }).code === 'string'
    );
  }
}
