import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { DepositsTable } from '../db/schema.js';

/** A deposit, recorded with the journal entry that posted it (same transaction). */
export async function insertDeposit(db: Executor, row: Insertable<DepositsTable>) {
  return db.insertInto('deposits').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A fund's deposits in id order, after `after`. */
export async function listDeposits(db: Executor, fundId: string, after: string | null, limit: number) {
  let q = db.selectFrom('deposits').selectAll().where('fund_id', '=', fundId).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return q.execute();
}
