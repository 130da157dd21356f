import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { PaymentLineStatus, PaymentRunsTable } from '../db/schema.js';
import type { PayeeDetailsRow } from './payees.js';

/** Payment runs and their lines (SQL only; PaymentService owns the rules). */
export interface RunRow {
  id: string;
  fund_id: string;
  cutoff_on: string;
  reference: string;
  status: PaymentRunsTable['status'];
  total_ore: bigint;
  entry_seq: bigint | null;
  created_at: Date;
  created_by: string | null;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  debtor_name: string | null;
  debtor_iban: string | null;
  debtor_bic: string | null;
}

export interface LineRow {
  run_id: string;
  institution_id: string;
  code: string;
  name: string;
  line_no: number;
  reference: string;
  amount_ore: bigint;
  status: PaymentLineStatus;
  settled_on: string | null;
  return_reason: string | null;
  payee: PayeeDetailsRow | null;
}

export async function fundExists(db: Executor, fundId: string): Promise<boolean> {
  return !!(await db.selectFrom('funds').select('id').where('id', '=', fundId).executeTakeFirst());
}

export async function insertRun(
  db: Executor,
  run: Omit<RunRow, 'id' | 'created_at' | 'confirmed_at' | 'cancelled_at' | 'status'>,
): Promise<string> {
  const row = await db.insertInto('payment_runs').values({ ...run, status: 'created' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertLines(
  db: Executor,
  lines: Array<{ run_id: string; institution_id: string; line_no: number; reference: string; amount_ore: bigint; payee_details_id: string | null }>,
): Promise<void> {
  if (lines.length) await db.insertInto('payment_lines').values(lines.map((l) => ({ ...l, status: 'pending' as const }))).execute();
}

export async function getRun(db: Executor, id: string, lock = false): Promise<RunRow | undefined> {
  let q = db.selectFrom('payment_runs').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) as RunRow | undefined;
}

export async function linesOf(db: Executor, runIds: string[]): Promise<LineRow[]> {
  if (!runIds.length) return [];
  const rows = await db
    .selectFrom('payment_lines as l')
    .innerJoin('institutions as i', 'i.id', 'l.institution_id')
    .leftJoin('payee_details as p', 'p.id', 'l.payee_details_id')
    .select(['l.run_id', 'l.institution_id', 'i.code', 'i.name', 'l.line_no', 'l.reference', 'l.amount_ore', 'l.status', 'l.settled_on', 'l.return_reason'])
    .select(sql<PayeeDetailsRow | null>`case when p.id is null then null else to_jsonb(p) end`.as('payee'))
    .where('l.run_id', 'in', runIds)
    .orderBy('l.run_id')
    .orderBy('l.line_no')
    .execute();
  return rows.map((r) => ({ ...r, payee: r.payee ? { ...r.payee, proposed_at: new Date(r.payee.proposed_at), decided_at: r.payee.decided_at ? new Date(r.payee.decided_at) : null } : null })) as LineRow[];
}

export async function listRuns(db: Executor, fundId: string | undefined, after: string | null, limit: number): Promise<RunRow[]> {
  let q = db.selectFrom('payment_runs').selectAll().orderBy('id').limit(limit);
  if (fundId) q = q.where('fund_id', '=', fundId);
  if (after) q = q.where('id', '>', after);
  return (await q.execute()) as RunRow[];
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
  const row = await db.selectFrom('payment_lines').select(sql<string>`count(*)`.as('n')).where('run_id', '=', runId).where('status', '=', status).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface LineForReconciliation {
  reference: string;
  run_id: string;
  fund_id: string;
  institution_id: string;
  amount_ore: bigint;
  status: PaymentLineStatus;
  debtor_iban: string | null;
}

/** The lines with these references, locked, with their run's fund and debtor account. */
export async function linesByReference(db: Executor, references: string[]): Promise<LineForReconciliation[]> {
  if (!references.length) return [];
  return (await db
    .selectFrom('payment_lines as l')
    .innerJoin('payment_runs as r', 'r.id', 'l.run_id')
    .select(['l.reference', 'l.run_id', 'r.fund_id', 'l.institution_id', 'l.amount_ore', 'l.status', 'r.debtor_iban'])
    .where('l.reference', 'in', references)
    .orderBy('l.reference')
    .forUpdate()
    .execute()) as LineForReconciliation[];
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
