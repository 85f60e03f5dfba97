import { parseConfig } from '../../config/load.js';
import type { MappedField } from '../../config/schema.js';
import type { Secrets } from '../../config/env.js';
import type { Clock } from '../../model/clock.js';
import { createSource } from '../../sources/create.js';
import { proposeSetup, sampleColumns, type Proposal } from './propose.js';
import type { InitTarget } from './write.js';

export { renderConfig, placeholderEmail, type InitTarget, type WriteContext } from './write.js';
export { proposeSetup, proposeMapping, placeValue, ENUM_FIELDS, type Proposal, type ProposedValue, type RosterDraft, type EnumField } from './propose.js';
export { FIELD_NAMES, normaliseName } from './names.js';

/** Rows `init` reads for counts unless told otherwise: every row of most tables, in a few requests. */
export const INIT_SAMPLE_ROWS = 2000;

export interface ReadSetupOptions {
  target: InitTarget;
  sourceName: string;
  timezone: string;
  /** Rows to count values and people over (0: the schema only). */
  sampleRows: number;
  /** Field → column, from `--map`, placed before any guess. */
  forced?: Partial<Record<MappedField, string>>;
  secrets: Pick<Secrets, 'notionToken' | 'airtableToken'>;
  clock?: Clock;
  /** Called between the two reads, for progress. */
  onStep?: (step: 'schema' | 'sample') => void;
}

/**
 * Read a source's schema, propose a mapping, count the values and people of the columns it
 * chose over the first rows, and return the whole proposal. Nothing is written.
 */
export async function readSetup(options: ReadSetupOptions): Promise<Proposal> {
  const t = options.target;
  // A provisional source: describeSchema and sampleValues read no mapped column.
  const placeholder = { title: '-', startsAt: '-' };
  const config = parseConfig(
    {
      timezone: options.timezone,
      sources: [
        {
          name: options.sourceName,
          mapping: placeholder,
          ...(t.kind === 'notion' ? { kind: 'notion', database: t.database, ...(t.apiBaseUrl ? { apiBaseUrl: t.apiBaseUrl } : {}) } : {}),
          ...(t.kind === 'airtable' ? { kind: 'airtable', baseId: t.baseId, table: t.table, ...(t.endpointUrl ? { endpointUrl: t.endpointUrl } : {}) } : {}),
          ...(t.kind === 'csv' ? { kind: 'csv', path: t.path } : {}),
        },
      ],
    },
    'the init arguments',
  );
  const source = createSource(config.sources[0]!, config, { secrets: options.secrets, ...(options.clock ? { clock: options.clock } : {}) });
  options.onStep?.('schema');
  const schema = await source.describeSchema();
  const first = proposeSetup(schema, null, options.forced);
  if (options.sampleRows <= 0) return first;
  options.onStep?.('sample');
  const sample = await source.sampleValues({ ...sampleColumns(first.fields), limit: options.sampleRows });
  return proposeSetup(schema, sample, options.forced);
}
