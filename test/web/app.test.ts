import { describe, expect, test } from 'vitest';
import request from 'supertest';
import { createApp } from '../../src/web/app.js';
import { listen, isLoopback } from '../../src/web/server.js';
import { Workspace } from '../../src/workspace.js';
import { Store } from '../../src/store/store.js';
import { parseConfig } from '../../src/config/load.js';
import type { Finding } from '../../src/model/finding.js';
import { interview, person } from '../helpers/interviews.js';

const XSS = '<img src=x onerror=alert(1)>';

function workspace(options: { demo?: boolean } = {}) {
  const config = parseConfig({
    organisation: 'Acme & Co',
    timezone: 'Europe/Berlin',
    asOf: '2026-04-01',
    roster: [
      { name: 'Pat Lee', email: 'pat@co.example', role: 'pm', team: 'Core' },
      { name: 'Kim Ortiz', email: 'kim@co.example', role: 'pm', team: 'Growth' },
      { name: XSS, email: 'x@co.example', role: 'pm', team: 'Growth' },
    ],
  });
  const store = Store.open(':memory:');
  const finding: Finding = { code: 'unmapped_value', severity: 'warning', source: 'notes', recordId: 'r9', field: 'Status', value: XSS, url: 'javascript:alert(1)', row: 9 };
  store.commitRun({
    source: 'notes',
    startedAt: '2026-04-01T08:00:00.000Z',
    finishedAt: '2026-04-01T08:00:01.000Z',
    upserts: [
      { interview: interview({ id: 'notes:r1', startsAt: '2026-03-24T10:00:00.000Z', durationMinutes: 120 }), hash: 'a' },
      { interview: interview({ id: 'notes:r2', startsAt: '2026-03-25T10:00:00.000Z', interviewers: [person('kim@co.example')], title: XSS }), hash: 'b' },
    ],
    deletes: [],
    findings: { replace: 'all', items: [finding] },
    state: { bookmark: null, lastFullAt: null, memo: null },
    report: { source: 'notes', listing: 'full', read: 2, created: 2, updated: 0, unchanged: 0, deleted: 0, findings: 1 },
  });
  return new Workspace(config, store, { demo: options.demo ?? false });
}

