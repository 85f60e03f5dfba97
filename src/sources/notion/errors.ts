import { APIResponseError, isNotionClientError } from '@notionhq/client';
import { TouchpointError } from '../../errors.js';
import { TransportError } from '../kit/transport.js';

/** What was being read when a call failed, for a message a person can act on. */
export interface NotionErrorContext {
  source: string;
  /** What the config said (URL or id), shown back as typed. */
  input: string;
  what: 'database' | 'data source' | 'rows' | 'related page';
}

/** The Notion error code of an SDK error, or null. */
export function notionCode(error: unknown): string | null {
  return APIResponseError.isAPIResponseError(error) ? error.code : null;
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
  if (TouchpointError.isTouchpointError(error)) return error;
  if (TransportError.isTransportError(error)) {
    const fail = (message: string) => new TouchpointError('source_unavailable', `${prefix}: ${message}`, [], { cause: error });
    switch (error.kind) {
      case 'invalid_response':
        return fail(
          `Notion (or a proxy in front of it) answered something that is not JSON while reading the ${ctx.what}: ${error.message}. Nothing was changed; run the sync again later, and if it persists check sources[].apiBaseUrl.`,
        );
      case 'wait_too_long':
        return fail(
          `Notion is rate limiting this integration and ${error.message.replace(/^Notion \S+ \S+: /, '')}. Run the sync again later; nothing was changed.`,
        );
      case 'deadline':
        return fail(`${error.message}; the sync stopped there (sources[].runTimeoutMinutes). Nothing was changed.`);
      case 'timeout':
      case 'network':
        return fail(`could not read the ${ctx.what} from Notion: ${error.message}. Check the connection or sources[].apiBaseUrl; nothing was changed.`);
      case 'http':
        return fail(`Notion answered ${error.message} while reading the ${ctx.what}. Nothing was changed; run the sync again later.`);
    }
  }
  if (APIResponseError.isAPIResponseError(error)) {
    switch (error.code) {
      case 'unauthorized':
        return new TouchpointError(
          'source_auth',
          `${prefix}: Notion rejected the token (401). Set NOTION_TOKEN to the secret of an internal integration (Settings → Connections → Develop or manage integrations) in the environment or .env.${request(error)}`,
          [],
          { cause: error },
        );
      case 'restricted_resource':
        return new TouchpointError(
          'source_auth',
          `${prefix}: the integration may not read content (403). In the integration's settings, enable "Read content" and "Read user information including email addresses".${request(error)}`,
          [],
          { cause: error },
        );
      case 'object_not_found':
        return new TouchpointError(
          'source_not_found',
          `${prefix}: Notion cannot find the ${ctx.what === 'rows' ? 'database' : ctx.what} "${ctx.input}". Either it is not shared with the integration — open the database in Notion, "•••" menu → Connections → add your integration — or the id is wrong (use the original database, not a linked view).${request(error)}`,
          [],
          { cause: error },
        );
      case 'validation_error':
        if (ctx.what === 'rows' || ctx.what === 'related page') {
          return new TouchpointError(
            'source_unavailable',
            `${prefix}: Notion rejected a request for the ${ctx.what === 'rows' ? 'rows' : 'related pages'}: ${error.message} Nothing was changed; run the sync again.${request(error)}`,
            [],
            { cause: error },
          );
        }
        return new TouchpointError(
          'source_invalid_id',
          `${prefix}: Notion did not accept "${ctx.input}" as an id: ${error.message} Paste the database URL from the browser (https://www.notion.so/…-<32 hex characters>?v=…) or its 32-character id.${request(error)}`,
          [],
          { cause: error },
        );
      case 'rate_limited':
        return new TouchpointError(
          'source_unavailable',
          `${prefix}: Notion kept rate limiting the requests${(error.additional_data as { rate_limit_reason?: string } | undefined)?.rate_limit_reason === 'public_api_request_blocked' ? ' and says retrying will not help: contact Notion support' : ''}. Nothing was changed; run the sync again later.${request(error)}`,
          [],
          { cause: error },
        );
      default:
        return new TouchpointError(
          'source_unavailable',
          `${prefix}: Notion answered ${error.status} ${error.code} while reading the ${ctx.what}, after retries. Nothing was changed; run the sync again later.${request(error)}`,
          [],
          { cause: error },
        );
    }
  }
  if (isNotionClientError(error)) {
    return new TouchpointError('source_unavailable', `${prefix}: ${error.message} while reading the ${ctx.what}. Nothing was changed.`, [], { cause: error });
  }
  throw error; // a bug, not a known failure: the stack is wanted
}
