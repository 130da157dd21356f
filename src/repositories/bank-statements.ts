import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { BankStatementEntriesTable, BankStatementsTable } from '../db/schema.js';

export type StatementRow = Selectable<BankStatementsTable>;
export type StatementEntryRow = Selectable<BankStatementEntriesTable>;

/** Serialises uploads of the same document (the second then finds the first's record). */
export async function lockDocument(db: Executor, sha256: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('bank_statements'), hashtext(${sha256}))`.execute(db);
}

export async function saveSummary(db: Executor, id: string, summary: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('bank_statements')
    .set({ summary: JSON.stringify(summary) })
    .where('id', '=', id)
    .execute();
}

export async function findBySha(db: Executor, sha256: string): Promise<StatementRow | undefined> {
  return db.selectFrom('bank_statements').selectAll().where('document_sha256', '=', sha256).executeTakeFirst();
}

export async function get(db: Executor, id: string): Promise<StatementRow | undefined> {
  return db.selectFrom('bank_statements').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function list(db: Executor, after: string | null, limit: number): Promise<StatementRow[]> {
  let q = db.selectFrom('bank_statements').selectAll().orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return q.execute();
}

export async function insert(
  db: Executor,
  row: Pick<StatementRow, 'message_type' | 'message_id' | 'document_sha256' | 'summary'> & { uploaded_by: string },
): Promise<string> {
  const r = await db
    .insertInto('bank_statements')
    .values({ ...row, summary: JSON.stringify(row.summary) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function insertEntries(db: Executor, rows: StatementEntryRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('bank_statement_entries')
      .values(rows.slice(i, i + 1000))
      .execute();
}

export async function entriesOf(db: Executor, statementId: string): Promise<StatementEntryRow[]> {
  return db.selectFrom('bank_statement_entries').selectAll().where('statement_id', '=', statementId).orderBy('entry_no').execute();
}
