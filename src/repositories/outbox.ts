import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { JobMessage } from '../queue/types.js';

export type OutboxMessage = JobMessage;

/** Jobs are recorded in the same transaction as the change that needs them. */
export async function enqueue(db: Executor, messages: OutboxMessage[]): Promise<void> {
  if (!messages.length) return;
  await db
    .insertInto('outbox')
    .values(messages.map((m) => ({ topic: m.topic, payload: JSON.stringify(m.payload) })))
    .execute();
}

export async function claimPending(db: Executor, limit: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'topic', 'payload'])
    .where('dispatched_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function removeDispatched(db: Executor, ids: bigint[]): Promise<void> {
  if (!ids.length) return;
  await db.deleteFrom('outbox').where('id', 'in', ids).execute();
}

export async function pendingCount(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select(sql<bigint>`count(*)`.as('n'))
    .where('dispatched_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
