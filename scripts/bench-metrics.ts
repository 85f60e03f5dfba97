/**
 * The metrics part of `npm run bench`: realistic rows, the one-pass floor, and the timing of both.
 * `npm run bench` runs 10 000 and 100 000 interviews in its own process; with BENCH_MILLION=1 it
 * compiles this file to dist/bench-metrics.js and runs 1 000 000 in a process of its own, whose
 * peak RSS is then the rows' and the metrics' alone (the bench's process holds 100 000 more):
 *
 *   node --expose-gc dist/bench-metrics.js <n>    prints JSON: medians, RSS with the rows, peak RSS computing (then with the floor's turns too)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config/load.js';
import { computeMetrics } from '../src/metrics/index.js';
import type { Interview } from '../src/model/interview.js';
import { interview, person } from '../test/helpers/interviews.js';

/** The bench's 40 people: 30 PMs and 10 designers in four teams. */
export const roster = Array.from({ length: 40 }, (_, i) => ({
  name: `PM ${i}`,
  email: `pm${i}@co.example`,
  role: i < 30 ? 'pm' : 'design',
  team: `Team ${i % 4}`,
}));
export const config = parseConfig({ timezone: 'Europe/Berlin', asOf: '2026-11-20', roster });
/** Row i's instant: over the year before the as-of date, at one of nine hours. */
export const day = (i: number) => new Date(Date.UTC(2026, 10, 20) - (i % 365) * 86_400_000 + (i % 9) * 3_600_000).toISOString();

/** Rows as a team writes them: attendees, follow-ups, tl;drs, studies, several tags, nuggets. */
export const realistic = (n: number): Interview[] =>
  Array.from({ length: n }, (_, i) =>
    interview({
      id: `bench:${i}`,
      startsAt: i % 5 === 0 ? day(i).slice(0, 10) : day(i),
      durationMinutes: i % 8 === 0 ? null : 30 + (i % 4) * 15,
      interviewers: [person(`pm${i % 40}@co.example`)],
      attendees: i % 3 === 0 ? [person(`pm${(i + 1) % 40}@co.example`), person(`pm${(i + 31) % 40}@co.example`)] : [],
      account: `Account ${i % 500}`,
      segment: ['Enterprise', 'Mid-market', 'SMB', 'Startup'][i % 4]!,
      customerStatus: (['current', 'current', 'current', 'former', 'prospect', 'lost'] as const)[i % 6]!,
      tier: `Tier ${1 + (i % 3)}`,
      callType: i % 7 === 0 ? 'sales' : i % 11 === 0 ? 'support' : i % 5 === 0 ? 'usability' : 'learning',
      location: (['video', 'onsite', 'phone'] as const)[i % 3]!,
      study: i % 4 === 0 ? `Study ${i % 30}` : null,
      tldr: i % 2 === 0 ? 'Import is the blocker; they export to spreadsheets every week.' : null,
      notesUrl: `https://www.notion.so/notes-${i}`,
      debriefed: i % 3 === 0 ? null : i % 3 === 1,
      followUps: i % 6 === 0 ? { due: day(i + 3).slice(0, 10), done: i % 12 === 0 } : { due: null, done: null },
      tags: ['onboarding', 'pricing', 'integrations', 'reporting', 'performance'].slice(0, 1 + (i % 4)),
      nugget: i % 50 === 0 ? '“We gave up at the import step.”' : null,
      createdAt: day(i),
      updatedAt: day(i),
    }),
  );

/**
 * The one-pass floor: a single loop accumulating what the metrics show — hours and conversations
 * per person and ISO week, counts and accounts per segment, status and tier, studies, the rates
 * of practice quality, open and overdue follow-ups, tag counts — with integer day arithmetic.
 */
