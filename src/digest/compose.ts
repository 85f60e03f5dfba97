import { isPm } from '../model/person.js';
import type { Metrics } from '../metrics/index.js';
import { format } from '../present/format.js';
import { flagSentence, practiceSummary, STATUS_RULE } from '../present/sentences.js';
import type { ListedConversation } from '../metrics/lists.js';
import type { Digest, DigestContent, ExecContent, TeamContent } from '../app/digests.js';
import { firstWebUrl } from '../present/escape.js';
import { button, esc, h1, h2, link, p, page, pill, sparkText, sparkline, table } from './html.js';

/** A link to the conversation: its notes, else its row in the source, if either is a web address. */
const url = (c: { notesUrl: string | null; sourceUrl: string | null }) => firstWebUrl(c.notesUrl, c.sourceUrl);

/** A digest's content as an e-mail: the subject, an HTML part and a full plain-text part (`hasNews` in src/app/digests.ts says whether it is worth sending). */
export function renderDigest(content: DigestContent): Digest {
  return content.kind === 'exec' ? composeExec(content) : composeTeam(content);
}

const SPARK_WEEKS = 8;
const OVERDUE_SHOWN = 5;
const statusTone = { on_track: 'good', at_risk: 'warn', off_track: 'bad' } as const;

/**
 * The weekly digest for executives: the share of PMs on target, each PM's last weeks (listed by
 * team and name, never ranked by failure), gaps in coverage, overdue promises, studies and a few
 * nuggets worth hearing. Factual in tone.
 */
