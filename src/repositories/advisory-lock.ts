import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/**
 * A transaction-scoped advisory lock on `key` (released at commit or rollback). With `wait`, waits
 * until it is free; without, takes it only if no other transaction holds it. True when held.
 */
export async function xactLock(trx: Executor, key: number, wait: boolean): Promise<boolean> {
  if (wait) {
    await sql`SELECT pg_advisory_xact_lock(${key}::bigint)`.execute(trx);
    return true;
  }
  const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${key}::bigint) AS locked`.execute(trx);
  return rows[0]!.locked;
}