describe('overview', () => {
  test('GET / shows the PM × week grid, the summary and the findings', async () => {
    const res = await request(createApp({ workspace: workspace(), token: null })).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Pat Lee');
    expect(res.text).toContain('Kim Ortiz');
    expect(res.text).toContain('As of 1 Apr 2026');
    expect(res.text).toMatch(/PMs on target last week[\s\S]*?1 <span class="of">of 3<\/span>/);
    expect(res.text.match(/<td class="cell /g)).toHaveLength(3 * 12);
    expect(res.text).toContain('title="Pat Lee, 2026-W13: 1 conversation, 2 h, target met"');
    expect(res.text).toContain('Acme &amp; Co');
    expect(res.text).not.toContain('Demo data.');
  });

  test('source values and names are escaped, and only http(s) links are followed', async () => {
    const res = await request(createApp({ workspace: workspace(), token: null })).get('/').expect(200);
    expect(res.text).not.toContain(XSS);
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.text).not.toContain('href="javascript:');
  });

  test('?team= filters the grid to that team; an unknown team shows everyone', async () => {
    const app = createApp({ workspace: workspace(), token: null });
    const growth = await request(app).get('/?team=Growth').expect(200);
    expect(growth.text).toContain('Kim Ortiz');
    expect(growth.text).not.toContain('Pat Lee');
    const unknown = await request(app).get('/?team=Nope').expect(200);
    expect(unknown.text).toContain('Pat Lee');
  });

  test('demo mode says so on the page', async () => {
    const res = await request(createApp({ workspace: workspace({ demo: true }), token: null })).get('/').expect(200);
    expect(res.text).toContain('Demo data.');
  });

  test('GET /api/v1/overview returns the same figures as JSON', async () => {
    const res = await request(createApp({ workspace: workspace(), token: null })).get('/api/v1/overview?team=Core').expect(200);
    expect(res.body).toMatchObject({ asOf: '2026-04-01', timezone: 'Europe/Berlin', team: 'Core', findings: 1, onTargetLastWeek: { met: 1, of: 1 } });
    expect(res.body.weeks).toHaveLength(12);
    expect(res.body.people.map((p: { name: string }) => p.name)).toEqual(['Pat Lee']);
  });

  test('security headers: a strict CSP and no x-powered-by', async () => {
    const res = await request(createApp({ workspace: workspace(), token: null })).get('/').expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('health, static files and errors', () => {
  test('GET /healthz', async () => {
    const res = await request(createApp({ workspace: workspace(), token: null })).get('/healthz').expect(200);
    expect(res.body).toEqual({ ok: true, dataVersion: 1 });
  });

  test('the stylesheet is served', async () => {
    await request(createApp({ workspace: workspace(), token: null })).get('/static/app.css').expect(200).expect('content-type', /css/);
  });

  test('unknown paths are a 404 page, or JSON for API clients', async () => {
    const app = createApp({ workspace: workspace(), token: null });
    const html = await request(app).get('/nope').set('Accept', 'text/html').expect(404);
    expect(html.text).toContain('There is no page at <code>/nope</code>');
    const json = await request(app).get('/api/v1/nope').set('Accept', 'application/json').expect(404);
    expect(json.body).toEqual({ error: 'not_found', path: '/api/v1/nope' });
  });

  test('a failing page is a 500 without a stack trace', async () => {
    const ws = workspace();
    ws.metrics = () => {
      throw new Error('secret internals');
    };
    const res = await request(createApp({ workspace: ws, token: null })).get('/').set('Accept', 'text/html').expect(500);
    expect(res.text).toContain('Something went wrong');
    expect(res.text).not.toContain('secret internals');
  });
});

describe('auth with DASHBOARD_TOKEN', () => {
  const token = 's3cret-token-value';

  test('pages redirect to the login form; API calls get 401', async () => {
    const app = createApp({ workspace: workspace(), token });
    await request(app).get('/').set('Accept', 'text/html').expect(303).expect('location', '/login?next=%2F');
    const api = await request(app).get('/api/v1/overview').set('Accept', 'application/json').expect(401);
    expect(api.body.error).toBe('unauthorized');
    await request(app).get('/healthz').expect(200);
  });

  test('a bearer token is accepted; a wrong one is rejected', async () => {
    const app = createApp({ workspace: workspace(), token });
    await request(app).get('/api/v1/overview').set('Authorization', `Bearer ${token}`).expect(200);
    await request(app).get('/api/v1/overview').set('Authorization', 'Bearer wrong').set('Accept', 'application/json').expect(401);
  });

  test('the login form sets an HttpOnly SameSite cookie that opens the pages', async () => {
    const app = createApp({ workspace: workspace(), token });
    const form = await request(app).get('/login?next=/%3Fteam%3DCore').expect(200);
    expect(form.text).toContain('name="next" value="/?team=Core"');
    const bad = await request(app).post('/login').type('form').send({ token: 'wrong', next: '/' }).expect(401);
    expect(bad.text).toContain('That token is not right.');
    const ok = await request(app).post('/login').type('form').send({ token, next: '//evil.example' }).expect(303).expect('location', '/');
    const cookie = ok.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(token);
    await request(app).get('/').set('Cookie', cookie.split(';')[0]!).expect(200);
  });
});

describe('listen', () => {
  test.each([['127.0.0.1', true], ['localhost', true], ['::1', true], ['0.0.0.0', false], ['192.168.1.5', false]])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  test('refuses a non-loopback interface without a token', async () => {
    const app = createApp({ workspace: workspace(), token: null });
    await expect(listen(app, { host: '0.0.0.0', port: 0, token: null })).rejects.toMatchObject({ code: 'dashboard_unsafe', message: expect.stringContaining('DASHBOARD_TOKEN') });
  });

  test('serves on 127.0.0.1', async () => {
    const server = await listen(createApp({ workspace: workspace(), token: null }), { host: '127.0.0.1', port: 0, token: null });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.json()).toEqual({ ok: true, dataVersion: 1 });
    await new Promise((resolve) => server.close(resolve));
  });
});
