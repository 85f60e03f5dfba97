import type { Interview } from '../model/interview.js';
import type { Person } from '../model/person.js';
import type { Targets } from '../config/schema.js';
import { collectConversations } from './conversations.js';
import { computeCadence, type CadenceResult } from './cadence.js';

export * from './cadence.js';
export * from './conversations.js';
export * from './time.js';

/** Everything metrics need; time comes in as `asOf`, never from a clock. */
export interface MetricsInput {
  interviews: readonly Interview[];
  roster: readonly Person[];
  targets: Targets;
  timezone: string;
  asOf: string;
}

/** The metrics document served by the dashboard and `touchpoint metrics --json`. */
export interface Metrics {
  asOf: string;
  timezone: string;
  cadence: CadenceResult;
}

/** Compute every metric as of a date; pure. */
export function computeMetrics(input: MetricsInput): Metrics {
  const conversations = collectConversations(input.interviews, input.targets, input.timezone, input.asOf);
  return {
    asOf: input.asOf,
    timezone: input.timezone,
    cadence: computeCadence(conversations, input.roster, input.targets, input.asOf),
  };
}
