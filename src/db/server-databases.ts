import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Databases created on a PostgreSQL server for one run (a vector, a benchmark, a test file):
 * `CREATE DATABASE` through the server's admin URL, and the new database's URL back.
 */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Runs `fn` with a client on the server's admin database, closing it afterwards. */
export async function onServer<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates `<prefix>_<random>` (optionally as a copy of `template`); returns its name and URL. */
export async function createDatabaseOn(adminUrl: string, prefix: string, template?: string) {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(adminUrl, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`));
  return { name, url: databaseUrlFor(adminUrl, name) };
}

export async function dropDatabaseOn(adminUrl: string, name: string): Promise<void> {
  await onServer(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}
