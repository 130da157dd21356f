import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createContext } from '../context.js';
import { buildApp } from './app.js';

/**
 * The OpenAPI document as generated from the routes' zod schemas, on a throwaway embedded
 * context. `npm run openapi` commits it to openapi/openapi.json; a test fails when stale.
 */
export async function generateOpenApi(): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const ctx = await createContext(config, createLogger('silent'), { inMemory: true });
  try {
    const app = await buildApp(ctx);
    await app.ready();
    const doc = app.swagger();
    await app.close();
    return JSON.stringify(doc, null, 2) + '\n';
  } finally {
    await ctx.close();
  }
}

const TYPES_HEADER = `/**
 * TypeScript types of the API, generated from openapi/openapi.json by openapi-typescript
 * (\`npm run openapi\`). Do not edit: a test fails when this file is stale. Used with
 * openapi-fetch (src/vectors/client.ts): a change of the contract that breaks a caller breaks
 * the build.
 */
`;

/** The client types of a document (openapi-typescript; a development dependency, loaded on demand). */
export async function generateClientTypes(documentJson: string): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  // defaultNonNullable: false — a field with a default may be left out of a request.
  const ast = await openapiTS(JSON.parse(documentJson), { alphabetize: true, defaultNonNullable: false });
  return TYPES_HEADER + astToString(ast);
}
