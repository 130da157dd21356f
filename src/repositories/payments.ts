import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { InstitutionsTable, PaymentLinesTable, PaymentLineStatus, PaymentRunsTable } from '../db/schema.js';
import type { PayeeDetailsRow } from './payees.js';

/** Payment runs and their lines (SQL only; PaymentService owns the rules). */
export type RunRow = Selectable<PaymentRunsTable>;

type PaymentLine = Selectable<PaymentLinesTable>;

/** A line with its institution's code and name and the payee details it was made for. */
export type LineRow = Pick<PaymentLine, 'run_id' | 'institution_id' | 'line_no' | 'reference' | 'amount_ore' | 'status' | 'settled_on' | 'return_reason'> &
  Pick<Selectable<InstitutionsTable>, 'code' | 'name'> & { payee: PayeeDetailsRow | null };

/** A payee_details row as `to_jsonb` gives it: its timestamps as text (it has no int8 or date column). */
type PayeeDetailsJson = Omit<PayeeDetailsRow, 'proposed_at' | 'decided_at'> & { proposed_at: string; decided_at: string | null };

export async function fundExists(db: Executor, fundId: string): Promise<boolean> {
  return !!(await db.selectFrom('funds').select('id').where('id', '=', fundId).executeTakeFirst());
}

export async function insertRun(db: Executor, run: Omit<RunRow, 'id' | 'created_at' | 'confirmed_at' | 'cancelled_at' | 'status'>): Promise<string> {
  const row = await db
    .insertInto('payment_runs')
    .values({ ...run, status: 'created' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertLines(
  db: Executor,
  lines: Array<Pick<PaymentLine, 'run_id' | 'institution_id' | 'line_no' | 'reference' | 'amount_ore' | 'payee_details_id'>>,
): Promise<void> {
  if (lines.length)
    await db
      .insertInto('payment_lines')
      .values(lines.map((l) => ({ ...l, status: 'pending' as const })))
      .execute();
}

export async function getRun(db: Executor, id: string, lock = false): Promise<RunRow | undefined> {
  let q = db.selectFrom('payment_runs').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function linesOf(db: Executor, runIds: string[]): Promise<LineRow[]> {
  if (!runIds.length) return [];
  const rows = await db
    .selectFrom('payment_lines as l')
    .innerJoin('institutions as i', 'i.id', 'l.institution_id')
    .leftJoin('payee_details as p', 'p.id', 'l.payee_details_id')
    .select(['l.run_id', 'l.institution_id', 'i.code', 'i.name', 'l.line_no', 'l.reference', 'l.amount_ore', 'l.status', 'l.settled_on', 'l.return_reason'])
    .select(sql<PayeeDetailsJson | null>`case when p.id is null then null else to_jsonb(p) end`.as('payee'))
    .where('l.run_id', 'in', runIds)
    .orderBy('l.run_id')
    .orderBy('l.line_no')
    .execute();
  return rows.map((r) => ({
    ...r,
    payee: r.payee ? { ...r.payee, proposed_at: new Date(r.payee.proposed_at), decided_at: r.payee.decided_at ? new Date(r.payee.decided_at) : null } : null,
  }));
}

export async function listRuns(db: Executor, fundId: string | undefined, after: string | null, limit: number): Promise<RunRow[]> {
  let q = db.selectFrom('payment_runs').selectAll().orderBy('id').limit(limit);
  if (fundId) q = q.where('fund_id', '=', fundId);
  if (after) q = q.where('id', '>', after);
  return q.execute();
}

export async function setRunStatus(db: Executor, id: string, status: 'confirmed' | 'cancelled', at: Date): Promise<void> {
  await db
    .updateTable('payment_runs')
    .set(status === 'confirmed' ? { status, confirmed_at: at } : { status, cancelled_at: at })
    .where('id', '=', id)
    .execute();
}

/** Moves the run's lines that are in `from` to `to` (manual confirmation, cancellation). */
export async function setLineStatuses(db: Executor, runId: string, from: PaymentLineStatus, to: PaymentLineStatus): Promise<void> {
  await db.updateTable('payment_lines').set({ status: to }).where('run_id', '=', runId).where('status', '=', from).execute();
}

export async function countLines(db: Executor, runId: string, status: PaymentLineStatus): Promise<number> {
  const row = await db
    .selectFrom('payment_lines')
    .select(sql<bigint>`count(*)`.as('n'))
    .where('run_id', '=', runId)
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type LineForReconciliation = Pick<PaymentLine, 'reference' | 'run_id' | 'institution_id' | 'amount_ore' | 'status'> &
  Pick<RunRow, 'fund_id' | 'debtor_iban'>;

/** The lines with these references, locked, with their run's fund and debtor account. */
export async function linesByReference(db: Executor, references: string[]): Promise<LineForReconciliation[]> {
  if (!references.length) return [];
  return db
    .selectFrom('payment_lines as l')
    .innerJoin('payment_runs as r', 'r.id', 'l.run_id')
    .select(['l.reference', 'l.run_id', 'r.fund_id', 'l.institution_id', 'l.amount_ore', 'l.status', 'r.debtor_iban'])
    .where('l.reference', 'in', references)
    .orderBy('l.reference')
    .forUpdate()
    .execute();
}

export async function settleLine(
  db: Executor,
  reference: string,
  change: { status: 'paid' | 'returned'; on: string | null; returnReason: string | null; statementId: string },
): Promise<void> {
  await db
    .updateTable('payment_lines')
    .set({ status: change.status, settled_on: change.on, return_reason: change.returnReason, statement_id: change.statementId })
    .where('reference', '=', reference)
    .execute();
}
