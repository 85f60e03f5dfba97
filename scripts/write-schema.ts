/** Writes touchpoint.schema.json from the zod config schema: `npm run schema`. */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.js';

writeFileSync(new URL('../touchpoint.schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log('wrote touchpoint.schema.json');
