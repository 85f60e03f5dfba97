import { z } from 'zod';
import { ConfigSchema } from './schema.js';

/** The JSON Schema editors use to complete and check `touchpoint.config.yaml`. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'touchpoint configuration',
  };
}
