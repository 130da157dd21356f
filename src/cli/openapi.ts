import { mkdirSync, writeFileSync } from 'node:fs';
import { generateOpenApi } from '../http/openapi.js';

// `npm run openapi`: regenerate the committed API contract.
const out = 'openapi/openapi.json';
mkdirSync('openapi', { recursive: true });
writeFileSync(out, await generateOpenApi());
console.log(`wrote ${out}`);
