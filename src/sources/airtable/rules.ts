import type { ApiRules } from '../kit/transport.js';

/** Airtable's documented penalty after a 429: no request succeeds for 30 seconds (docs/sources.md). */
export const RATE_LIMIT_PENALTY_MS = 30_000;

/** The error types in every body shape Airtable uses: `{error:{type}}`, `{error:"TYPE"}`, `{errors:[{error}]}`. */
export function errorTypes(body: unknown): string[] {
  const b = body as { error?: unknown; errors?: unknown };
  const types: unknown[] = [];
  if (typeof b.error === 'string') types.push(b.error);
  else if (b.error && typeof b.error === 'object') types.push((b.error as { type?: unknown }).type);
  if (Array.isArray(b.errors)) for (const e of b.errors) types.push((e as { error?: unknown } | null)?.error);
  return types.filter((t): t is string => typeof t === 'string');
}

/**
 * What Airtable's answers mean for a retry. The monthly quota is a 429 too, but it does not
 * come back in 30 seconds: it fails at once and says what it is.
 */
export const AIRTABLE_RULES: ApiRules = {
  api: 'Airtable',
  errorCodes: errorTypes,
  rules: [
    { status: 429, code: 'PUBLIC_API_BILLING_LIMIT_EXCEEDED', then: 'fail' },
    { status: 429, then: 'wait', waitMs: RATE_LIMIT_PENALTY_MS },
    { status: '5xx', then: 'backoff' },
  ],
};
