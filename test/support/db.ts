/**
 * Per-test-file helpers on top of the services provisioned by ./global-setup.ts.
 *
 *   const url = await freshDatabaseUrl();   // a private, fully migrated database
 *   const redis = redisTestUrl();
 *   const prefix = uniqueQueuePrefix();     // BullMQ `prefix` so files never share queues
 *
 * The databases are dropped by the global teardown (all `smb_t_%`), not per file.
 */
import { randomBytes } from 'node:crypto';
import { createDatabaseOn, databaseUrlFor } from '../../src/db/server-databases.js';
import { inject } from 'vitest';
import { openPostgres, type Database } from '../../src/db/database.js';

function randomSuffix(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

export { databaseUrlFor };

/** Creates `smb_t_<random>` as a clone of the migrated template and returns its URL. */
export async function freshDatabaseUrl(): Promise<string> {
  return (await createDatabaseOn(inject('databaseAdminUrl'), 'smb_t', inject('templateDatabase'))).url;
}

/** A fresh database opened with the service's own `openPostgres` (int8 → bigint, date → string). */
export async function openFreshDatabase(poolMax = 5): Promise<Database & { url: string }> {
  const url = await freshDatabaseUrl();
  const database = await openPostgres(url, { max: poolMax });
  return { ...database, url };
}

export function redisTestUrl(): string {
  return inject('redisUrl');
}

/** A random BullMQ `prefix` (instead of the default `bull`) so test files never share queues. */
export function uniqueQueuePrefix(): string {
  return `smbtest_${randomSuffix(4)}`;
}
