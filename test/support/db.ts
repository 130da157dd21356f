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
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgres, type Database } from '../../src/db/database.js';

function randomSuffix(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

/** `serverUrl` with its database replaced by `database`. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Creates `smb_t_<random>` as a clone of the migrated template and returns its URL. */
export async function freshDatabaseUrl(): Promise<string> {
  const adminUrl = inject('databaseAdminUrl');
  const template = inject('templateDatabase');
  const name = `smb_t_${randomSuffix()}`;
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return databaseUrlFor(adminUrl, name);
}

/** A fresh database opened with the service's own `openPostgres` (int8 → bigint, date → string). */
export async function openFreshDatabase(poolMax = 5): Promise<Database & { url: string }> {
  const url = await freshDatabaseUrl();
  const database = await openPostgres(url, poolMax);
  return { ...database, url };
}

export function redisTestUrl(): string {
  return inject('redisUrl');
}

/** A random BullMQ `prefix` (instead of the default `bull`) so test files never share queues. */
export function uniqueQueuePrefix(): string {
  return `smbtest_${randomSuffix(4)}`;
}
