import { describe, expect, test } from 'vitest';
import { digestContent, hasNews, type DigestKind } from '../../src/app/digests.js';
import { renderDigest } from '../../src/digest/compose.js';
import type { Workspace } from '../../src/app/workspace.js';

/** Content from the workspace, rendered as the e-mail is, with whether it has news. */
const composeDigest = (workspace: Workspace, kind: DigestKind, options?: { since?: string }) => {
  const content = digestContent(workspace, kind, options);
  return { ...renderDigest(content), hasNews: hasNews(content) };
};
import { interview, person } from '../helpers/interviews.js';
import { workspaceWith } from '../helpers/workspace.js';

const XSS = '<img src=x onerror=alert(1)>';
const ROSTER = [
  { name: 'Pat Lee', email: 'pat@co.example', role: 'pm', team: 'Core' },
  { name: 'Kim Ortiz', email: 'kim@co.example', role: 'pm', team: 'Core' },
  { name: 'Lou Ray', email: 'lou@co.example', role: 'pm', team: 'Growth' },
];
const config = {
  timezone: 'Europe/Berlin',
  asOf: '2026-04-01',
  organisation: 'Acme',
  roster: ROSTER,
  digests: { dashboardUrl: 'https://tp.acme.example/', exec: { to: ['cpo@acme.example'] } },
};

// As of Wednesday 1 April 2026: W13 (23–29 March) is the last complete week, W12 the one before.
const data = () => [
  interview({
    id: 'notes:1',
    startsAt: '2026-03-24T10:00:00.000Z',
    durationMinutes: 120,
    title: XSS,
    tldr: `${XSS}\nsecond line`,
    nugget: `"${XSS} is what we need"`,
    account: 'Acme',
    notesUrl: 'https://docs.example/1',
  }),
  interview({
    id: 'notes:2',
    startsAt: '2026-03-20T10:00:00.000Z',
    durationMinutes: 30,
    interviewers: [person('kim@co.example')],
    nugget: '"Exports are weekly toil"',
    account: 'Birch',
    notesUrl: 'javascript:alert(1)',
  }),
  interview({
    id: 'notes:3',
    startsAt: '2026-03-25T10:00:00.000Z',
    durationMinutes: 60,
    interviewers: [person('lou@co.example')],
    debriefed: false,
    tldr: null,
    followUps: { due: '2026-03-27', done: false },
    title: 'Growth call',
  }),
];

