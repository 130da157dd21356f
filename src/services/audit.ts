import type { Executor } from '../db/database.js';
import type { Principal } from '../auth/principal.js';
import { insertAuditRecord } from '../repositories/audit-log.js';

/**
 * Appends to the audit log in the caller's transaction, so an action and its record commit
 * together. `details` must never hold a CPR number or a key.
 */
export async function recordAudit(
  db: Executor,
  actor: Principal | null,
  action: string,
  target: { type: string; id: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  await insertAuditRecord(db, {
    actor_key_id: actor?.keyId ?? null,
    actor_role: actor?.role ?? null,
    action,
    target_type: target.type,
    target_id: target.id,
    details: JSON.stringify(details),
  });
}
