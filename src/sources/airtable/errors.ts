import { TouchpointError } from '../../errors.js';
import { TransportError } from '../kit/transport.js';

export interface AirtableErrorContext {
  source: string;
  baseId: string;
  table: string;
  what: 'schema' | 'rows';
}

/** Turn a transport failure into a TouchpointError that says what to do; never names the token. */
export function toTouchpointError(error: unknown, ctx: AirtableErrorContext): TouchpointError {
  if (TouchpointError.isTouchpointError(error)) return error;
  if (!TransportError.isTransportError(error)) throw error; // a bug, not a known failure: the stack is wanted
  const prefix = `Source "${ctx.source}" (Airtable)`;
  const where = `base ${ctx.baseId}, table "${ctx.table}"`;
  const unchanged = 'Nothing was changed.';
  const fail = (code: ConstructorParameters<typeof TouchpointError>[0], message: string) =>
    new TouchpointError(code, `${prefix}: ${message}`, [], { cause: error });
  switch (error.kind) {
    case 'invalid_response':
      return fail(
        'source_unavailable',
        `Airtable (or a proxy in front of it) answered something that is not JSON while reading the ${ctx.what}: ${error.message}. ${unchanged} Run the sync again later; if it persists, check sources[].endpointUrl.`,
      );
    case 'timeout':
    case 'network':
      return fail(
        'source_unavailable',
        `could not read the ${ctx.what} from Airtable: ${error.message}. Check the connection or sources[].endpointUrl; ${unchanged.toLowerCase()}`,
      );
    case 'deadline':
      return fail('source_unavailable', `${error.message}; the sync stopped there (sources[].runTimeoutMinutes). ${unchanged}`);
    case 'wait_too_long':
      return fail('source_unavailable', `${error.message}. Run the sync again later; ${unchanged.toLowerCase()}`);
    case 'http':
      break;
  }
  const type = error.codes[0] ?? `HTTP_${error.status}`;
  const detail = airtableMessage(error.response?.json) ?? type;
  switch (error.status === 401 ? 'AUTHENTICATION_REQUIRED' : type) {
    case 'AUTHENTICATION_REQUIRED':
      return fail(
        'source_auth',
        'Airtable rejected the token (401). Set AIRTABLE_TOKEN to a personal access token (pat…) with the scopes data.records:read and schema.bases:read, in the environment or .env.',
      );
    case 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND':
    case 'NOT_AUTHORIZED':
      return fail(
        'source_not_found',
        `Airtable refused ${where} (403). Either the token cannot read it — add the base to the token's access list and give it data.records:read and schema.bases:read (airtable.com/create/tokens) — or the base id or table name is wrong (names are case-sensitive; the table id tbl… survives renames).`,
      );
    case 'NOT_FOUND':
      return fail('source_not_found', `Airtable found no ${where} (404). Check sources[].baseId and sources[].table.`);
    case 'UNKNOWN_FIELD_NAME':
      return fail('source_layout', `${detail} — check the mapping and sources[].lastModifiedField against the table's fields.`);
    case 'INVALID_FILTER_BY_FORMULA':
      return fail(
        'source_layout',
        `Airtable rejected the incremental filter: ${detail}. Check sources[].lastModifiedField (it must be a "Last modified time" field).`,
      );
    case 'PUBLIC_API_BILLING_LIMIT_EXCEEDED':
      return fail(
        'source_unavailable',
        `the workspace's monthly Airtable API quota is used up (PUBLIC_API_BILLING_LIMIT_EXCEEDED). Retrying will not help: syncing works again when the quota resets next month or the workspace's plan is upgraded. ${unchanged}`,
      );
    case 'RATE_LIMIT_REACHED':
    case 'TOO_MANY_REQUESTS':
      return fail(
        'source_unavailable',
        `Airtable kept answering 429 (rate limit) after waiting out its 30-second penalty. Another client may be using the same base; run the sync again later. ${unchanged}`,
      );
    case 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE':
      return fail(
        'source_unavailable',
        `Airtable expired the listing twice in a row (LIST_RECORDS_ITERATOR_NOT_AVAILABLE). Run the sync again; ${unchanged.toLowerCase()}`,
      );
    default:
      return fail(
        'source_unavailable',
        `Airtable answered ${error.status} ${type}: ${detail} (reading the ${ctx.what}, after ${error.attempts} attempt${error.attempts === 1 ? '' : 's'}). ${unchanged}`,
      );
  }
}

/** The message in either error shape, if there is one. */
function airtableMessage(body: unknown): string | null {
  const b = body as { error?: { message?: unknown }; errors?: Array<{ message?: unknown }> } | null | undefined;
  const message = (b?.error && typeof b.error === 'object' ? b.error.message : undefined) ?? b?.errors?.[0]?.message;
  return typeof message === 'string' ? message : null;
}
