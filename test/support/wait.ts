import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/** Polls until `check` holds (a timer or another process acts asynchronously), failing after `ms`. */
export async function eventually(check: () => Promise<boolean>, ms = 15_000, everyMs = 50): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs `body` while another transaction holds the transaction-scoped advisory lock `key` (another writer stood in for). */
export async function whileAdvisoryLocked<T>(db: Db, key: number, body: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${key}::bigint)`.execute(trx);
    locked();
    await released;
  });
  await isLocked;
  try {
    return await body();
  } finally {
    release();
    await holder;
  }
}
