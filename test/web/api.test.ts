import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import request from 'supertest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createApp } from '../../src/web/app.js';
import { openApiDocument } from '../../src/web/api.js';
import { PAGES } from '../../src/web/pages.js';
import { VERSION } from '../../src/version.js';
import { loadConfig } from '../../src/config/load.js';
import { Store } from '../../src/store/store.js';
import { syncAll } from '../../src/app/sync.js';
import { Workspace } from '../../src/app/workspace.js';

const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;

async function demoApp() {
  const { config } = loadConfig('examples/demo/touchpoint.config.yaml');
  const store = Store.open(':memory:');
  await syncAll(config, store);
  return createApp({ workspace: new Workspace(config, store, { demo: true }), token: null });
}

/** One ajv for the committed document (compiling it again per test cost a tenth of a second each). */
let shared: Ajv2020 | null = null;
function documentAjv(): Ajv2020 {
  if (!shared) {
    shared = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(shared);
    shared.addSchema({ ...committed, $id: 'openapi' }, 'openapi');
  }
  return shared;
}

/** A validator for the response schema of one operation in the committed document. */
function responseValidator(path: string, status = '200') {
  const ajv = documentAjv();
  const operation = (
    committed['paths'] as Record<string, { get: { responses: Record<string, { content: { 'application/json': { schema: { $ref: string } } } }> } }>
  )[path]!.get;
  const ref = operation.responses[status]!.content['application/json'].schema.$ref;
  return ajv.compile({ $ref: `openapi${ref}` });
}

describe('the OpenAPI document of /api/v1', () => {
  test('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(openApiDocument(VERSION));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('is committed up to date (npm run openapi) and served at /api/v1/openapi.json', async () => {
    expect(openApiDocument(VERSION)).toEqual(committed);
    const res = await request(await demoApp())
      .get('/api/v1/openapi.json')
      .expect(200);
    expect(res.body).toEqual(committed);
  });

  test('documents every /api/v1 route of the route table', () => {
    const documented = Object.keys(committed['paths'] as object);
    expect(documented).toEqual(
      expect.arrayContaining([...PAGES.map((p) => `/api/v1/${p.name}`), '/api/v1/people/{email}', '/api/v1/conversations', '/api/v1/openapi.json']),
    );
  });
});

describe('every /api/v1 response validates against it', async () => {
  const app = await demoApp();
  test.each(PAGES.flatMap((p) => [`/api/v1/${p.name}`, `/api/v1/${p.name}?team=Growth&window=30`, `/api/v1/${p.name}?source=demo`]))('%s', async (url) => {
    const validate = responseValidator(url.split('?')[0]!);
    const res = await request(app).get(url).set('Accept', 'application/json').expect(200);
    validate(res.body);
    expect(validate.errors ?? []).toEqual([]);
  });

  test.each(['/api/v1/people/amara.okafor%40northwind.example', '/api/v1/people/priya.raman%40northwind.example?window=30'])('%s', async (url) => {
    const validate = responseValidator('/api/v1/people/{email}');
    const res = await request(app).get(url).set('Accept', 'application/json').expect(200);
    expect(res.body.recent.length).toBeGreaterThan(0);
    validate(res.body);
    expect(validate.errors ?? []).toEqual([]);
  });

  test.each([
    '/api/v1/conversations',
    '/api/v1/conversations?window=all&callType=all&page=2',
    '/api/v1/conversations?team=Growth&segment=Enterprise&window=30',
  ])('%s', async (url) => {
    const validate = responseValidator('/api/v1/conversations');
    const res = await request(app).get(url).set('Accept', 'application/json').expect(200);
    expect(res.body.total).toBeGreaterThan(0);
    validate(res.body);
    expect(validate.errors ?? []).toEqual([]);
  });

  test('a response that breaks the contract is caught (the check can fail)', () => {
    const validate = responseValidator('/api/v1/coverage');
    expect(validate({ asOf: 'yesterday', timezone: 'UTC', filters: {}, data: {}, tables: {} })).toBe(false);
  });
});
