import type { Executor } from '../db/database.js';
import { parseApiKey, secretMatches, type Role } from '../auth/api-key.js';
import type { IntegrationScope, Principal } from '../auth/principal.js';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  institution_id: string | null;
  scope: IntegrationScope | null;
  created_at: Date;
  revoked_at: Date | null;
}

const columns = ['id', 'name', 'role', 'institution_id', 'scope', 'created_at', 'revoked_at'] as const;

export class ApiKeyRepository {
  constructor(private readonly db: Executor) {}

  /** The principal for a presented key, or null when unknown, malformed or revoked. */
  async authenticate(raw: string): Promise<Principal | null> {
    const parsed = parseApiKey(raw);
    if (!parsed) return null;
    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'role', 'institution_id', 'scope', 'secret_hash', 'revoked_at'])
      .where('id', '=', parsed.id)
      .executeTakeFirst();
    if (!row || row.revoked_at || !secretMatches(parsed.secret, row.secret_hash)) return null;
    return {
      keyId: row.id,
      role: row.role,
      institutionId: row.institution_id,
      scope: (row.scope as IntegrationScope | null) ?? null,
    };
  }

  async insert(
    db: Executor,
    key: {
      id: string;
      name: string;
      role: Role;
      secretHash: string;
      institutionId: string | null;
      scope: IntegrationScope | null;
      createdBy: string | null;
    },
  ): Promise<ApiKeyRow> {
    return (await db
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
      .executeTakeFirstOrThrow()) as ApiKeyRow;
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
    return (await this.db.selectFrom('api_keys').select(columns).where('id', '=', id).executeTakeFirst()) as
      | ApiKeyRow
      | undefined;
  }

  async list(page: { after: string | null; limit: number }): Promise<ApiKeyRow[]> {
    let q = this.db.selectFrom('api_keys').select(columns).orderBy('id').limit(page.limit);
    if (page.after) q = q.where('id', '>', page.after);
    return (await q.execute()) as ApiKeyRow[];
  }

  async revoke(db: Executor, id: string): Promise<ApiKeyRow | undefined> {
    return (await db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(columns)
      .executeTakeFirst()) as ApiKeyRow | undefined;
  }
}