export function onePass(rows: readonly Interview[], asOf: string): number {
  const asOfDay = Date.parse(`${asOf}T00:00:00Z`) / 86_400_000;
  const weeks = new Map<string, number>();
  const bySegment = new Map<string, Set<string>>();
  const byStatus = new Map<string, number>();
  const byTier = new Map<string, number>();
  const studies = new Map<string, number>();
  const tags = new Map<string, number>();
  let trio = 0;
  let debriefed = 0;
  let tldr = 0;
  let open = 0;
  let overdue = 0;
  for (const r of rows) {
    if ((r.callType !== 'learning' && r.callType !== 'usability') || r.startsAt === null) continue;
    // Local day in Berlin, roughly: UTC + 1 h (the floor need not be exact, only as much work).
    const dayNo = Math.floor((Date.parse(r.startsAt) + 3_600_000) / 86_400_000);
    if (dayNo > asOfDay) continue;
    const week = Math.floor((dayNo + 3) / 7);
    const hours = (r.durationMinutes ?? 60) / 60;
    for (const p of r.interviewers) weeks.set(`${p.key}|${week}`, (weeks.get(`${p.key}|${week}`) ?? 0) + hours);
    for (const p of r.attendees) weeks.set(`${p.key}|${week}`, (weeks.get(`${p.key}|${week}`) ?? 0) + hours);
    if (asOfDay - dayNo >= 90) continue;
    const segment = r.segment ?? '';
    let accounts = bySegment.get(segment);
    if (!accounts) bySegment.set(segment, (accounts = new Set()));
    if (r.account) accounts.add(r.account);
    byStatus.set(r.customerStatus, (byStatus.get(r.customerStatus) ?? 0) + 1);
    byTier.set(r.tier ?? '', (byTier.get(r.tier ?? '') ?? 0) + 1);
    if (r.study) studies.set(r.study, (studies.get(r.study) ?? 0) + 1);
    for (const t of r.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
    if (r.attendees.length >= 2) trio += 1;
    if (r.debriefed) debriefed += 1;
    if (r.tldr) tldr += 1;
    if (r.followUps.due && !r.followUps.done) {
      open += 1;
      if (Date.parse(r.followUps.due) / 86_400_000 < asOfDay) overdue += 1;
    }
  }
  return weeks.size + bySegment.size + byStatus.size + byTier.size + studies.size + tags.size + trio + debriefed + tldr + open + overdue;
}

/** Medians of `a` and `b`, run in turn `runs` times each. */
export function medianPair(a: () => unknown, b: () => unknown, runs = 9): [number, number] {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [k, work] of [a, b].entries()) {
      const started = performance.now();
      work();
      times[k]!.push(performance.now() - started);
    }
  }
  const median = (list: number[]) => list.sort((x, y) => x - y)[Math.floor(runs / 2)]!;
  return [median(times[0]), median(times[1])];
}

/** Metrics and the floor over `rows`, warmed, then nine each in turn. */
export function benchMetrics(rows: readonly Interview[]): { metricsMs: number; floorMs: number } {
  const input = { interviews: rows, roster: config.roster, targets: config.targets, timezone: config.timezone, asOf: '2026-11-20' };
  computeMetrics(input); // warm
  onePass(rows, '2026-11-20');
  // Turn about, nine each, so both see the same machine (another process, a collection).
  const [metricsMs, floorMs] = medianPair(
    () => computeMetrics(input),
    () => onePass(rows, '2026-11-20'),
  );
  return { metricsMs, floorMs };
}

/** Resident memory in MB from /proc (Linux): now (VmRSS), or the peak since it was last reset (VmHWM). */
const status = (field: 'VmRSS' | 'VmHWM') => {
  const line =
    readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(field)) ?? '';
  return Math.round(Number(/\d+/.exec(line)?.[0] ?? 0) / 1024);
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = realistic(Number(process.argv[2]));
  (globalThis as { gc?: () => void }).gc?.();
  const rowsMb = status('VmRSS');
  // The memory first, of the metrics alone (five of them, as the floor's garbage would be counted
  // too in turns): writing 5 to clear_refs resets the peak (proc(5)), so it is not the rows' making.
  writeFileSync('/proc/self/clear_refs', '5');
  const input = { interviews: rows, roster: config.roster, targets: config.targets, timezone: config.timezone, asOf: '2026-11-20' };
  for (let i = 0; i < 5; i++) computeMetrics(input);
  const peakMb = status('VmHWM');
  const { metricsMs, floorMs } = benchMetrics(rows);
  console.log(JSON.stringify({ metricsMs, floorMs, rowsMb, peakMb, peakWithFloorMb: status('VmHWM') }));
}
