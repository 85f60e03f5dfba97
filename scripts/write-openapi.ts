// Writes docs/openapi.json from the API's zod schemas (src/web/api.ts); a test keeps it up to date.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../src/web/api.js';
import { VERSION } from '../src/version.js';

const path = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(openApiDocument(VERSION), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
