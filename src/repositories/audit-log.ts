import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AuditLogTable } from '../db/schema.js';

/** The audit log as auditors read it (append-only: see migrations/0005_audit_append_only.ts). */
export type AuditLogRow = Selectable<AuditLogTable>;

export interface AuditLogFilter {
  actorKeyId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Inclusive lower bound of `at`. */
  from?: Date | undefined;
  /** Exclusive upper bound of `at`. */
  to?: Date | undefined;
}

/** Appends one record (the caller's transaction: an action and its record commit together). */
export async function insertAuditRecord(
  db: Executor,
  row: Required<Pick<Insertable<AuditLogTable>, 'actor_key_id' | 'actor_role' | 'action' | 'details'>> & { target_type: string; target_id: string },
): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/** Records in id order (the order they were appended), after `afterId`. */
export async function listAuditLog(db: Executor, filter: AuditLogFilter, afterId: bigint | null, limit: number): Promise<AuditLogRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .$if(afterId !== null, (q) => q.where('id', '>', afterId!))
    .$if(filter.actorKeyId !== undefined, (q) => q.where('actor_key_id', '=', filter.actorKeyId!))
    .$if(filter.action !== undefined, (q) => q.where('action', '=', filter.action!))
    .$if(filter.targetType !== undefined, (q) => q.where('target_type', '=', filter.targetType!))
    .$if(filter.targetId !== undefined, (q) => q.where('target_id', '=', filter.targetId!))
    .$if(filter.from !== undefined, (q) => q.where('at', '>=', filter.from!))
    .$if(filter.to !== undefined, (q) => q.where('at', '<', filter.to!))
    .orderBy('id')
    .limit(limit)
    .execute();
}
