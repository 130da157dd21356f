import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { FundAccountsTable, PayeeDetailsStatus, PayeeDetailsTable } from '../db/schema.js';

export type PayeeDetailsRow = Selectable<PayeeDetailsTable>;

/** What a proposal gives: the payee's identity and account. */
export type PayeeDetailsFields = Pick<Selectable<PayeeDetailsTable>, 'cvr' | 'ean' | 'account_kind' | 'reg_no' | 'account_no' | 'iban' | 'bic'>;

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
  return db
    .insertInto('payee_details')
    .values({ institution_id: institutionId, version: Number(rows[0]!.v), ...fields, status: 'pending', proposed_by: proposedBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function get(db: Executor, id: string): Promise<PayeeDetailsRow | undefined> {
  return select(db).where('id', '=', id).executeTakeFirst();
}

export async function withStatus(db: Executor, institutionId: string, status: PayeeDetailsStatus): Promise<PayeeDetailsRow | undefined> {
  return select(db).where('institution_id', '=', institutionId).where('status', '=', status).executeTakeFirst();
}

export async function history(db: Executor, institutionId: string): Promise<PayeeDetailsRow[]> {
  return select(db).where('institution_id', '=', institutionId).orderBy('version', 'desc').execute();
}

/** The approved (current) details of these institutions, by institution. */
export async function currentOf(db: Executor, institutionIds: string[]): Promise<Map<string, PayeeDetailsRow>> {
  if (!institutionIds.length) return new Map();
  const rows = await select(db).where('institution_id', 'in', institutionIds).where('status', '=', 'approved').execute();
  return new Map(rows.map((r) => [r.institution_id, r]));
}

export async function decide(
  db: Executor,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; at: Date; note: string | null },
): Promise<PayeeDetailsRow> {
  return db
    .updateTable('payee_details')
    .set({ status: decision.status, decided_by: decision.decidedBy, decided_at: decision.at, decision_note: decision.note })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function supersedeCurrent(db: Executor, institutionId: string): Promise<void> {
  await db.updateTable('payee_details').set({ status: 'superseded' }).where('institution_id', '=', institutionId).where('status', '=', 'approved').execute();
}

/** Pending proposals of every institution, oldest first (the second admin's work list). */
export async function listPending(db: Executor, after: string | null, limit: number): Promise<PayeeDetailsRow[]> {
  let q = select(db).where('status', '=', 'pending').orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return q.execute();
}

export type FundAccountRow = Selectable<FundAccountsTable>;

export async function fundAccount(db: Executor, fundId: string): Promise<FundAccountRow | undefined> {
  return db.selectFrom('fund_accounts').selectAll().where('fund_id', '=', fundId).executeTakeFirst();
}

export async function upsertFundAccount(
  db: Executor,
  row: Pick<FundAccountRow, 'fund_id' | 'name' | 'iban' | 'bic'> & { updated_by: string },
): Promise<FundAccountRow> {
  return db
    .insertInto('fund_accounts')
    .values(row)
    .onConflict((oc) => oc.column('fund_id').doUpdateSet({ name: row.name, iban: row.iban, bic: row.bic, updated_by: row.updated_by, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}
