import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/** The latest awards (by computation time) of a fund, or of which an institution is a payee. */
export async function recentAwardIds(db: Executor, filter: { fundId?: string; institutionId?: string }, limit: number): Promise<string[]> {
  let q = db.selectFrom('awards as a').select('a.id').orderBy('a.computed_at', 'desc').orderBy('a.id').limit(limit);
  if (filter.fundId) q = q.where('a.fund_id', '=', filter.fundId);
  if (filter.institutionId) {
    q = q.where(sql<boolean>`exists (select 1 from award_payees p where p.award_id = a.id and p.institution_id = ${filter.institutionId}::uuid)`);
  }
  return (await q.execute()).map((r) => r.id);
}
