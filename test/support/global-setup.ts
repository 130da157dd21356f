/**
 * vitest globalSetup: provisions real PostgreSQL and Redis once per run, builds the migrated
 * template database every test file clones (see ./db.ts), and tears everything down at the end —
 * also on SIGINT/SIGTERM (vitest exits 1 ms after those without running the teardown, so the
 * cleanup there is synchronous; the watchdogs in ./services.ts remove the temp dirs).
 */
import pg from 'pg';
import { databaseUrlFor, onServer } from '../../src/db/server-databases.js';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { emergencyCleanupSync, log, provisionServices } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a database on the test server to run CREATE/DROP DATABASE from (never the template). */
    databaseAdminUrl: string;
    redisUrl: string;
    /** Name of the migrated database that `freshDatabaseUrl()` clones. */
    templateDatabase: string;
  }
}

const TEMPLATE_DATABASE = 'smb_template';
/** Every per-file database is named `smb_t_<random>` (test/support/db.ts); teardown drops them all. */
const TEST_DATABASE_PATTERN = 'smb\\_t\\_%';

async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`);
}

async function buildTemplate(adminUrl: string): Promise<void> {
  await onServer(adminUrl, async (client) => {
    await dropDatabase(client, TEMPLATE_DATABASE);
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(TEMPLATE_DATABASE)}`);
  });
  const database = await openPostgres(databaseUrlFor(adminUrl, TEMPLATE_DATABASE), { max: 2 });
  try {
    const applied = await migrateToLatest(database.db);
    log(`template database ${TEMPLATE_DATABASE}: applied ${applied.length} migrations (${applied.join(', ')})`);
  } finally {
    await database.close();
  }
  // Cloning requires that nobody is connected to the template; forbid connections outright so a
  // stray connection fails loudly instead of breaking CREATE DATABASE … TEMPLATE for other files.
  await onServer(adminUrl, (client) => client.query(`ALTER DATABASE ${pg.escapeIdentifier(TEMPLATE_DATABASE)} WITH ALLOW_CONNECTIONS false`));
}

async function dropTestDatabases(adminUrl: string): Promise<void> {
  await onServer(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [TEST_DATABASE_PATTERN]);
    for (const { datname } of rows) await dropDatabase(client, datname);
    await dropDatabase(client, TEMPLATE_DATABASE);
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await provisionServices();

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping test services`);
    emergencyCleanupSync();
    // vitest's own handler exits the process; should nobody else, exit shortly with the signal's code.
    process.exitCode ??= signal === 'SIGINT' ? 130 : 143;
    setTimeout(() => process.exit(), 1_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const removeHandlers = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  try {
    await buildTemplate(services.databaseUrl);
  } catch (error) {
    removeHandlers();
    await services.stop().catch(() => undefined);
    throw error;
  }

  project.provide('databaseAdminUrl', services.databaseUrl);
  project.provide('redisUrl', services.redisUrl);
  project.provide('templateDatabase', TEMPLATE_DATABASE);

  return async () => {
    try {
      // Matters when the server outlives the run (DATABASE_URL); local/containers are discarded anyway.
      if (!interrupted) await dropTestDatabases(services.databaseUrl);
    } catch (error) {
      log(`could not drop the test databases: ${(error as Error).message}`);
    } finally {
      await services.stop();
      removeHandlers();
    }
  };
}
