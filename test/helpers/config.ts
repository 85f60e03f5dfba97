import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput, CsvSourceConfig } from '../../src/config/schema.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url);
export const fixturePath = (name: string) => new URL(name, FIXTURES).pathname;

/** The full mapping used by the CSV fixtures (every model field). */
export const FULL_MAPPING = parse(readFileSync(fixturePath('csv/mapping.yaml'), 'utf8')) as Record<string, unknown>;

/** The roster most tests use: two PMs, a designer, an engineer. */
export const ROSTER = [
  { name: 'Pat Lee', email: 'pat@co.example', role: 'pm', team: 'Core' },
  { name: 'Kim Ortiz', email: 'kim@co.example', role: 'pm', team: 'Core' },
  { name: 'Dana Cho', email: 'dana@co.example', role: 'design', team: 'Core' },
  { name: 'Eli Ward', email: 'eli@co.example', role: 'engineering', team: 'Core' },
];

/** A validated config with one CSV source at `path`; overrides are merged on top. */
export function csvConfig(path: string, overrides: Partial<ConfigInput> & { source?: Record<string, unknown> } = {}): Config {
  const { source, ...rest } = overrides;
  return parseConfig({
    timezone: 'Europe/Berlin',
    roster: ROSTER,
    store: { path: ':memory:' },
    sources: [
      {
        name: 'notes',
        kind: 'csv',
        path,
        mapping: { id: 'ID', title: 'Name', startsAt: 'Date', interviewers: 'Interviewer', customerStatus: 'Customer status' },
        ...source,
      },
    ],
    ...rest,
  });
}

export function onlyCsvSource(config: Config): CsvSourceConfig {
  const source = config.sources[0];
  if (source?.kind !== 'csv') throw new Error('expected a csv source');
  return source;
}
