import type { Config, SourceConfig } from '../config/schema.js';
import type { Source } from './source.js';
import { CsvSource } from './csv/read.js';

/** Build the adapter for one configured source. */
export function createSource(source: SourceConfig, config: Config): Source {
  switch (source.kind) {
    case 'csv':
      return new CsvSource(source, config.roster, config.timezone);
  }
}
