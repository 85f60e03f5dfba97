import type { ApiRules } from '../kit/transport.js';

/**
 * What Notion's answers mean for a retry (docs/sources.md, "Notion rate limits"). A 429 is a
 * wait (`Retry-After`, repeated in `additional_data.retry_after`) unless Notion says retrying
 * will not help; 529 is an overload to wait out the same way; every 5xx is retried, the query
 * included: it is a POST, but a read, safe to repeat.
 */
export const NOTION_RULES: ApiRules = {
  api: 'Notion',
  errorCodes: (body) => {
    const b = body as { code?: unknown; additional_data?: { rate_limit_reason?: unknown } };
    return [b.code, b.additional_data?.rate_limit_reason].filter((c): c is string => typeof c === 'string');
  },
  retryAfter: (body) => {
    const value = (body as { additional_data?: { retry_after?: unknown } }).additional_data?.retry_after;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  },
  rules: [
    { status: 429, code: 'public_api_request_blocked', then: 'fail' },
    { status: 429, then: 'wait' },
    { status: 529, then: 'wait' },
    { status: '5xx', then: 'backoff' },
  ],
};
