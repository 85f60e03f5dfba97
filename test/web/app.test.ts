import { describe, expect, test } from 'vitest';
import request from 'supertest';
import { get } from 'node:http';
import { createApp } from '../../src/web/app.js';
import { columnChart, rowChart } from '../../src/web/charts.js';
import { listen, isLoopback } from '../../src/web/server.js';
import { startLoopWindow } from '../../src/web/loop.js';
import { Workspace } from '../../src/app/workspace.js';
import { Store } from '../../src/store/store.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { syncAll } from '../../src/app/sync.js';
import type { Finding } from '../../src/model/finding.js';
import { TouchpointError } from '../../src/errors.js';
import type { Interview } from '../../src/model/interview.js';
import { interview, person } from '../helpers/interviews.js';

const XSS = '<img src=x onerror=alert(1)>';

/** A small organisation: two teams, two sources (or those of `sources`), every area with something in it. */
function workspace(options: { demo?: boolean; sources?: string[] } = {}) {
  const config = parseConfig({
    organisation: 'Acme & Co',
    timezone: 'Europe/Berlin',
    asOf: '2026-04-01',
    roster: [
      { name: 'Pat Lee', email: 'pat@co.example', role: 'pm', team: 'Core' },
      { name: 'Kim Ortiz', email: 'kim@co.example', role: 'pm', team: 'Growth' },
      { name: XSS, email: 'x@co.example', role: 'pm', team: 'Growth' },
    ],
    targets: { segmentMix: { Enterprise: 1, SMB: 1 } },
    sources: [
      { name: 'notes', kind: 'csv', path: 'notes.csv', mapping: { title: 'Name', startsAt: 'Date' } },
      { name: 'sheet', kind: 'csv', path: 'sheet.csv', mapping: { title: 'Name', startsAt: 'Date' } },
    ].filter((s) => !options.sources || options.sources.includes(s.name)),
  });
  const store = Store.open(':memory:');
  const rows: Interview[] = [
    interview({
      id: 'notes:r1',
      startsAt: '2026-03-24T10:00:00.000Z',
      durationMinutes: 120,
      study: 'Onboarding',
      tags: ['sso', '=HYPERLINK("http://evil.example","x")', '@SUM(A1)', '-2+3'],
      account: 'Acme',
      followUps: { due: '2026-03-25', done: false, text: 'Send the SSO date' },
      tldr: 'They want SSO.',
      notesUrl: 'https://docs.example/r1',
    }),
    interview({
      id: 'notes:r2',
      startsAt: '2026-03-25T10:00:00.000Z',
      interviewers: [person('kim@co.example')],
      title: XSS,
      segment: XSS,
      tags: [XSS],
      tldr: XSS,
      notesUrl: 'javascript:alert(1)',
    }),
    interview({ id: 'sheet:s1', startsAt: '2026-03-26T10:00:00.000Z', interviewers: [person('kim@co.example')], segment: 'SMB', account: 'Birch' }),
  ];
  const findings: Finding[] = [
    { code: 'unmapped_value', severity: 'warning', source: 'notes', recordId: 'r9', field: 'Status', value: XSS, url: 'javascript:alert(1)', row: 9 },
    {
      code: 'unmapped_value',
      severity: 'warning',
      source: 'notes',
      recordId: 'r8',
      field: 'Status',
      value: '=HYPERLINK("http://evil.example","x")',
      url: 'https://notion.so/r8',
      row: 8,
    },
  ];
  const commit = (source: string, items: Interview[], f: Finding[]) =>
    store.commitRun({
      source,
      startedAt: '2026-04-01T08:00:00.000Z',
      finishedAt: '2026-04-01T08:00:01.000Z',
      upserts: items.map((i) => ({ interview: i, hash: i.id })),
      deletes: [],
      findings: { replace: 'all', items: f },
      state: { bookmark: null, lastFullAt: '2026-04-01T08:00:00.000Z', memo: null },
      report: {
        source,
        listing: 'full',
        read: items.length,
        created: items.length,
        updated: 0,
        unchanged: 0,
        deleted: 0,
        findings: f.length,
        excluded: 0,
        offRoster: [],
        requests: 0,
        retries: 0,
        waitedMs: 0,
        durationMs: 1000,
        startedAt: '2026-04-01T08:00:00.000Z',
      },
    });
  commit('notes', rows.slice(0, 2), findings);
  commit('sheet', rows.slice(2), []);
  return new Workspace(config, store, { demo: options.demo ?? false });
}