export function composeExec(input: ExecContent): Digest {
  const m = input.metrics;
  const c = m.cadence;
  const trend = c.team.trend;
  const last = trend.find((t) => t.week === c.lastCompleteWeek)!;
  const before = trend[trend.indexOf(last) - 1];
  const change = before ? last.met - before.met : 0;
  const changeText = !before ? '' : change === 0 ? 'the same as the week before' : `${Math.abs(change)} ${change > 0 ? 'more' : 'fewer'} than the week before`;
  // Weeks by their Monday, as people say them ("the week of 9 Nov"), not ISO numbers (W46).
  const weekOf = `week of ${format.weekDay(c.lastCompleteWeek)}`;
  const week = `the ${weekOf}`;
  const unit = c.measure === 'hours' ? `${format.hours(c.target)} a week` : `${c.target} conversation${c.target === 1 ? '' : 's'} a week`;
  const dashboard = input.dashboardUrl.replace(/\/+$/, '');

  if (input.conversationsLastWeek === 0) {
    const subject = `${input.organisation}: no customer conversations in ${week}`;
    const line = `No learning or usability conversation was recorded in ${week}.`;
    return {
      subject,
      html: page({
        title: subject,
        preheader: line,
        organisation: input.organisation,
        body: [h1(subject), p(esc(line)), button('Open the dashboard', dashboard)],
        footer: footer(m),
      }),
      text: `${subject}\n\n${line}\n\nDashboard: ${dashboard}\n\n${footerText(m)}\n`,
    };
  }

  const subject = `${input.organisation}, ${weekOf}: ${last.met} of ${last.of} PMs met their customer-conversation target`;
  const headline = `${last.met} of ${last.of} PMs met the target of ${unit} in ${week}${changeText ? `, ${changeText}` : ''}.`;
  const talked = c.team.talkedLast30Days;
  const pms = c.people.filter(isPm).sort((a, b) => (a.team ?? '').localeCompare(b.team ?? '') || a.name.localeCompare(b.name));
  const spark = (weeks: (typeof pms)[number]['weeks']) =>
    weeks.slice(-SPARK_WEEKS - 1, -1).map((w) => ({ met: w.met, some: w.conversations > 0, active: w.active }));
  const lastWeekValue = (person: (typeof pms)[number]) => {
    const w = person.weeks.find((x) => x.week === c.lastCompleteWeek)!;
    return c.measure === 'hours' ? format.hours(w.hours) : String(w.conversations);
  };
  const overdue = m.followUps.items.filter((i) => i.overdue).slice(0, OVERDUE_SHOWN);
  const studies = m.studies.filter((s) => s.last >= m.window.from);
  const offTrack = pms.filter((x) => x.status === 'off_track');
  // One line on the practice the seeds teach: trio, debriefs, tl;dr, and how much of the calls is discovery.
  const practice = practiceSummary(m.quality.team, input.practice, m.window.days);

  const html: string[] = [
    h1(headline),
    p(
      `${talked.count} of ${talked.of} people on the roster talked to a customer in the last 30 days. ${m.followUps.overdue} promise${m.followUps.overdue === 1 ? ' to a customer is' : 's to customers are'} overdue.`,
      true,
    ),
    ...(practice ? [p(esc(practice), true)] : []),
    h2('Cadence') +
      table(
        // The team under the name, not in a column of its own: five columns do not fit a phone.
        ['PM', `Week of ${format.weekDay(c.lastCompleteWeek)}`, `Last ${SPARK_WEEKS} weeks`, 'Status'],
        pms.map((x) => [
          esc(x.name) + (x.team ? `<br><span style="font-size:12px;color:#5b6472">${esc(x.team)}</span>` : ''),
          esc(lastWeekValue(x)),
          sparkline(spark(x.weeks), `${x.name}: target met in ${spark(x.weeks).filter((w) => w.met).length} of the last ${SPARK_WEEKS} weeks`),
          // The week in progress under the status, not in its pill: a long pill widens the table past a phone.
          pill(format.status(x.status), statusTone[x.status]) + (x.metThisWeek ? '<br><span style="font-size:12px;color:#5b6472">met this week</span>' : ''),
        ]),
        ['left', 'right', 'left', 'left'],
      ) +
      p(
        esc(
          `The squares are the last ${SPARK_WEEKS} complete weeks, oldest first: dark blue, target met; pale blue, some time but below it; grey, none; white, not on the team yet. ${STATUS_RULE}`,
        ),
        true,
      ) +
      (offTrack.length ? p(`Off track: ${offTrack.map((x) => esc(x.name)).join(', ')}.`, true) : ''),
  ];
  if (m.coverage.flags.length)
    html.push(
      h2('Gaps in whom we hear from') +
        `<ul style="margin:0 0 10px;padding-left:20px">${m.coverage.flags.map((f) => `<li style="margin:0 0 4px">${esc(flagSentence(f))}</li>`).join('')}</ul>`,
    );
  if (overdue.length) {
    html.push(
      h2(`Promises overdue (${m.followUps.overdue})`) +
        table(
          ['Due', 'Conversation', 'Account', 'Owner'],
          overdue.map((i) => [
            esc(`${format.date(i.due)} (${i.daysOverdue} d)`),
            link(i.title || '(untitled)', i.url),
            esc(i.account ?? ''),
            esc(i.owners.map((o) => o.name ?? o.key).join(', ')),
          ]),
        ),
    );
  }
  if (studies.length) {
    html.push(
      h2('Studies in progress') +
        table(
          ['Study', 'Conversations', 'Evidence'],
          studies.map((s) => [esc(s.study), esc(s.conversations), pill(s.level, s.level === 'solid' ? 'good' : s.level === 'emerging' ? 'warn' : 'plain')]),
          ['left', 'right', 'left'],
        ),
    );
  }
  if (input.nuggets.length) {
    html.push(
      h2('Worth hearing') +
        input.nuggets
          .map(
            (n) =>
              `<blockquote style="margin:0 0 12px;padding:6px 12px;border-left:3px solid #0072b2;color:#1d2430">${esc(n.quote)}<br><span style="font-size:13px;color:#5b6472">${esc([n.account, n.people.join(', '), format.date(n.date)].filter(Boolean).join(' · '))}${url(n) ? ` · ${link('notes', url(n))}` : ''}</span></blockquote>`,
          )
          .join(''),
    );
  }
  html.push(button('Open the dashboard', dashboard));

  const text = [
    subject,
    '',
    headline,
    `${talked.count} of ${talked.of} people on the roster talked to a customer in the last 30 days. ${m.followUps.overdue} promises to customers are overdue.`,
    ...(practice ? [practice] : []),
    '',
    `CADENCE (${weekOf}; the last ${SPARK_WEEKS} complete weeks, oldest first: █ met, ▄ some, · none)`,
    ...pms.map(
      (x) => `  ${x.name.padEnd(22)} ${(x.team ?? '').padEnd(12)} ${lastWeekValue(x).padStart(6)}  ${sparkText(spark(x.weeks))}  ${format.statusNow(x)}`,
    ),
    `  ${STATUS_RULE}`,
    ...(m.coverage.flags.length ? ['', 'GAPS IN WHOM WE HEAR FROM', ...m.coverage.flags.map((f) => `  - ${flagSentence(f)}`)] : []),
    ...(overdue.length
      ? [
          '',
          `PROMISES OVERDUE (${m.followUps.overdue})`,
          ...overdue.map(
            (i) =>
              `  - ${i.due} (${i.daysOverdue} d) ${i.title || '(untitled)'}${i.account ? `, ${i.account}` : ''} — ${i.owners.map((o) => o.name ?? o.key).join(', ')}${i.url ? `\n    ${i.url}` : ''}`,
          ),
        ]
      : []),
    ...(studies.length ? ['', 'STUDIES IN PROGRESS', ...studies.map((s) => `  - ${s.study}: ${s.conversations} conversations, ${s.level}`)] : []),
    ...(input.nuggets.length
      ? [
          '',
          'WORTH HEARING',
          ...input.nuggets.map(
            (n) =>
              `  “${n.quote.replace(/^["“]|["”]$/g, '')}”\n    ${[n.account, n.people.join(', '), n.date].filter(Boolean).join(' · ')}${url(n) ? `\n    ${url(n)}` : ''}`,
          ),
        ]
      : []),
    '',
    `Dashboard: ${dashboard}`,
    '',
    footerText(m),
  ].join('\n');

  return {
    subject,
    html: page({ title: subject, preheader: headline, organisation: input.organisation, body: html, footer: footer(m) }),
    text: `${text}\n`,
  };
}

