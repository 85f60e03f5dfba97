import { APIResponseError, isNotionClientError } from '@notionhq/client';
import { TouchpointError } from '../../errors.js';
import { RetryAfterTooLong } from '../shared/http.js';

/** What was being read when a call failed, for a message a person can act on. */
export interface NotionErrorContext {
  source: string;
  /** What the config said (URL or id), shown back as typed. */
  input: string;
  what: 'database' | 'data source' | 'rows' | 'related page';
}

const request = (error: unknown) => {
  const id = (error as { request_id?: string }).request_id;
  return id ? ` (Notion request id ${id})` : '';
};

/**
 * Turn an SDK or transport failure into a TouchpointError that says what to do. Messages name
 * the variable to fix, never its value: the token is not in any of them.
 */
export function toTouchpointError(error: unknown, ctx: NotionErrorContext): TouchpointError {
  const prefix = `Source "${ctx.source}" (Notion)`;
  if (error instanceof RetryAfterTooLong) {
    return new TouchpointError('source_unavailable', `${prefix}: Notion is rate limiting this integration and ${error.message}. Run the sync again later; nothing was changed.`, [], { cause: error });
  }
  if (APIResponseError.isAPIResponseError(error)) {
    switch (error.code) {
      case 'unauthorized':
        return new TouchpointError('source_auth', `${prefix}: Notion rejected the token (401). Set NOTION_TOKEN to the secret of an internal integration (Settings → Connections → Develop or manage integrations) in the environment or .env.${request(error)}`, [], { cause: error });
      case 'restricted_resource':
        return new TouchpointError('source_auth', `${prefix}: the integration may not read content (403). In the integration's settings, enable "Read content" and "Read user information including email addresses".${request(error)}`, [], { cause: error });
      case 'object_not_found':
        return new TouchpointError(
          'source_not_found',
          `${prefix}: Notion cannot find the ${ctx.what === 'rows' ? 'database' : ctx.what} "${ctx.input}". Either it is not shared with the integration — open the database in Notion, "•••" menu → Connections → add your integration — or the id is wrong (use the original database, not a linked view).${request(error)}`,
          [],
          { cause: error },
        );
      case 'validation_error':
        return new TouchpointError(
          'source_invalid_id',
          `${prefix}: Notion did not accept "${ctx.input}" as an id: ${error.message} Paste the database URL from the browser (https://www.notion.so/…-<32 hex characters>?v=…) or its 32-character id.${request(error)}`,
          [],
          { cause: error },
        );
      case 'rate_limited':
        return new TouchpointError('source_unavailable', `${prefix}: Notion kept rate limiting the requests${(error.additional_data as { rate_limit_reason?: string } | undefined)?.rate_limit_reason === 'public_api_request_blocked' ? ' and says retrying will not help: contact Notion support' : ''}. Nothing was changed; run the sync again later.${request(error)}`, [], { cause: error });
      default:
        return new TouchpointError('source_unavailable', `${prefix}: Notion answered ${error.status} ${error.code} while reading the ${ctx.what}, after retries. Nothing was changed; run the sync again later.${request(error)}`, [], { cause: error });
    }
  }
  if (isNotionClientError(error)) {
    return new TouchpointError('source_unavailable', `${prefix}: ${error.message} while reading the ${ctx.what}, after retries. Nothing was changed.`, [], { cause: error });
  }
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError' || error instanceof TypeError) {
    return new TouchpointError('source_unavailable', `${prefix}: could not reach Notion (${name === 'TypeError' || error instanceof TypeError ? 'network error' : 'timed out'}) after retries. Check the connection or sources[].apiBaseUrl; nothing was changed.`, [], { cause: error });
  }
  if (TouchpointError.isTouchpointError(error)) return error;
  return error as TouchpointError;
}
