import pino from 'pino';
import { openPostgres, type Database } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createDatabaseOn } from '../src/db/server-databases.js';
import { businessDate } from '../src/services/business-date.js';
import { OutcomeSummaryService } from '../src/services/outcome-summary.js';
import type { ProvisionedServices } from '../test/support/services.js';
import { populate } from './forecast.js';

/**
 * A database in the forecast bench's shape (bench/forecast.ts `populate`) on `services`' server,
 * migrated, with the outcome summary's writer, for the benches of the summary's triggers
 * (bench/award-write.ts, bench/rule-version.ts).
 */
export async function summaryPopulation(
  services: ProvisionedServices,
  name: string,
  children: number,
): Promise<{ database: Database; summary: OutcomeSummaryService }> {
  const { url } = await createDatabaseOn(services.databaseUrl, name);
  const env = { ...process.env, DATABASE_URL: url, REDIS_URL: services.redisUrl, QUEUE_PREFIX: `${name}${Date.now()}` };
  console.log(`populating ${children} children …`);
  await populate(env, children, businessDate(new Date(), 'Europe/Copenhagen'));
  const database = await openPostgres(url, 2);
  await migrateToLatest(database.db);
  const summary = new OutcomeSummaryService({
    db: database.db,
    log: pino({ level: 'warn' }),
    cpr: undefined as never,
    clock: () => new Date(),
    timeZone: 'Europe/Copenhagen',
    afterCommit: () => {},
  });
  return { database, summary };
}