/** The team digest: every new conversation with its tl;dr, and what still lacks one or a debrief. */
export function composeTeam(input: TeamContent): Digest {
  const dashboard = `${input.dashboardUrl.replace(/\/+$/, '')}/?team=${encodeURIComponent(input.team)}`;
  const n = input.conversations.length;
  const sinceText = format.date(input.since);
  const subject =
    n === 0
      ? `${input.team}: no new customer conversations since ${sinceText}`
      : `${input.team}: ${n} customer conversation${n === 1 ? '' : 's'} since ${sinceText}`;
  const item = (c: ListedConversation) =>
    `<tr><td style="padding:8px 0;border-bottom:1px solid #e3e6ea"><div style="font-size:13px;color:#5b6472">${esc(format.date(c.date))} · ${esc(c.people.join(', ') || 'no interviewer')}${c.account ? ` · ${esc(c.account)}` : ''}</div><div style="font-weight:600;margin:2px 0">${link(c.title, url(c))}</div><div style="white-space:pre-line">${c.tldr ? esc(c.tldr) : '<span style="color:#5b6472">No tl;dr yet.</span>'}</div></td></tr>`;
  const missingWhat = (c: ListedConversation) => [c.tldr ? null : 'tl;dr', c.debriefed === false ? 'debrief' : null].filter(Boolean).join(' and ');
  const body = [
    h1(subject),
    n === 0
      ? p('Nothing new was recorded. The dashboard has the team’s weeks and gaps.', true)
      : `<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${input.conversations.map(item).join('')}</table>`,
  ];
  if (input.missing.length) {
    body.push(
      h2('Still missing a tl;dr or a debrief') +
        table(
          ['Date', 'Conversation', 'Missing'],
          input.missing.map((c) => [esc(format.date(c.date)), link(c.title, url(c)), esc(missingWhat(c))]),
        ),
    );
  }
  body.push(button(`Open ${input.team} on the dashboard`, dashboard));
  const text = [
    subject,
    '',
    ...(n === 0
      ? ['Nothing new was recorded.']
      : input.conversations.flatMap((c) => [
          `${c.date} · ${c.people.join(', ') || 'no interviewer'}${c.account ? ` · ${c.account}` : ''}`,
          `  ${c.title}`,
          `  ${c.tldr ? c.tldr.replace(/\n/g, '\n  ') : 'No tl;dr yet.'}`,
          ...(url(c) ? [`  ${url(c)}`] : []),
          '',
        ])),
    ...(input.missing.length ? ['STILL MISSING A TL;DR OR A DEBRIEF', ...input.missing.map((c) => `  - ${c.date} ${c.title}: ${missingWhat(c)}`), ''] : []),
    `Dashboard: ${dashboard}`,
    '',
    footerText(input.metrics),
  ].join('\n');
  return {
    subject,
    html: page({
      title: subject,
      preheader: n === 0 ? 'Nothing new.' : `${n} new conversations`,
      organisation: input.organisation,
      body,
      footer: footer(input.metrics),
    }),
    text: `${text}\n`,
  };
}

function footer(m: Metrics): string {
  return esc(footerText(m));
}

function footerText(m: Metrics): string {
  return `Figures as of ${format.date(m.asOf)}, weeks in ${m.timezone}. Sent by touchpoint, which reads your interview notes and never writes them.`;
}
