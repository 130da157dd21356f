import { sql } from 'kysely';
import pino from 'pino';
import { openPostgres, type Database, type Db, type Executor } from '../src/db/database.js';
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
  const database = await openPostgres(url, { max: 2 });
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

/** What `EXPLAIN (ANALYZE, FORMAT JSON)` reports that these benches read. */
export interface Plan {
  'Execution Time': number;
  Triggers?: Array<{ 'Trigger Name': string; Time: number; Calls: number }>;
}

/** `EXPLAIN (ANALYZE)` of `statement` in a transaction that is rolled back, after `prepare` in the same transaction. */
export async function explainRolledBack(db: Db, statement: string, prepare?: (trx: Executor) => Promise<void>): Promise<Plan> {
  let plan!: Plan;
  await db
    .transaction()
    .execute(async (trx) => {
      await prepare?.(trx);
      const r = await sql.raw<{ 'QUERY PLAN': Plan[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`).execute(trx);
      plan = r.rows[0]!['QUERY PLAN'][0]!;
      throw new Error('rollback');
    })
    .catch((err: Error) => {
      if (err.message !== 'rollback') throw err;
    });
  return plan;
}
