import { TouchpointError } from '../../errors.js';
import { RetryAfterTooLong } from '../shared/http.js';
import { AirtableApiError } from './client.js';

export interface AirtableErrorContext {
  source: string;
  baseId: string;
  table: string;
  what: 'schema' | 'rows';
}

/** Turn an Airtable failure into a TouchpointError that says what to do; never names the token. */
export function toTouchpointError(error: unknown, ctx: AirtableErrorContext): TouchpointError {
  if (TouchpointError.isTouchpointError(error)) return error;
  const prefix = `Source "${ctx.source}" (Airtable)`;
  if (error instanceof RetryAfterTooLong) {
    return new TouchpointError('source_unavailable', `${prefix}: ${error.message}. Run the sync again later; nothing was changed.`, [], { cause: error });
  }
  if (!(error instanceof AirtableApiError)) return error as TouchpointError;
  const where = `base ${ctx.baseId}, table "${ctx.table}"`;
  switch (error.type) {
    case 'AUTHENTICATION_REQUIRED':
      return new TouchpointError('source_auth', `${prefix}: Airtable rejected the token (401). Set AIRTABLE_TOKEN to a personal access token (pat…) with the scopes data.records:read and schema.bases:read, in the environment or .env.`, [], { cause: error });
    case 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND':
    case 'NOT_AUTHORIZED':
      return new TouchpointError(
        'source_not_found',
        `${prefix}: Airtable refused ${where} (403). Either the token cannot read it — add the base to the token's access list and give it data.records:read and schema.bases:read (airtable.com/create/tokens) — or the base id or table name is wrong (names are case-sensitive; the table id tbl… survives renames).`,
        [],
        { cause: error },
      );
    case 'NOT_FOUND':
      return new TouchpointError('source_not_found', `${prefix}: Airtable found no ${where} (404). Check sources[].baseId and sources[].table.`, [], { cause: error });
    case 'UNKNOWN_FIELD_NAME':
      return new TouchpointError('source_layout', `${prefix}: ${error.message} — check the mapping and sources[].lastModifiedField against the table's fields.`, [], { cause: error });
    case 'INVALID_FILTER_BY_FORMULA':
      return new TouchpointError('source_layout', `${prefix}: Airtable rejected the incremental filter: ${error.message}. Check sources[].lastModifiedField (it must be a "Last modified time" field).`, [], { cause: error });
    case 'PUBLIC_API_BILLING_LIMIT_EXCEEDED':
      return new TouchpointError(
        'source_unavailable',
        `${prefix}: the workspace's monthly Airtable API quota is used up (PUBLIC_API_BILLING_LIMIT_EXCEEDED). Retrying will not help: syncing works again when the quota resets next month or the workspace's plan is upgraded. Nothing was changed.`,
        [],
        { cause: error },
      );
    case 'RATE_LIMIT_REACHED':
    case 'TOO_MANY_REQUESTS':
      return new TouchpointError('source_unavailable', `${prefix}: Airtable kept answering 429 (rate limit) after waiting out its 30-second penalty. Another client may be using the same base; run the sync again later. Nothing was changed.`, [], { cause: error });
    case 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE':
      return new TouchpointError('source_unavailable', `${prefix}: Airtable expired the listing twice in a row (LIST_RECORDS_ITERATOR_NOT_AVAILABLE). Run the sync again; nothing was changed.`, [], { cause: error });
    case 'TIMEOUT':
    case 'NETWORK':
      return new TouchpointError('source_unavailable', `${prefix}: ${error.message} while reading the ${ctx.what}, after retries. Check the connection or sources[].endpointUrl; nothing was changed.`, [], { cause: error });
    default:
      return new TouchpointError('source_unavailable', `${prefix}: Airtable answered ${error.status ?? ''} ${error.type}: ${error.message} (reading the ${ctx.what}, after retries). Nothing was changed.`, [], { cause: error });
  }
}
