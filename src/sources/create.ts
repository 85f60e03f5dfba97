import type { Config, SourceConfig } from '../config/schema.js';
import type { Secrets } from '../config/env.js';
import type { Source } from './source.js';
import type { Clock } from '../model/clock.js';
import { CsvSource } from './csv/read.js';
import { NotionSource } from './notion/read.js';
import { AirtableSource } from './airtable/read.js';

/** What adapters may need from outside: secrets, and a clock tests can fake. */
export interface SourceDeps {
  secrets: Pick<Secrets, 'notionToken' | 'airtableToken'>;
  clock?: Clock;
}

/** Build the adapter for one configured source. */
export function createSource(source: SourceConfig, config: Config, deps: SourceDeps): Source {
  switch (source.kind) {
    case 'csv':
      return new CsvSource(source, config.roster, config.timezone);
    case 'notion':
      return new NotionSource(source, config.roster, config.timezone, { token: deps.secrets.notionToken, clock: deps.clock });
    case 'airtable':
      return new AirtableSource(source, config.roster, config.timezone, { token: deps.secrets.airtableToken, clock: deps.clock });
  }
}
