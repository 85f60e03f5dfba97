import { describe, expect, test } from 'vitest';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { createApp } from '../../src/web/app.js';
import { PAGES } from '../../src/web/pages.js';
import { loadConfig } from '../../src/config/load.js';
import { Store } from '../../src/store/store.js';
import { syncAll } from '../../src/app/sync.js';
import { Workspace } from '../../src/app/workspace.js';
import { STATUS_RULE } from '../../src/present/sentences.js';

/** The demo organisation: every page has counts (teams, segments, studies, tags, promises). */
async function demoApp() {
  const { config } = loadConfig('examples/demo/touchpoint.config.yaml');
  const store = Store.open(':memory:');
  await syncAll(config, store);
  return createApp({ workspace: new Workspace(config, store, { demo: true }), token: null });
}

const app = await demoApp();

/** Every link to /conversations on a page with the count it shows (`data-count`). */
function countLinks(html: string): Array<{ href: string; count: number }> {
  const links: Array<{ href: string; count: number }> = [];
  for (const match of html.matchAll(/<a href="(\/conversations[^"]*)"[^>]*data-count="(\d+)"/g)) {
    links.push({ href: match[1]!.replaceAll('&amp;', '&'), count: Number(match[2]) });
  }
  return links;
}

const people = ['amara.okafor%40northwind.example', 'ben.carter%40northwind.example'];
const pages = [
  ...PAGES.map((p) => p.path),
  ...PAGES.map((p) => `${p.path}?team=Growth&window=30`),
  ...people.map((email) => `/people/${email}`),
  `/people/${people[0]}?window=180`,
];

describe('every count links to the conversations behind it', () => {
  test.each(pages)('%s: each link opens exactly as many rows as its count', async (path) => {
    const html = (await request(app).get(path).expect(200)).text;
    const links = countLinks(html);
    // Pages with counts have links (the Sync and Data quality pages count rows, not conversations).
    if (!/^\/(sync|data-quality)/.test(path)) expect(links.length, path).toBeGreaterThan(0);
    const seen = new Map<string, number>();
    for (const { href, count } of links) {
      if (seen.has(href)) {
        expect(seen.get(href), `${path}: ${href} shows two counts`).toBe(count);
        continue;
      }
      seen.set(href, count);
      const api = await request(app).get(href.replace('/conversations', '/api/v1/conversations')).expect(200);
      expect({ href, total: api.body.total }).toEqual({ href, total: count });
    }
  });

  test('counts that are not zero are among them: a grid cell, a segment, a study, a tag, a promise', async () => {
    const all = (await Promise.all(pages.map(async (p) => countLinks((await request(app).get(p)).text)))).flat();
    for (const criterion of ['week=', 'segment=', 'study=', 'tag=', 'before=1', 'followUp=overdue', 'account=', 'status=', 'present=', 'led='])
      expect(
        all.some((l) => l.href.includes(criterion) && l.count > 0),
        criterion,
      ).toBe(true);
  });
});

describe('the status rule is stated wherever a status is shown', () => {
  const escaped = STATUS_RULE.replaceAll("'", '&#39;');
  test.each([...pages, '/digests/exec', '/digests/team/Growth', '/conversations?window=all'])('%s', async (path) => {
    const html = (await request(app).get(path).expect(200)).text;
    const shows = /class="badge (on_track|at_risk|off_track)"|>(On track|At risk|Off track)</.test(html);
    // Pages without a status (Coverage, Studies …) need no legend; every page with one has it.
    if (shows) expect(html.includes(STATUS_RULE) || html.includes(escaped), path).toBe(true);
    if (['/', '/people', `/people/${people[0]}`, '/digests/exec'].includes(path)) expect(shows, path).toBe(true);
  });
});

describe('/conversations', () => {
  test('lists the rows with every criterion as a chip that removes it; the page, the JSON and the CSV agree', async () => {
    const overview = (await request(app).get('/').expect(200)).text;
    const cell = countLinks(overview).find((l) => l.href.includes('week=') && l.count > 0)!;
    const page = await request(app).get(cell.href).expect(200);
    expect(page.text).toContain(`<strong>${cell.count}</strong> conversation`);
    expect(page.text).toContain('aria-label="Remove Person"');
    expect(page.text).toContain('aria-label="Remove Week"');
    // The rows: one list item per conversation.
    const rows = page.text.split('<ul class="conversations">')[1]!.split('</ul>')[0]!.match(/<li>/g)!.length;
    expect(rows).toBe(cell.count);
    const csv = await request(app).get(cell.href.replace('/conversations', '/export/conversations.csv')).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const records = parse(csv.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(cell.count);
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(['id', 'title', 'starts at', 'segment', 'tags', 'follow-up due']));
  });

  test('pages through long lists, 100 rows a page; the JSON says how many there are', async () => {
    const all = await request(app).get('/api/v1/conversations?window=all&callType=all').expect(200);
    expect(all.body.total).toBeGreaterThan(100);
    expect(all.body.rows).toHaveLength(100);
    expect(all.body.pages).toBe(Math.ceil(all.body.total / 100));
    const second = await request(app).get('/api/v1/conversations?window=all&callType=all&page=2').expect(200);
    expect(second.body.rows[0].id).not.toBe(all.body.rows[0].id);
    // Newest first.
    expect(all.body.rows[0].date >= all.body.rows[99].date).toBe(true);
    const html = (await request(app).get('/conversations?window=all&callType=all').expect(200)).text;
    expect(html).toContain('rel="next"');
    expect(html).toContain('<option value="all" selected>all time</option>');
    // The filter bar keeps the criteria.
    expect(html).toContain('<input type="hidden" name="callType" value="all">');
  });

  test.each([
    ['status=happy', '"happy" is not a customer status'],
    ['callType=demo', '"demo" is not a call type'],
    ['week=2026-13', '"2026-13" is not an ISO week'],
    ['followUp=soon', '"soon" is not a follow-up state'],
    ['team=Nope', 'No team "Nope" on the roster'],
    ['window=3', '"3" is not a window of 7 to 730 days'],
  ])('?%s is a notice on the page and a 400 on the API', async (query, notice) => {
    const page = await request(app).get(`/conversations?${query}`).expect(200);
    expect(page.text).toContain(notice.replaceAll('"', '&#34;'));
    const api = await request(app).get(`/api/v1/conversations?${query}`).expect(400);
    expect(api.body).toMatchObject({ error: 'bad_filter' });
    expect(api.body.message).toContain(notice);
    await request(app).get(`/export/conversations.csv?${query}`).expect(400);
  });

  test('source text in a criterion is escaped', async () => {
    const page = await request(app).get('/conversations?tag=%3Cscript%3Ealert(1)%3C%2Fscript%3E').expect(200);
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('&lt;script&gt;alert(1)');
  });
});
