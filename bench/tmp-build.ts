import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
const ctx = await createContext(loadConfig({ ...process.env, LOG_LEVEL: 'info' }), createLogger('info'), { inMemory: true });
await sql`INSERT INTO forecast_dirty SELECT id FROM children`.execute(ctx.db);
const t = performance.now();
console.log(await ctx.services.forecast.summary.refresh(), Math.round(performance.now() - t));
await ctx.close();
