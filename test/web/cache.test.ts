import { expect, test } from 'vitest';
import request from 'supertest';
import { createApp } from '../../src/web/app.js';
import { parseConfig } from '../../src/config/load.js';
import { interview, person } from '../helpers/interviews.js';
import { seed, workspaceWith } from '../helpers/workspace.js';

const roster = [{ name: 'Ana Ruiz', email: 'ana@acme.example', role: 'pm' }];
const config = { organisation: 'Acme', asOf: '2026-04-02', roster };

test('a kept page is the same page; a config edit or a sync gives a new one, person pages too', async () => {
  const workspace = workspaceWith({
    config,
    interviews: [interview({ id: 'notes:r1', interviewers: [person('ana@acme.example')], startsAt: '2026-03-30T10:00:00.000Z' })],
  });
  const app = createApp({ workspace, token: null });
  const first = (await request(app).get('/').expect(200)).text;
  expect((await request(app).get('/').expect(200)).text).toBe(first);
  expect(first).toContain('Acme');

  workspace.reconfigure({ config: parseConfig({ ...config, organisation: 'Beta Labs', timezone: 'Europe/Berlin' }) });
  const edited = (await request(app).get('/').expect(200)).text;
  expect(edited).toContain('Beta Labs');

  const before = (await request(app).get('/people/ana%40acme.example').expect(200)).text;
  expect((await request(app).get('/people/ana%40acme.example').expect(200)).text).toBe(before);
  expect(before).not.toContain('Second call');
  seed(workspace.store, [
    interview({ id: 'notes:r1', interviewers: [person('ana@acme.example')], startsAt: '2026-03-30T10:00:00.000Z' }),
    interview({ id: 'notes:r2', title: 'Second call', interviewers: [person('ana@acme.example')], startsAt: '2026-04-01T10:00:00.000Z' }),
  ]);
  expect((await request(app).get('/people/ana%40acme.example').expect(200)).text).toContain('Second call');
  // A person page kept for the old data version is not served for the new one.
  expect((await request(app).get('/people/ana%40acme.example').expect(200)).text).not.toBe(before);
});
