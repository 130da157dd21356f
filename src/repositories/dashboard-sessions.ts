import type { Executor } from '../db/database.js';
import type { Principal } from '../auth/principal.js';

/** Dashboard sessions (migration 0013): stored by the SHA-256 of their token, never the token. */
export async function insertSession(db: Executor, s: { tokenHash: string; apiKeyId: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('dashboard_sessions').values({ token_hash: s.tokenHash, api_key_id: s.apiKeyId, expires_at: s.expiresAt }).execute();
}

/** The principal of a live session: not expired, and its key not revoked. */
export async function principalOfSession(db: Executor, tokenHash: string, now: Date): Promise<Principal | null> {
  const row = await db
    .selectFrom('dashboard_sessions as s')
    .innerJoin('api_keys as k', 'k.id', 's.api_key_id')
    .select(['k.id', 'k.role', 'k.institution_id', 'k.scope'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('k.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return { keyId: row.id, role: row.role, institutionId: row.institution_id, scope: row.scope ?? null };
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('dashboard_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Expired sessions are removed when someone signs in (no timer needed). */
export async function deleteExpired(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('dashboard_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