const app = (token: string | null = null, options: { demo?: boolean } = {}) => createApp({ workspace: workspace(options), token });

describe('pages', () => {
  test.each([
    ['/', ['Are we talking to customers?', 'PMs on target last week', 'Hours with customers, per PM and week', 'What needs attention']],
    ['/people', ['Everyone on the roster', 'Practice quality, last 90 days', 'Kim Ortiz']],
    ['/coverage', ['Whom do we hear from?', 'Gaps in whom we hear from', 'Conversations per PM and segment', 'Conversations by segment']],
    ['/studies', ['How much evidence do our studies have?', 'Onboarding', 'anecdotal']],
    ['/follow-ups', ['Promises to customers', 'Open promises, oldest first', '7 d']],
    ['/accounts', ['Are we asking the same customers too often?', 'The ten most heard accounts', 'Birch']],
    ['/themes', ['What are we hearing?', 'Tags, this window against the one before', 'sso']],
    [
      '/data-quality',
      ['Data quality', 'Setup checklist', 'with a value touchpoint does not know', 'Rows that need a fix', 'No row needs a fix in the source.'],
    ],
    ['/sync', ['Recent syncs', 'Sources', 'notes', 'sheet']],
  ])('GET %s', async (path, texts) => {
    const res = await request(app())
      .get(path)
      .expect(200)
      .expect('content-type', /text\/html/);
    for (const text of texts) expect(res.text).toContain(text);
    expect(res.text).toContain('Acme &amp; Co');
    expect(res.text).toMatch(/aria-current="page"/);
  });

  test('what needs attention says each coverage gap in words, never an empty line', async () => {
    const { config } = loadConfig('examples/demo/touchpoint.config.yaml');
    const store = Store.open(':memory:');
    await syncAll(config, store);
    const res = await request(createApp({ workspace: new Workspace(config, store, { demo: true }), token: null }))
      .get('/')
      .expect(200);
    const list = /What needs attention<\/h2>\s*<ul[^>]*>([\s\S]*?)<\/ul>/.exec(res.text)?.[1] ?? '';
    const items = [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.length > 0)).toBe(true);
    expect(items.join('\n')).toMatch(/conversations? (with .* )?in the last 90 days/);
  });

  test('the overview grid: one cell per PM and week, each labelled', async () => {
    const res = await request(app()).get('/').expect(200);
    expect(res.text.match(/<td class="cell /g)).toHaveLength(3 * 12);
    expect(res.text).toContain('title="Pat Lee, 2026-W13: 1 conversation, 2 h, target met"');
    expect(res.text).toMatch(/PMs on target last week[\s\S]*?2 <span class="of">of 3<\/span>/);
  });

  test('charts have a title, a description, a legend and the data behind them; a zero and a shortfall are drawn', async () => {
    const res = await request(app()).get('/coverage').expect(200);
    expect(res.text).toContain('<div class="chart rows" role="img" aria-labelledby="coverage-bySegment-title" aria-describedby="coverage-bySegment-desc">');
    expect(res.text).toContain('<span class="visually-hidden" id="coverage-bySegment-title">Conversations by segment</span>');
    expect(res.text).toContain('Data behind this chart');
    expect(res.text).toContain('<span><i class="gap"></i>the shortfall</span>');
    // Enterprise has a target of half and a third of the conversations: a gap from its bar up to its tick.
    const enterprise = res.text.split('title="Enterprise"')[1]!.split('</div>')[0]!;
    expect(enterprise).toContain('<rect class="gap" x="33.33%" y="6" width="16.67%" height="14"/><line class="marker" x1="50%"');
    // A row at zero is a stub, with its gap the whole way to the target.
    const zero = rowChart({
      id: 'z',
      title: 't',
      description: 'd',
      max: 100,
      gaps: true,
      rows: [{ label: 'SMB', value: 0, marker: 25, note: '0', describe: 'none' }],
    });
    expect(zero).toContain('<rect class="bar zero" x="0" y="5" width="4" height="16">');
    expect(zero).toContain('<rect class="gap" x="0%" y="6" width="25%"');
    // A column at zero too.
    expect(columnChart({ id: 'c', title: 't', description: 'd', max: 2, format: String, bars: [{ label: 'W1', value: 0, describe: 'none' }] })).toContain(
      'class="bar zero"',
    );
    // No viewBox: nothing in a chart is scaled, so its text keeps its CSS size on a phone.
    expect(res.text.split('<main')[1]).not.toContain('viewBox');
  });

  test('a person page: weeks, recent conversations with tl;dr, promises', async () => {
    const res = await request(app()).get('/people/pat%40co.example').expect(200);
    expect(res.text).toContain('<h1>Pat Lee</h1>');
    expect(res.text).toContain('They want SSO.');
    expect(res.text).toContain('href="https://docs.example/r1"');
    expect(res.text).toContain('7 days overdue');
    // What was promised, beside the conversation, on the person page and on Follow-ups.
    expect(res.text).toContain('<td>Send the SSO date</td>');
    const followUps = await request(app()).get('/follow-ups').expect(200);
    expect(followUps.text).toContain('<th scope="col" class="">Promised</th>');
    expect(followUps.text).toContain('Send the SSO date');
    expect(res.text).toMatch(/<div class="chart columns with-target" role="img"/);
    await request(app()).get('/people/nobody%40co.example').set('Accept', 'text/html').expect(404);
  });

  test("a person page is the same under any team filter, and offers none: under another team's it was a 404", async () => {
    const plain = await request(app()).get('/people/pat%40co.example').expect(200);
    // Pat is on Core; a link or a bookmark carrying Growth used to find no Pat on that roster.
    const foreign = await request(app()).get('/people/pat%40co.example?team=Growth').expect(200);
    expect(foreign.text).toContain('<h1>Pat Lee</h1>');
    expect(foreign.text).toContain('They want SSO.');
    expect(plain.text).not.toContain('name="team"');
    expect(foreign.text).not.toContain('name="team"');
    const api = await request(app()).get('/api/v1/people/pat%40co.example?team=Growth').expect(200);
    expect(api.body.person).toMatchObject({ name: 'Pat Lee', streak: 1 });
    expect(api.body.filters.team).toBeNull();
  });

  test('demo mode says so on every page', async () => {
    for (const path of ['/', '/coverage', '/sync']) expect((await request(app(null, { demo: true })).get(path)).text).toContain('Demo data.');
    expect((await request(app()).get('/')).text).not.toContain('Demo data.');
  });
});

describe('everything from a source is escaped', () => {
  // JSON (/api/v1) carries source text as data: served as application/json with nosniff, never as HTML.
  test.each(['/', '/people', '/people/kim%40co.example', '/coverage', '/themes', '/data-quality', '/follow-ups', '/accounts', '/studies'])(
    '%s shows the payload as text',
    async (path) => {
      const res = await request(app()).get(path).expect(200);
      expect(res.text).not.toContain(XSS);
      expect(res.text).not.toContain('href="javascript:');
    },
  );

  test('the payload is there, escaped', async () => {
    const res = await request(app()).get('/people/kim%40co.example').expect(200);
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('CSV and JSON', () => {
  test('every table downloads as CSV with its columns and the filters applied', async () => {
    const res = await request(app())
      .get('/export/segments.csv')
      .expect(200)
      .expect('content-type', /text\/csv/)
      .expect('content-disposition', /^attachment; filename="?touchpoint-segments\.csv"?$/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('Segment,Conversations,Accounts,Share,Target,Gap');
    expect(lines).toContain('Enterprise,1,1,33 %,50 %,-17 pt');
    const growth = await request(app()).get('/export/segments.csv?team=Growth').expect(200);
    expect(growth.text).toContain('SMB,1,1,50 %,50 %,+0 pt');
    expect(growth.text).not.toContain('Enterprise,1');
  });

  test('a cell a spreadsheet would run as a formula is neutralised', async () => {
    const res = await request(app()).get('/export/themes.csv').expect(200);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",1,0,+1`);
    expect(lines).toContain("'@SUM(A1),1,0,+1");
    expect(lines).toContain("'-2+3,1,0,+1");
    expect(res.text).not.toMatch(/^"?[=@]/m);
  });

  test('an unknown table is a 404', async () => {
    await request(app()).get('/export/nope.csv').expect(404);
  });

  test('each page has its JSON under /api/v1, with the filters it used', async () => {
    const res = await request(app()).get('/api/v1/coverage?window=30&team=Growth').expect(200).expect('content-type', /json/);
    expect(res.body).toMatchObject({ asOf: '2026-04-01', timezone: 'Europe/Berlin', filters: { team: 'Growth', windowDays: 30, source: null } });
    expect(res.body.data.conversations).toBe(2);
    expect(Object.keys(res.body.tables)).toEqual(['gaps', 'segments', 'statuses', 'tiers', 'matrix']);
    expect(res.body.tables.segments.find((r: { key: string }) => r.key === 'SMB')).toEqual({
      key: 'SMB',
      conversations: '1',
      accounts: '1',
      share: '50 %',
      target: '50 %',
      gap: '+0 pt',
    });
    for (const name of ['overview', 'people', 'studies', 'follow-ups', 'accounts', 'themes', 'data-quality', 'sync'])
      await request(app()).get(`/api/v1/${name}`).expect(200);
    const person = await request(app()).get('/api/v1/people/pat%40co.example').expect(200);
    expect(person.body.person).toMatchObject({ name: 'Pat Lee', streak: 1 });
    await request(app()).get('/api/v1/people/nobody%40co.example').expect(404);
  });

  test('filters: source narrows to one source; unknown values fall back to the defaults', async () => {
    const sheet = await request(app()).get('/api/v1/coverage?source=sheet').expect(200);
    expect(sheet.body.filters.source).toBe('sheet');
    expect(sheet.body.data.conversations).toBe(1);
    // The API refuses a filter it cannot apply, naming each one.
    const junk = await request(app()).get('/api/v1/coverage?source=nope&team=nope&window=abc').expect(400);
    expect(junk.body).toEqual({
      error: 'bad_filter',
      message: expect.stringContaining('No team "nope" on the roster'),
      unknown: [
        'No team "nope" on the roster: showing every team.',
        'No source "nope" in the config: showing every source.',
        '"abc" is not a window of 7 to 730 days: showing 90 days.',
      ],
    });
    await request(app()).get('/api/v1/people/pat%40co.example?team=nope').expect(400);
    // The page says so above the filter bar, and the same page without the mistake does not.
    expect((await request(app()).get('/coverage?team=Nope').expect(200)).text).toContain('No team &#34;Nope&#34; on the roster: showing every team.');
    expect((await request(app()).get('/coverage').expect(200)).text).not.toContain('on the roster: showing every team');
    // On the overview, what the window changes is said.
    expect((await request(app()).get('/').expect(200)).text).toContain('The window applies to “What needs attention”');
    // Where the window means nothing, it is not offered.
    expect((await request(app()).get('/data-quality').expect(200)).text).not.toContain('name="window"');
    expect((await request(app()).get('/sync').expect(200)).text).not.toContain('name="team"');
    // With two sources the Sync page filters by source; a workspace of one source has nothing to
    // filter there, and no lone Apply button either.
    expect((await request(app()).get('/sync').expect(200)).text).toContain('name="source"');
    const single = createApp({ workspace: workspace({ sources: ['notes'] }), token: null });
    for (const path of ['/sync', '/data-quality']) {
      const text = (await request(single).get(path).expect(200)).text;
      expect(text).not.toContain('class="filters"');
      expect(text).not.toContain('>Apply</button>');
    }
    expect((await request(single).get('/coverage').expect(200)).text).toContain('>Apply</button>');
    const page = await request(app()).get('/coverage?window=30&team=Core').expect(200);
    expect(page.text).toContain('href="/studies?team=Core&amp;window=30"');
    expect(page.text).toContain('<option value="30" selected>last 30 days</option>');
  });
});

describe('digest previews', () => {
  test('GET /digests lists what the next digests would say', async () => {
    const res = await request(app()).get('/digests').expect(200);
    expect(res.text).toContain('Exec digest (weekly)');
    expect(res.text).toContain('Core team digest');
    expect(res.text).toContain('Growth team digest');
    expect(res.text).toContain('No digest has been sent from this store yet.');
  });

  test('the e-mail itself, under a CSP that allows its inline styles and nothing else', async () => {
    const res = await request(app()).get('/digests/exec').expect(200).expect('content-type', /html/);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    );
    expect(res.text).toContain('Acme &amp; Co, week of 23 Mar:');
    expect(res.text).not.toContain(XSS);
    const text = await request(app())
      .get('/digests/team/Growth?format=text')
      .expect(200)
      .expect('content-type', /text\/plain/);
    expect(text.text).toMatch(/^Growth: \d+ customer conversations? since /);
    await request(app()).get('/digests/team/Nope').expect(404);
  });
});

describe('health, static files and errors', () => {
  test('GET /healthz', async () => {
    const res = await request(app()).get('/healthz').expect(200);
    expect(res.body).toEqual({
      ok: true,
      status: 'ok',
      jobs: [],
      dataVersion: 2,
      eventLoop: {
        maxDelayMs: expect.any(Number),
        p99DelayMs: expect.any(Number),
        worstTurn: process.platform === 'linux' ? { lateMs: expect.any(Number), ranMs: expect.any(Number), waitedForCpuMs: expect.any(Number) } : null,
        ownWorkMaxMs: process.platform === 'linux' ? expect.any(Number) : null,
        sinceSeconds: expect.any(Number),
      },
    });
  });

  test('/healthz says how long the event loop was held up', async () => {
    const a = app();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const until = performance.now() + 150;
    while (performance.now() < until); // a computation on the loop
    await new Promise((resolve) => setTimeout(resolve, 30));
    const res = await request(a).get('/healthz').expect(200);
    expect(res.body.eventLoop.maxDelayMs).toBeGreaterThanOrEqual(120);
  });

  // The split comes from the kernel's counters of the thread (Linux).
  test.runIf(process.platform === 'linux')("/healthz tells the server's own work from a wait", async () => {
    const a = app();
    const health = async () =>
      ((await request(a).get('/healthz').expect(200)).body as { eventLoop: { worstTurn: Record<string, number>; ownWorkMaxMs: number } }).eventLoop;
    const loop = async () => (await health()).worstTurn;
    // A window of its own: a turn of an earlier test (on a busy machine) is not this one's.
    startLoopWindow();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // A blocking wait (as synchronous I/O would be): the loop is late, the thread neither ran nor waited for a CPU.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const slept = await loop();
    expect(slept['lateMs']).toBeGreaterThanOrEqual(380);
    expect(slept['ranMs']! + slept['waitedForCpuMs']!).toBeLessThan(100);
    expect((await health()).ownWorkMaxMs).toBeLessThan(300);
    // A computation: the thread was ready throughout, running (or, on a busy machine, waiting for a
    // core). Most of the turn, not all: on this loaded VM the two once added up to 649 of 800 ms in
    // CI (time the host kept the core is likely counted as neither), against under 100 of 400 ms for
    // the blocking wait above.
    const until = performance.now() + 800;
    while (performance.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const busy = await loop();
    expect(busy['lateMs']).toBeGreaterThanOrEqual(780);
    expect(busy['ranMs']! + busy['waitedForCpuMs']!).toBeGreaterThanOrEqual(400);
    expect(busy['ranMs']).toBeGreaterThan(100);
    expect((await health()).ownWorkMaxMs).toBe(busy['ranMs']);
  });

  test('the stylesheet is served', async () => {
    await request(app()).get('/static/app.css').expect(200).expect('content-type', /css/);
  });

  test('unknown paths are a 404 page, or JSON for API clients', async () => {
    const html = await request(app()).get('/nope').set('Accept', 'text/html').expect(404);
    expect(html.text).toContain('There is no page at <code>/nope</code>');
    const json = await request(app()).get('/api/v1/nope').set('Accept', 'application/json').expect(404);
    expect(json.body).toEqual({ error: 'not_found', path: '/api/v1/nope' });
  });

  test('a failing page is a 500 without a stack trace', async () => {
    const ws = workspace();
    ws.metrics = () => {
      throw new Error('secret internals');
    };
    const res = await request(createApp({ workspace: ws, token: null }))
      .get('/')
      .set('Accept', 'text/html')
      .expect(500);
    expect(res.text).toContain('Something went wrong');
    expect(res.text).not.toContain('secret internals');
  });

  test('security headers: a strict CSP and no x-powered-by', async () => {
    const res = await request(app()).get('/').expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("style-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('auth with DASHBOARD_TOKEN', () => {
  const token = 's3cret-token-value';

  test('pages redirect to the login form; API and CSV calls get 401', async () => {
    await request(app(token)).get('/coverage').set('Accept', 'text/html').expect(303).expect('location', '/login?next=%2Fcoverage');
    const api = await request(app(token)).get('/api/v1/overview').set('Accept', 'application/json').expect(401);
    expect(api.body.error).toBe('unauthorized');
    await request(app(token)).get('/export/findings.csv').set('Accept', 'text/csv').expect(401);
    await request(app(token)).get('/healthz').expect(200);
  });

  test('a malformed cookie is no session, not a 500', async () => {
    await request(app(token)).get('/api/v1/overview').set('Cookie', 'touchpoint_session=%E0%A4%A; other=%').set('Accept', 'application/json').expect(401);
  });

  test('a bearer token is accepted; a wrong one is rejected', async () => {
    await request(app(token)).get('/api/v1/overview').set('Authorization', `Bearer ${token}`).expect(200);
    await request(app(token)).get('/api/v1/overview').set('Authorization', 'Bearer wrong').set('Accept', 'application/json').expect(401);
  });

  test('the login form sets an HttpOnly SameSite cookie that opens the pages', async () => {
    const a = app(token);
    const form = await request(a).get('/login?next=/%3Fteam%3DCore').expect(200);
    expect(form.text).toContain('name="next" value="/?team=Core"');
    const bad = await request(a).post('/login').type('form').send({ token: 'wrong', next: '/' }).expect(401);
    expect(bad.text).toContain('That token is not right.');
    const ok = await request(a).post('/login').type('form').send({ token, next: '//evil.example' }).expect(303).expect('location', '/');
    const cookie = ok.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(token);
    await request(a).get('/').set('Cookie', cookie.split(';')[0]!).expect(200);
  });
});

describe('the service from outside: hosts, redirects, throttling, headers', () => {
  const token = 'a-long-dashboard-token-with-at-least-32-characters';

  test.each(['evil.example', 'evil.example:80', '127.0.0.1.nip.io', 'localhost.evil.example', '127.0.0.1:1', '[::2]'])(
    'without a token, a foreign Host %s is refused (DNS rebinding)',
    async (host) => {
      const res = await request(app()).get('/api/v1/people').set('Host', host).expect(421);
      expect(res.text).not.toContain('pat@co.example');
    },
  );

  test('without a token, loopback names on the bound port are served', async () => {
    const server = await listen(app(), { host: '127.0.0.1', port: 0, token: null });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    // fetch may not set Host (a forbidden header): a plain request says what a rebinding page would.
    const status = (host: string) =>
      new Promise<number>((resolve, reject) =>
        get({ host: '127.0.0.1', port, path: '/healthz', headers: { host } }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject),
      );
    try {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect([host, await status(host)]).toEqual([host, 200]);
      for (const host of [`rebind.evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost']) expect([host, await status(host)]).toEqual([host, 421]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('with a token, dashboard.allowedHosts names the hosts served', async () => {
    const ws = workspace();
    const a = createApp({
      workspace: new Workspace({ ...ws.config, dashboard: { ...ws.config.dashboard, allowedHosts: ['touchpoint.acme.internal'] } }, ws.store),
      token,
    });
    await request(a).get('/healthz').set('Host', 'touchpoint.acme.internal').expect(200);
    await request(a).get('/healthz').set('Host', 'evil.example').expect(421);
  });

  test.each(['//evil.example', '/\\evil.example/', '/%5Cevil.example', '/\t/evil.example', 'https://evil.example', 'javascript:alert(1)', '/\u0000x'])(
    'after sign-in, next=%j lands on a same-origin path',
    async (next) => {
      const res = await request(app(token)).post('/login').type('form').send({ token, next }).expect(303);
      expect(res.headers['location']).toMatch(/^\/(?![\/\\])/);
      expect(new URL(res.headers['location']!, 'http://here.example').origin).toBe('http://here.example');
      const form = await request(app(token))
        .get(`/login?next=${encodeURIComponent(next)}`)
        .expect(200);
      expect(form.text).toContain('name="next" value="/');
      expect(form.text).not.toContain('evil.example');
    },
  );

  test('the 6th wrong token in a minute is throttled, for sign-in and bearer alike, and the log never has the token', async () => {
    const lines: string[] = [];
    const a = createApp({ workspace: workspace(), token, log: (l) => lines.push(l) });
    for (let i = 0; i < 5; i++)
      await request(a)
        .post('/login')
        .type('form')
        .send({ token: `wrong-${i}`, next: '/' })
        .expect(401);
    const sixth = await request(a).post('/login').type('form').send({ token, next: '/' }).expect(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    await request(a).get('/api/v1/overview').set('Authorization', `Bearer ${token}`).expect(429);
    expect(lines).toHaveLength(5);
    expect(lines.join('\n')).not.toMatch(/wrong-|a-long-dashboard-token/);
  });

  test('a session is random per sign-in, expires, and ends with sign-out', async () => {
    let now = Date.parse('2026-04-01T08:00:00Z');
    const ws = workspace();
    const { Access } = await import('../../src/web/auth.js');
    const access = new Access({ token, allowedHosts: [], sessionMs: 12 * 3600_000, now: () => now });
    const a = createApp({ workspace: ws, token });
    const one = (await request(a).post('/login').type('form').send({ token, next: '/' })).headers['set-cookie']![0]!.split(';')[0]!;
    const two = (await request(a).post('/login').type('form').send({ token, next: '/' })).headers['set-cookie']![0]!.split(';')[0]!;
    expect(one).not.toBe(two);
    await request(a).get('/api/v1/overview').set('Cookie', one).expect(200);
    await request(a).post('/logout').set('Cookie', one).expect(303).expect('location', '/login');
    await request(a).get('/api/v1/overview').set('Cookie', one).set('Accept', 'application/json').expect(401);
    await request(a).get('/api/v1/overview').set('Cookie', two).expect(200);
    // Expiry, on the Access object with a clock of its own.
    const express = (await import('express')).default;
    const b = express();
    b.use(express.urlencoded({ extended: false }));
    b.post('/login', access.submit);
    b.get('/x', access.requireToken, (_req, res) => void res.send('in'));
    b.set('views', new URL('../../views', import.meta.url).pathname);
    b.set('view engine', 'ejs');
    const cookie = (await request(b).post('/login').type('form').send({ token, next: '/' })).headers['set-cookie']![0]!.split(';')[0]!;
    await request(b).get('/x').set('Cookie', cookie).expect(200);
    now += 12 * 3600_000 + 1;
    await request(b).get('/x').set('Cookie', cookie).set('Accept', 'application/json').expect(401);
  });

  test('/healthz says degraded while a scheduled job is failing, and the Sync page shows the job', async () => {
    const service = () => ({
      status: 'degraded' as const,
      jobs: [{ name: 'sync', running: false, since: null, lastRun: '2026-04-01T08:00:00.000Z', lastError: 'did not finish within 30 min' }],
    });
    const a = createApp({ workspace: workspace(), token: null, service });
    const health = await request(a).get('/healthz').expect(200);
    expect(health.body).toMatchObject({ ok: true, status: 'degraded', jobs: [{ name: 'sync', lastError: 'did not finish within 30 min' }] });
    const page = await request(a).get('/sync').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('did not finish within 30 min');
    expect(page.text).toContain('degraded');
  });

  test('every page, export and API answer says Cache-Control: no-store', async () => {
    for (const path of ['/', '/coverage', '/api/v1/overview', '/export/cadence.csv', '/people/pat%40co.example', '/nope']) {
      const res = await request(app()).get(path);
      expect([path, res.headers['cache-control']]).toEqual([path, 'no-store']);
    }
  });

  test('a malformed percent-escape in a path is 400, not 500', async () => {
    await request(app()).get('/people/%E0%A4%A').set('Accept', 'text/html').expect(400);
    await request(app()).get('/api/v1/people/%E0%A4%A').set('Accept', 'application/json').expect(400);
  });

  test('CSV headers are neutralised too (segment names are column labels)', async () => {
    const ws = workspace();
    const evil = '=HYPERLINK("http://evil.example","x")';
    ws.store.commitRun({
      source: 'sheet',
      startedAt: '2026-04-01T08:00:00.000Z',
      finishedAt: '2026-04-01T08:00:01.000Z',
      upserts: [{ interview: interview({ id: 'sheet:s9', startsAt: '2026-03-27T10:00:00.000Z', segment: evil }), hash: 'h' }],
      deletes: [],
      findings: { replace: [], items: [] },
      state: { bookmark: null, lastFullAt: null, memo: null },
      report: {},
    });
    const res = await request(createApp({ workspace: ws, token: null }))
      .get('/export/matrix.csv')
      .expect(200);
    const header = res.text.replace(/^\uFEFF/, '').split('\n')[0]!;
    expect(header).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(header).not.toMatch(/(^|,)"?=/);
  });

  test('/export/interviews.csv holds every interview, every field, every cell neutralised', async () => {
    const ws = workspace();
    ws.store.commitRun({
      source: 'sheet',
      startedAt: '2026-04-01T08:00:00.000Z',
      finishedAt: '2026-04-01T08:00:01.000Z',
      upserts: [{ interview: interview({ id: 'sheet:s8', startsAt: '2026-03-27T10:00:00.000Z', title: '=cmd|"/c calc"!A1', account: '@SUM(1)' }), hash: 'h' }],
      deletes: [],
      findings: { replace: [], items: [] },
      state: { bookmark: null, lastFullAt: null, memo: null },
      report: {},
    });
    const res = await request(createApp({ workspace: ws, token: null }))
      .get('/export/interviews.csv')
      .expect(200)
      .expect('content-type', /text\/csv/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1 + ws.interviews().length);
    expect(lines[0]!.split(',')).toHaveLength(31);
    expect(res.text).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(res.text).toContain("'@SUM(1)");
    expect(res.text).not.toMatch(/(^|,)"?[=@]/m);
  });

  test('a known failure (a damaged store) is an error page with one line, not a crash', async () => {
    const ws = workspace();
    ws.metrics = () => {
      throw new TouchpointError(
        'store_damaged',
        'The store at /x.db is damaged (database disk image is malformed): restore a backup, or delete it and run `touchpoint sync --full`.',
      );
    };
    const res = await request(createApp({ workspace: ws, token: null }))
      .get('/')
      .set('Accept', 'text/html')
      .expect(503);
    expect(res.text).toContain('The store at /x.db is damaged');
    expect(res.text).not.toMatch(/\n\s+at /);
  });
});

describe('listen', () => {
  test.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['192.168.1.5', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  test('refuses a token shorter than 32 characters on a network interface', async () => {
    await expect(listen(app('short'), { host: '0.0.0.0', port: 0, token: 'short' })).rejects.toMatchObject({
      code: 'dashboard_unsafe',
      message: expect.stringContaining('DASHBOARD_TOKEN has 5 characters; open to the network it needs at least 32'),
    });
  });

  test('refuses a non-loopback interface without a token', async () => {
    await expect(listen(app(), { host: '0.0.0.0', port: 0, token: null })).rejects.toMatchObject({
      code: 'dashboard_unsafe',
      message: expect.stringContaining('DASHBOARD_TOKEN'),
    });
  });

  test('serves on 127.0.0.1', async () => {
    const server = await listen(app(), { host: '127.0.0.1', port: 0, token: null });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.json()).toEqual({
      ok: true,
      status: 'ok',
      jobs: [],
      dataVersion: 2,
      eventLoop: expect.objectContaining({ maxDelayMs: expect.any(Number) }),
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('honest states', () => {
  const config = parseConfig({
    organisation: 'Acme',
    timezone: 'Europe/Berlin',
    roster: [{ name: 'Pat Lee', email: 'pat@co.example', role: 'pm', team: 'Core' }],
    sources: [{ name: 'notes', kind: 'csv', path: 'notes.csv', mapping: { title: 'Name', startsAt: 'Date' } }],
  });

  test('before the first sync the overview says what to do next, not verdicts', async () => {
    const res = await request(createApp({ workspace: new Workspace(config, Store.open(':memory:')), token: null }))
      .get('/')
      .set('Accept', 'text/html')
      .expect(200);
    expect(res.text).toContain('No interviews read yet');
    expect(res.text).toContain('npx touchpoint sync');
    expect(res.text).not.toMatch(/Off track|At risk|never heard/);
    expect(res.text).toContain('Not read yet: run <code>npx touchpoint sync</code>.');
  });

  test('every page says how old the data is, and warns when it is older than the limit', async () => {
    const store = Store.open(':memory:');
    const synced = (at: string) =>
      store.commitRun({
        source: 'notes',
        startedAt: at,
        finishedAt: at,
        upserts: [],
        deletes: [],
        findings: { replace: 'all', items: [] },
        state: { bookmark: null, lastFullAt: at, memo: null },
        report: {},
      });
    synced('2026-04-01T08:00:00.000Z');
    const at = (now: string) => createApp({ workspace: new Workspace(config, store, { demo: false, now: () => new Date(now) }), token: null });
    const fresh = await request(at('2026-04-01T08:12:00.000Z')).get('/coverage').set('Accept', 'text/html').expect(200);
    expect(fresh.text).toContain('Data read 12 min ago from 1 of 1 source.');
    expect(fresh.text).not.toContain('may be out of date');
    const old = await request(at('2026-04-04T08:00:00.000Z')).get('/people').set('Accept', 'text/html').expect(200);
    expect(old.text).toContain('These figures may be out of date.');
    expect(old.text).toContain('Data read 3 days ago');
  });
});
