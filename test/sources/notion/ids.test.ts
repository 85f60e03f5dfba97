import { describe, expect, test } from 'vitest';
import { notionIdFrom } from '../../../src/sources/notion/ids.js';
import { classify } from '../../../src/sources/notion/client.js';
import { APIResponseError, RequestTimeoutError } from '@notionhq/client';
import { IDS } from '../../fakes/notion.js';

describe('notionIdFrom', () => {
  test.each([
    [IDS.database_url, IDS.database_id],
    ['9dfb369bab1380aea27655daa05f1119', IDS.database_id],
    ['9DFB369B-AB13-80AE-A276-55DAA05F1119', IDS.database_id],
    // A peeked row (&p=) in a URL without a title slug: the database id still wins.
    ['https://www.notion.so/northwind-labs/9dfb369bab1380aea27655daa05f1119?v=3bce1484b0ae80bbb96a149cb6340e6b&p=1e527ff9160e80a489f1c7e23916e1df&pm=s', IDS.database_id],
    ['notion://www.notion.so/Customer-Interviews-9dfb369bab1380aea27655daa05f1119', IDS.database_id],
    ['  https://www.notion.so/9dfb369bab1380aea27655daa05f1119  ', IDS.database_id],
  ])('%s', (input, id) => {
    expect(notionIdFrom(input)).toBe(id);
  });

  test.each(['Customer-Interviews', 'https://www.notion.so/northwind-labs/Customer-Interviews', '9dfb369b', ''])('%j is not an id', (input) => {
    expect(notionIdFrom(input)).toBeNull();
  });
});

describe('retry classification', () => {
  const apiError = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    new APIResponseError({ code: body['code'] as never, status, message: String(body['message']), headers: new Headers(headers) as never, rawBodyText: JSON.stringify(body), additional_data: body['additional_data'] as never, request_id: undefined });

  test.each([
    ['429 with Retry-After', apiError(429, { code: 'rate_limited', message: 'x', additional_data: { retry_after: '27' } }, { 'retry-after': '27' }), { retry: 'after', ms: 27_000 }],
    ['429 with the wait only in the body', apiError(429, { code: 'rate_limited', message: 'x', additional_data: { retry_after: '5' } }), { retry: 'after', ms: 5000 }],
    ['429 blocked: retrying will not help', apiError(429, { code: 'rate_limited', message: 'x', additional_data: { rate_limit_reason: 'public_api_request_blocked' } }), { retry: 'no' }],
    ['529 overload', apiError(529, { code: 'service_overload', message: 'x' }), { retry: 'after', ms: null }],
    ['503 on the query', apiError(503, { code: 'service_unavailable', message: 'x' }), { retry: 'backoff' }],
    ['504', apiError(504, { code: 'gateway_timeout', message: 'x' }), { retry: 'backoff' }],
    ['404', apiError(404, { code: 'object_not_found', message: 'x' }), { retry: 'no' }],
    ['401', apiError(401, { code: 'unauthorized', message: 'x' }), { retry: 'no' }],
    ['SDK timeout', new RequestTimeoutError(), { retry: 'backoff' }],
    ['aborted fetch', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), { retry: 'backoff' }],
    ['refused connection', new TypeError('fetch failed'), { retry: 'backoff' }],
    ['a bug', new RangeError('nope'), { retry: 'no' }],
  ])('%s', (_name, error, verdict) => {
    expect(classify(error, 0)).toEqual(verdict);
  });
});
