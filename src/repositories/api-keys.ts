import { sql, type Selectable } from 'kysely';
import { PREPARED, type Executor } from '../db/database.js';
import type { ApiKeysTable } from '../db/schema.js';
import { parseApiKey, secretMatches } from '../auth/api-key.js';
import type { Principal } from '../auth/principal.js';
import { REVOCATION_CHANNEL } from '../auth/revocation-listener.js';

const columns = ['id', 'name', 'role', 'institution_id', 'scope', 'created_at', 'revoked_at'] as const;

/** A key as read: every column but its secret's hash. */
export type ApiKeyRow = Pick<Selectable<ApiKeysTable>, (typeof columns)[number]>;

type RevocationHandler = (keyId: string) => Promise<void> | void;
/** In-process revocation handlers (principal caches), per database handle. */
const revocationHandlers = new WeakMap<object, Set<RevocationHandler>>();

export class ApiKeyRepository {
  constructor(private readonly db: Executor) {}

  /** The principal for a presented key, or null when unknown, malformed or revoked. */
  async authenticate(raw: string): Promise<Principal | null> {
    const parsed = parseApiKey(raw);
    if (!parsed) return null;
    // A prepared statement: this runs for every request the principal cache cannot answer.
    const { rows } = await sql<Pick<Selectable<ApiKeysTable>, 'id' | 'role' | 'institution_id' | 'scope' | 'secret_hash' | 'revoked_at'>>`${sql.raw(PREPARED)}
      SELECT id, role, institution_id, scope, secret_hash, revoked_at FROM api_keys WHERE id = ${parsed.id}`.execute(this.db);
    const row = rows[0];
    if (!row || row.revoked_at || !secretMatches(parsed.secret, row.secret_hash)) return null;
    return {
      keyId: row.id,
      role: row.role,
      institutionId: row.institution_id,
      scope: row.scope ?? null,
    };
  }

  async insert(
    db: Executor,
    key: Pick<ApiKeyRow, 'id' | 'name' | 'role' | 'scope'> & { secretHash: string; institutionId: string | null; createdBy: string | null },
  ): Promise<ApiKeyRow> {
    return db
      .insertInto('api_keys')
      .values({
        id: key.id,
        name: key.name,
        role: key.role,
        secret_hash: key.secretHash,
        institution_id: key.institutionId,
        scope: key.scope ? JSON.stringify(key.scope) : null,
        created_by: key.createdBy,
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
  }

  /** Makes sure the bootstrap admin key from the environment exists; a revocation stays in force. */
  async ensureBootstrapAdmin(id: string, secretHash: string): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({ id, name: 'bootstrap admin', role: 'admin', secret_hash: secretHash })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async get(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').select(columns).where('id', '=', id).executeTakeFirst();
  }

  async list(page: { after: string | null; limit: number }): Promise<ApiKeyRow[]> {
    let q = this.db.selectFrom('api_keys').select(columns).orderBy('id').limit(page.limit);
    if (page.after) q = q.where('id', '>', page.after);
    return q.execute();
  }

  /**
   * Revokes the key in `db`'s transaction and, in the same transaction, NOTIFYs every API process
   * (delivered at commit), so their principal caches drop it. The caller calls `revoked` after
   * the commit for this process's own caches.
   */
  async revoke(db: Executor, id: string, at: Date): Promise<ApiKeyRow | undefined> {
    const row = await db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(columns)
      .executeTakeFirst();
    if (row) await sql`SELECT pg_notify(${REVOCATION_CHANNEL}, ${id})`.execute(db);
    return row;
  }

  /** Runs `handler` for every key revoked through this database handle (after its commit). */
  onRevoked(handler: RevocationHandler): () => void {
    let set = revocationHandlers.get(this.db);
    if (!set) revocationHandlers.set(this.db, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** After a revocation committed: this process's caches drop the key before the caller answers. */
  async revoked(id: string): Promise<void> {
    await Promise.all([...(revocationHandlers.get(this.db) ?? [])].map((handler) => handler(id)));
  }
}
