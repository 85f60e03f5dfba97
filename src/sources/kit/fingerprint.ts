import { createHash } from 'node:crypto';
import type { SourceConfig } from '../../config/schema.js';
import type { Person } from '../../model/person.js';

/** Settings that change how a source is read, not what its rows become: no full listing for these. */
const OPERATIONAL = new Set([
  'fullListingHours',
  'timeoutSeconds',
  'maxRetries',
  'retryBaseSeconds',
  'runTimeoutMinutes',
  'requestsPerSecond',
  'pageSize',
  'apiBaseUrl',
  'endpointUrl',
  'incrementalOverlapMinutes',
  'lastModifiedField',
]);

/** JSON with keys in order, so the same setup always hashes the same. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A hash of everything that decides what a source's rows become: its identity, mapping, value
 * maps, zone and limits, and the roster (who counts as on it is stored with every row).
 */
export function setupFingerprint(source: SourceConfig, roster: readonly Person[], timezone: string): string {
  const setup = Object.fromEntries(Object.entries(source).filter(([key]) => !OPERATIONAL.has(key)));
  const people = roster.map((p) => [p.email, p.name]).sort();
  return createHash('sha256').update(stable({ setup, people, timezone })).digest('hex').slice(0, 16);
}
