import type { Finding, FindingCode } from '../model/finding.js';
import type { CustomerStatus } from '../model/interview.js';
import type { CoverageFlag } from '../metrics/coverage.js';
import type { QualityFlag, QualityRates, Rate } from '../metrics/quality.js';
import { roleTarget } from '../metrics/cadence.js';
import type { Targets } from '../config/schema.js';
import { format } from './format.js';

/**
 * Every sentence touchpoint writes about its data, in one place: the core hands over codes and
 * numbers (findings, coverage flags), and web, CLI and digests all say them with these words.
 */

const FINDINGS: Record<FindingCode, (f: Finding) => string> = {
  missing_id: (f) => `no record id in ${q(f.field)}; the row cannot be tracked and was skipped`,
  duplicate_id: (f) => `record id ${q(f.value)} appears more than once; only the first row was kept`,
  missing_date: (f) => `no date in ${q(f.field)}; kept but not counted in any metric`,
  invalid_date: (f) => `${q(f.value)} in ${q(f.field)} is not a date touchpoint can read; kept but not counted`,
  invalid_number: (f) => `${q(f.value)} in ${q(f.field)} is not a number; treated as empty`,
  invalid_boolean: (f) => `${q(f.value)} in ${q(f.field)} is not yes/no; treated as unknown`,
  missing_interviewer: (f) => `no interviewer in ${q(f.field)}; kept, credited to nobody`,
  unknown_person: (f) => `${q(f.value)} in ${q(f.field)} is not on the roster; kept, not credited to a roster person`,
  unmapped_value: (f) => `${q(f.value)} in ${q(f.field)} has no mapping; add it under the field's "values" in the config`,
  relation_not_shared: (f) => `${q(f.field)} links to a page the integration cannot see (${f.value ?? 'unknown'}); share its database with the integration`,
  column_renamed: (f) => `the column ${q(f.field)} is now called ${q(f.value)} in the source; touchpoint follows it by id — update the mapping in the config`,
  formula_error: (f) =>
    `the formula, rollup or lookup in ${q(f.field)} returned an error (${f.value ?? 'error'}); fix it in the source, the value was left empty`,
  no_change_tracking: () =>
    'the table has no "Last modified time" field that tracks all fields, so every sync lists every row; add one (or set sources[].lastModifiedField) to make syncs incremental',
  empty_source: () => 'the source has no rows',
  malformed_row: (f) => `the row could not be read: ${f.value ?? 'unknown reason'}`,
  implausible_value: (f) =>
    f.severity === 'excluded'
      ? `${q(f.value)} in ${q(f.field)} is not a plausible date (before 2000, more than a year ahead, or an impossible offset); kept but not counted`
      : `${q(f.value)} in ${q(f.field)} is not plausible (a duration over the limit, or an end before the start); the value does not count`,
};

/** One sentence a person can act on, e.g. for the sync report and the data-quality page. */
export function findingSentence(finding: Finding): string {
  return FINDINGS[finding.code](finding);
}

function q(text: string | null): string {
  return text === null ? '(none)' : `"${text}"`;
}

const STATUS_WORDS: Record<CustomerStatus, string> = {
  current: 'current customers',
  former: 'former customers',
  prospect: 'prospects',
  lost: 'lost deals',
  unknown: 'customers of unknown status',
};

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** A coverage gap as a sentence: "No SMB conversations in the last 90 days (last: 2026-07-01)." */
export function flagSentence(flag: CoverageFlag): string {
  const since = flag.lastHeard ? ` (last: ${flag.lastHeard})` : ' (never heard)';
  const days = `in the last ${flag.windowDays} days`;
  switch (flag.code) {
    case 'segment_unheard':
      return `No ${flag.key} conversations ${days}${since}.`;
    case 'segment_below_minimum':
      return `Only ${flag.conversations} ${flag.key} ${plural(flag.conversations, 'conversation')} ${days}; ${flag.minimum} give a picture.`;
    case 'status_unheard':
      return `No ${STATUS_WORDS[flag.key as CustomerStatus] ?? flag.key} heard ${days}${since}.`;
    case 'status_below_minimum':
      return `Only ${flag.conversations} ${plural(flag.conversations, 'conversation')} with ${STATUS_WORDS[flag.key as CustomerStatus] ?? flag.key} ${days}; ${flag.minimum} give a picture.`;
  }
}

/** The status rule in one line, shown beside every status (pages, digests): docs/metrics.md, "Status". */
export const STATUS_RULE =
  'On track: met the target last week and in at least 3 of the last 4 complete weeks. At risk: 2 of the 4. Off track: fewer. The week in progress never changes the status.';

/** The practice rates that have a target (docs/metrics.md, "quality"), in the words every surface uses. */
export const PRACTICE_RATES = [
  { key: 'trio', label: 'Trio present', words: 'the PM, a designer and an engineer were all there' },
  { key: 'debrief', label: 'Debriefed', words: 'debriefed as a team' },
  { key: 'tldr', label: 'tl;dr written', words: 'a tl;dr for the developers' },
] as const;

/** Whether a rate meets its target: `met`, `below`, or null when there is nothing to judge. */
export function practiceTone(rate: Rate, target: number): 'met' | 'below' | null {
  if (!rate.tracked || rate.rate === null) return null;
  return rate.rate >= target - 1e-9 ? 'met' : 'below';
}

/** "Debriefed: 45 % of conversations (9/20), against a target of 80 %." */
export function practiceSentence(label: string, rate: Rate, target: number): string {
  return `${label}: ${Math.round((rate.rate ?? 0) * 100)} % of conversations (${rate.numerator}/${rate.denominator}), against a target of ${Math.round(target * 100)} %.`;
}

/** A PM whose customer calls are mostly not discovery. */
export function qualityFlagSentence(flag: QualityFlag): string {
  const share = flag.calls === 0 ? 0 : Math.round((flag.conversations / flag.calls) * 100);
  return `${flag.name}: only ${flag.conversations} of ${flag.calls} customer ${plural(flag.calls, 'call')} (${share} %) were learning conversations; the rest were sales, support or other calls (target: at least ${Math.round(flag.minimum * 100)} %).`;
}

/** The exec digest's practice line: "Practice, last 90 days: trio 34 % (target 50 %) · …". */
export function practiceSummary(rates: QualityRates, practice: { trio: number; debrief: number; tldr: number }, days: number): string | null {
  const parts = PRACTICE_RATES.flatMap(({ key, label }) => {
    const r = rates[key];
    return r.tracked && r.rate !== null ? [`${label.toLowerCase()} ${Math.round(r.rate * 100)} % (target ${Math.round(practice[key] * 100)} %)`] : [];
  });
  if (rates.calls > 0) parts.push(`learning conversations ${Math.round((rates.conversations / rates.calls) * 100)} % of customer calls`);
  return parts.length ? `Practice, last ${days} days: ${parts.join(' · ')}.` : null;
}

/** Each role's cadence rule, for the People page: "PMs: 2 h a week. design: 2 h every 6 weeks. …" (docs/metrics.md, "Targets per role"). */
export function roleRules(targets: Targets, roles: readonly string[]): string {
  const rules = [...new Set(['pm', ...roles])].map((role) => {
    const rule = format.target(targets.measure, roleTarget(targets, role));
    return role === 'pm' ? `PMs: ${rule}` : `${role}: ${rule}`;
  });
  return `Targets per role — ${rules.join('; ')}. A longer period is judged over the weeks ending with each week (exposure hours: time with customers for everyone on the team, not a weekly quota).`;
}
