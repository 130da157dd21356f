import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateClientTypes, generateOpenApi } from '../http/openapi.js';

/**
 * `npm run openapi`: regenerates the committed API contract (openapi/openapi.json) and the client
 * types generated from it (openapi/openapi.d.ts). `npm run openapi -- --check` writes nothing and
 * exits 1 when either is stale.
 */
const DOCUMENT = 'openapi/openapi.json';
const TYPES = 'openapi/openapi.d.ts';

const document = await generateOpenApi();
const types = await generateClientTypes(document);
const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

if (process.argv.includes('--check')) {
  const stale = [
    [DOCUMENT, document],
    [TYPES, types],
  ]
    .filter(([path, text]) => read(path!) !== text)
    .map(([path]) => path);
  if (stale.length) {
    console.error(`stale: ${stale.join(', ')} — run \`npm run openapi\` and commit the result`);
    process.exit(1);
  }
  console.log(`${DOCUMENT} and ${TYPES} are up to date`);
} else {
  mkdirSync('openapi', { recursive: true });
  writeFileSync(DOCUMENT, document);
  writeFileSync(TYPES, types);
  console.log(`wrote ${DOCUMENT} and ${TYPES}`);
}
