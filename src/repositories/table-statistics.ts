import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { xactLock } from './advisory-lock.js';

/**
 * SQL of the planner-statistics keeper (services/table-statistics.ts; DECISIONS D208): how much
 * each of the service's tables changed since PostgreSQL last analysed it, and `ANALYZE` of one
 * table, one keeper at a time across processes.
 */

/** pg_advisory_xact_lock key of the keeper ("stat"). */
const KEEPER_LOCK = 0x73746174;

/**
 * One table of the current schema: the planner's row estimate (-1: never analysed), its live rows
 * now, and the rows inserted, updated or deleted since its last analysis.
 */
export interface TableActivity {
  table: string;
  estimate: number;
  live: number;
  modified: number;
}

/**
 * Makes this connection's own pending activity counters visible at its next statement. PostgreSQL
 * publishes a backend's counters only when it has been idle a while; on the embedded PGlite the one
 * backend does all the writing, and without this its counters would wait for the next ANALYZE.
 */
export async function publishOwnCounters(db: Executor): Promise<void> {
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
}

/** Activity of every table of the current schema, largest change first. */
export async function tableActivity(db: Executor): Promise<TableActivity[]> {
  const { rows } = await sql<TableActivity>`
    SELECT s.relname AS "table", c.reltuples::float8 AS estimate, s.n_live_tup::float8 AS live, s.n_mod_since_analyze::float8 AS modified
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.schemaname = current_schema()
    ORDER BY s.n_mod_since_analyze DESC, s.relname`.execute(db);
  return rows;
}

export type AnalyzeOutcome = 'analysed' | 'busy';

/**
 * `ANALYZE table` in the caller's transaction, unless another keeper holds the keeper's lock or
 * the table's own lock is not free within `lockTimeoutMs` (autovacuum is at work on it): 'busy'.
 * The lock timeout aborts the transaction; the caller rolls it back.
 */
export async function analyzeTable(trx: Executor, table: string, lockTimeoutMs: number): Promise<AnalyzeOutcome> {
  if (!(await xactLock(trx, KEEPER_LOCK, false))) return 'busy';
  await sql`SELECT set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`.execute(trx);
  await sql`ANALYZE ${sql.id(table)}`.execute(trx);
  return 'analysed';
}
