import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { PayeeAccountKind, PayeeDetailsStatus } from '../db/schema.js';

export interface PayeeDetailsRow {
  id: string;
  institution_id: string;
  version: number;
  cvr: string;
  ean: string | null;
  account_kind: PayeeAccountKind;
  reg_no: string | null;
  account_no: string | null;
  iban: string | null;
  bic: string | null;
  status: PayeeDetailsStatus;
  proposed_by: string;
  proposed_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

export interface PayeeDetailsFields {
  cvr: string;
  ean: string | null;
  account_kind: PayeeAccountKind;
  reg_no: string | null;
  account_no: string | null;
  iban: string | null;
  bic: string | null;
}

const select = (db: Executor) => db.selectFrom('payee_details').selectAll();

/**
 * Serialises changes to one institution's payee details (propose, approve, reject), so two
 * proposals cannot both take the next version and an approval sees the latest state.
 */
export async function lockInstitutionPayees(db: Executor, institutionId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('payee_details'), hashtext(${institutionId}))`.execute(db);
}

export async function insertProposal(db: Executor, institutionId: string, fields: PayeeDetailsFields, proposedBy: string): Promise<PayeeDetailsRow> {
  const { rows } = await sql<{ v: number }>`select coalesce(max(version), 0) + 1 as v from payee_details where institution_id = ${institutionId}`.execute(db);
  return (await db
    .insertInto('payee_details')
    .values({ institution_id: institutionId, version: Number(rows[0]!.v), ...fields, status: 'pending', proposed_by: proposedBy })
    .returningAll()
    .executeTakeFirstOrThrow()) as PayeeDetailsRow;
}

export async function get(db: Executor, id: string): Promise<PayeeDetailsRow | undefined> {
  return (await select(db).where('id', '=', id).executeTakeFirst()) as PayeeDetailsRow | undefined;
}

export async function withStatus(db: Executor, institutionId: string, status: PayeeDetailsStatus): Promise<PayeeDetailsRow | undefined> {
  return (await select(db).where('institution_id', '=', institutionId).where('status', '=', status).executeTakeFirst()) as PayeeDetailsRow | undefined;
}

export async function history(db: Executor, institutionId: string): Promise<PayeeDetailsRow[]> {
  return (await select(db).where('institution_id', '=', institutionId).orderBy('version', 'desc').execute()) as PayeeDetailsRow[];
}

/** The approved (current) details of these institutions, by institution. */
export async function currentOf(db: Executor, institutionIds: string[]): Promise<Map<string, PayeeDetailsRow>> {
  if (!institutionIds.length) return new Map();
  const rows = (await select(db).where('institution_id', 'in', institutionIds).where('status', '=', 'approved').execute()) as PayeeDetailsRow[];
  return new Map(rows.map((r) => [r.institution_id, r]));
}

export async function decide(
  db: Executor,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; at: Date; note: string | null },
): Promise<PayeeDetailsRow> {
  return (await db
    .updateTable('payee_details')
    .set({ status: decision.status, decided_by: decision.decidedBy, decided_at: decision.at, decision_note: decision.note })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirstOrThrow()) as PayeeDetailsRow;
}

export async function supersedeCurrent(db: Executor, institutionId: string): Promise<void> {
  await db.updateTable('payee_details').set({ status: 'superseded' }).where('institution_id', '=', institutionId).where('status', '=', 'approved').execute();
}

/** Pending proposals of every institution, oldest first (the second admin's work list). */
export async function listPending(db: Executor, after: string | null, limit: number): Promise<PayeeDetailsRow[]> {
  let q = select(db).where('status', '=', 'pending').orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return (await q.execute()) as PayeeDetailsRow[];
}

export interface FundAccountRow {
  fund_id: string;
  name: string;
  iban: string;
  bic: string | null;
  updated_at: Date;
  updated_by: string | null;
}

export async function fundAccount(db: Executor, fundId: string): Promise<FundAccountRow | undefined> {
  return (await db.selectFrom('fund_accounts').selectAll().where('fund_id', '=', fundId).executeTakeFirst()) as FundAccountRow | undefined;
}

export async function upsertFundAccount(db: Executor, row: { fund_id: string; name: string; iban: string; bic: string | null; updated_by: string }): Promise<FundAccountRow> {
  return (await db
    .insertInto('fund_accounts')
    .values(row)
    .onConflict((oc) => oc.column('fund_id').doUpdateSet({ name: row.name, iban: row.iban, bic: row.bic, updated_by: row.updated_by, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow()) as FundAccountRow;
}
