import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { IdempotencyKeysTable } from '../db/schema.js';

/** A stored key: the request it was claimed for and, once done, the response. */
export type IdempotencyRecord = Omit<Selectable<IdempotencyKeysTable>, 'api_key_id' | 'idempotency_key' | 'expires_at'>;

/**
 * Claims a key for a request at `at`. Returns null when the claim is new; otherwise the existing
 * record. An in-progress claim older than `abandonAfterMs` (its process died) is taken over.
 */
export async function claim(
  db: Executor,
  k: { apiKeyId: string; key: string; requestHash: string; ttlMs: number; abandonAfterMs: number },
  at: Date,
): Promise<IdempotencyRecord | null> {
  const now = at.getTime();
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      api_key_id: k.apiKeyId,
      idempotency_key: k.key,
      request_hash: k.requestHash,
      state: 'in_progress',
      created_at: at,
      expires_at: new Date(now + k.ttlMs),
    })
    .onConflict((oc) =>
      oc
        .columns(['api_key_id', 'idempotency_key'])
        .doUpdateSet({
          request_hash: k.requestHash,
          state: 'in_progress',
          created_at: new Date(now),
          expires_at: new Date(now + k.ttlMs),
        })
        .where((eb) =>
          eb.or([
            eb('idempotency_keys.expires_at', '<', new Date(now)),
            eb.and([
              eb('idempotency_keys.state', '=', 'in_progress'),
              eb('idempotency_keys.created_at', '<', new Date(now - k.abandonAfterMs)),
              eb('idempotency_keys.request_hash', '=', k.requestHash),
            ]),
          ]),
        ),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('fresh'))
    .executeTakeFirst();
  if (inserted) return null;
  const existing = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'state', 'response_status', 'response_type', 'response_body', 'created_at'])
    .where('api_key_id', '=', k.apiKeyId)
    .where('idempotency_key', '=', k.key)
    .executeTakeFirst();
  return existing ?? null;
}

export async function complete(db: Executor, k: { apiKeyId: string; key: string; status: number; type: string | null; body: string }): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: k.status, response_type: k.type, response_body: k.body })
    .where('api_key_id', '=', k.apiKeyId)
    .where('idempotency_key', '=', k.key)
    .execute();
}

/** A failed (5xx) attempt releases its key so the client can retry. */
export async function release(db: Executor, apiKeyId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('api_key_id', '=', apiKeyId).where('idempotency_key', '=', key).execute();
}

/** Deletes the keys expired before `now`. */
export async function purgeExpired(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
