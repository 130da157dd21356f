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
