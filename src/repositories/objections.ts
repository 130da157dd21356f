import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ObjectionsTable } from '../db/schema.js';

export async function insertObjection(db: Executor, row: Insertable<ObjectionsTable>) {
  return db.insertInto('objections').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The objection, locked for its resolution. */
export async function lockObjection(db: Executor, id: string) {
  return db.selectFrom('objections').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function resolveObjection(
  db: Executor,
  id: string,
  change: { status: 'upheld' | 'rejected' | 'withdrawn'; resolution: string | null; resolved_at: Date; resolved_by: string | null },
) {
  return db.updateTable('objections').set(change).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** An award's objections, oldest first. */
export async function objectionsOf(db: Executor, awardId: string) {
  return db.selectFrom('objections').selectAll().where('award_id', '=', awardId).orderBy('created_at').execute();
}
