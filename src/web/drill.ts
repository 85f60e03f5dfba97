import type { Request } from 'express';
import { CALL_TYPES, CUSTOMER_STATUSES, type CallType, type CustomerStatus } from '../model/interview.js';
import type { DrillQuery } from '../index.js';
import { filterQuery, type Filters } from './context.js';

/**
 * The rows behind a count: `/conversations?…` links, read back. One place writes the query string
 * (`drillHref`) and one reads it (`readDrill`), so a link from any page asks for exactly the rows
 * its count was made of (docs/metrics.md, "Drill-down").
 */

/** The criteria a link may carry, besides the page filters (team, source) and the dates. */
export type DrillCriteria = Omit<DrillQuery, 'window'> & { window?: DrillQuery['window'] };

/** Text criteria, as they appear in the query string. */
const TEXT = ['person', 'led', 'present', 'segment', 'tier', 'account', 'study', 'tag'] as const;

const WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** `/conversations?…` for the criteria, keeping the page's team and source; the window is the page's unless the criteria set one. */
export function drillHref(filters: Filters, defaults: { windowDays: number }, criteria: DrillCriteria): string {
  const params: Record<string, string> = {};
  for (const key of TEXT) {
    const value = criteria[key];
    if (value) params[key] = value;
  }
  if (criteria.status) params['status'] = criteria.status;
  if (criteria.callType) params['callType'] = criteria.callType;
  if (criteria.followUp) params['followUp'] = criteria.followUp;
  if (criteria.week) params['week'] = criteria.week;
  if (criteria.before) params['before'] = '1';
  const window = criteria.week ? undefined : criteria.window;
  // The page's window is in `filters` (and left out when it is the default); another one is said here.
  const base = window === undefined ? filters : { ...filters, windowDays: defaults.windowDays };
  if (window !== undefined && window !== defaults.windowDays) params['window'] = String(window);
  return `/conversations${filterQuery(base, defaults, params)}`;
}

/** The drill-down a request asks for, and what in it was not understood (said on the page, 400 on the API). */
export function readDrill(req: Request, filters: Filters): { drill: DrillQuery; unknown: string[] } {
  const one = (name: string) => {
    const value = req.query[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  const unknown: string[] = [];
  const drill: DrillQuery = { window: one('window')?.toLowerCase() === 'all' ? 'all' : filters.windowDays };
  for (const key of TEXT) {
    const value = one(key);
    if (value !== null) drill[key] = key === 'person' || key === 'led' || key === 'present' ? value.toLowerCase() : value;
  }
  const status = one('status');
  if (status !== null) {
    if ((CUSTOMER_STATUSES as readonly string[]).includes(status)) drill.status = status as CustomerStatus;
    else unknown.push(`"${status}" is not a customer status (${CUSTOMER_STATUSES.join(', ')}): not filtered by status.`);
  }
  const callType = one('callType');
  if (callType !== null) {
    if (callType === 'all' || (CALL_TYPES as readonly string[]).includes(callType)) drill.callType = callType as CallType | 'all';
    else unknown.push(`"${callType}" is not a call type (${CALL_TYPES.join(', ')}, or all): showing the counted ones.`);
  }
  const followUp = one('followUp');
  if (followUp !== null) {
    if (followUp === 'open' || followUp === 'overdue') drill.followUp = followUp;
    else unknown.push(`"${followUp}" is not a follow-up state (open or overdue): not filtered by follow-ups.`);
  }
  const week = one('week');
  if (week !== null) {
    if (WEEK.test(week.toUpperCase())) drill.week = week.toUpperCase();
    else unknown.push(`"${week}" is not an ISO week such as 2026-W12: showing the window.`);
  }
  if (one('before') === '1' && drill.window !== 'all') drill.before = true;
  return { drill, unknown };
}
