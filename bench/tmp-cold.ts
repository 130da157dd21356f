import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
const ctx = await createContext(loadConfig({ ...process.env, LOG_LEVEL: process.env.LL ?? 'warn' }), createLogger((process.env.LL ?? 'warn') as never), { inMemory: true });
const fund = (await sql<{ fund_id: string }>`SELECT fund_id FROM rules GROUP BY fund_id ORDER BY count(*) DESC LIMIT 1`.execute(ctx.db)).rows[0]!.fund_id;
for (let i = 0; i < 4; i++) {
  await sql`SELECT nextval('forecast_inputs_seq')`.execute(ctx.db);
  const c0 = process.cpuUsage();
  const t = performance.now();
  await ctx.services.forecast.forecast(fund, { horizon: 25 });
  const c = process.cpuUsage(c0);
  console.log('forecast wall', Math.round(performance.now() - t), 'node cpu', Math.round((c.user + c.system) / 1000));
}
await ctx.close();