describe('exec digest', () => {
  test('subject and headline: PMs on target last week and the change', () => {
    const digest = composeDigest(workspaceWith({ config, interviews: data() }), { kind: 'exec' });
    expect(digest.subject).toBe('Acme, week of 23 Mar: 1 of 3 PMs met their customer-conversation target');
    expect(digest.text).toContain('1 of 3 PMs met the target of 2 h a week in the week of 23 Mar, 1 more than the week before.');
    expect(digest.hasNews).toBe(true);
  });

  test('one line on the practice: each tracked rate against its target, and the learning share of customer calls', () => {
    const { text, html } = composeDigest(workspaceWith({ config, interviews: data() }), { kind: 'exec' });
    const line = text.split('\n').find((l) => l.startsWith('Practice, last 90 days: '));
    expect(line).toMatch(
      /^Practice, last 90 days: trio present \d+ % \(target 50 %\) · debriefed \d+ % \(target 80 %\) · tl;dr written \d+ % \(target 80 %\) · learning conversations \d+ % of customer calls\.$/,
    );
    expect(html).toContain(line!.replace('Practice, last 90 days: ', ''));
  });

  test('PMs are listed by team and name, with a sparkline and status in words', () => {
    const { text, html } = composeDigest(workspaceWith({ config, interviews: data() }), { kind: 'exec' });
    const rows = text.split('\n').filter((l) => /^\s{2}\S.*(On track|At risk|Off track)$/.test(l));
    expect(rows.map((r) => r.trim().split(/\s{2,}/)[0])).toEqual(['Kim Ortiz', 'Pat Lee', 'Lou Ray']);
    expect(rows[1]).toMatch(/Pat Lee\s+Core\s+2 h\s+·······█\s+Off track/);
    expect(html).toContain('aria-label="Pat Lee: target met in 1 of the last 8 weeks"');
    expect(html).not.toMatch(/<svg|<img|<script|class="/);
  });

  test('nuggets with account, PM and link; overdue promises; the dashboard link', () => {
    const { text, html } = composeDigest(workspaceWith({ config, interviews: data() }), { kind: 'exec' });
    expect(text).toContain('WORTH HEARING');
    expect(text).toContain('Acme · Pat Lee · 2026-03-24\n    https://docs.example/1');
    expect(text).toContain('Birch · Kim Ortiz · 2026-03-20');
    expect(text).toContain('PROMISES OVERDUE (1)');
    expect(text).toContain('Dashboard: https://tp.acme.example');
    expect(html).toContain('href="https://tp.acme.example"');
  });

  test('every source value is escaped; only web links are links', () => {
    const { html } = composeDigest(workspaceWith({ config, interviews: data() }), { kind: 'exec' });
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; is what we need');
    expect(html).not.toContain('javascript:');
  });

  test('a week without conversations is said in one line', () => {
    const digest = composeDigest(workspaceWith({ config, interviews: [] }), { kind: 'exec' });
    expect(digest.hasNews).toBe(false);
    expect(digest.subject).toBe('Acme: no customer conversations in the week of 23 Mar');
    expect(digest.text.split('\n')[2]).toBe('No learning or usability conversation was recorded in the week of 23 Mar.');
  });
});

describe('team digest', () => {
  test('every new conversation of the team with its tl;dr, and what lacks a tl;dr or debrief', () => {
    const digest = composeDigest(workspaceWith({ config, interviews: data() }), { kind: 'team', team: 'Core' }, { since: '2026-03-21' });
    expect(digest.subject).toBe('Core: 1 customer conversation since 21 Mar 2026');
    expect(digest.text).toContain('2026-03-24 · Pat Lee · Acme');
    expect(digest.html).not.toContain(XSS);
    const growth = composeDigest(workspaceWith({ config, interviews: data() }), { kind: 'team', team: 'Growth' });
    expect(growth.subject).toBe('Growth: 1 customer conversation since 25 Mar 2026');
    expect(growth.text).toContain('No tl;dr yet.');
    expect(growth.text).toContain('  - 2026-03-25 Growth call: tl;dr and debrief');
    expect(growth.html).toContain('href="https://tp.acme.example/?team=Growth"');
  });

  test('nothing new is said so', () => {
    const digest = composeDigest(workspaceWith({ config, interviews: [] }), { kind: 'team', team: 'Core' });
    expect(digest).toMatchObject({ hasNews: false, subject: 'Core: no new customer conversations since 25 Mar 2026' });
  });
});

test('the exec digest names weeks by their Monday, explains its squares, and forwards each quote once', () => {
  const same = '“Import is where we gave up.”';
  const workspace = workspaceWith({
    config,
    interviews: [
      ...data(),
      interview({ id: 'notes:q1', interviewers: [person('pat@acme.example')], account: 'Cedar', nugget: same, startsAt: '2026-03-25T10:00:00.000Z' }),
      interview({
        id: 'notes:q2',
        interviewers: [person('pat@acme.example')],
        account: 'Dune',
        nugget: `Ana said: ${same} She will send the file.`,
        startsAt: '2026-03-26T10:00:00.000Z',
      }),
    ],
  });
  const { text, html } = composeDigest(workspace, { kind: 'exec' });
  expect(text).not.toMatch(/\bW\d{2}\b/);
  expect(text).toContain('the last 8 complete weeks, oldest first: █ met, ▄ some, · none');
  expect(html).toContain('The squares are the last 8 complete weeks, oldest first');
  expect(text.split('Import is where we gave up').length - 1).toBe(1);
});
