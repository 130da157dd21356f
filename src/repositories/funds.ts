import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { FundsTable } from '../db/schema.js';
import { FUND_ACCOUNT_TYPES, accountCode } from '../ledger/accounts.js';

export type FundRow = Selectable<FundsTable>;

const columns = ['id', 'name', 'description', 'created_at', 'updated_at'] as const;

export async function insertFund(db: Executor, f: Pick<FundRow, 'name' | 'description'>): Promise<FundRow> {
  return db.insertInto('funds').values(f).returning(columns).executeTakeFirstOrThrow();
}

/** The fund's own accounts exist from the start, so postings never have to create them. */
export async function insertFundAccounts(db: Executor, fundId: string): Promise<void> {
  await db
    .insertInto('ledger_accounts')
    .values(FUND_ACCOUNT_TYPES.map((type) => ({ code: accountCode({ fundId, type }), fund_id: fundId, type })))
    .execute();
}

export async function getFund(db: Executor, id: string): Promise<FundRow | undefined> {
  return db.selectFrom('funds').select(columns).where('id', '=', id).executeTakeFirst();
}

export async function listFunds(db: Executor, page: { after: string | null; limit: number }): Promise<FundRow[]> {
  return db
    .selectFrom('funds')
    .select(columns)
    .$if(page.after !== null, (q) => q.where('id', '>', page.after!))
    .orderBy('id')
    .limit(page.limit)
    .execute();
}

export async function updateFund(db: Executor, id: string, patch: Pick<Updateable<FundsTable>, 'name' | 'description'>): Promise<FundRow | undefined> {
  return db
    .updateTable('funds')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
}
