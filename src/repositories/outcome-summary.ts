import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { xactLock } from './advisory-lock.js';

/**
 * SQL of the outcome summary's writer (migration 0028; DECISIONS D199–D200): the change marks
 * triggers append to `outcome_dirty`, claimed here and turned into `outcome_facts` rows by
 * `outcome_facts_refresh` (`outcome_counts` follows by its triggers on outcome_facts). One writer
 * at a time: every transaction that claims marks first takes `lockSummary`, so a row is never
 * computed from an older snapshot and written over a newer one.
 */

/** pg_advisory_xact_lock key of the outcome summary's writer ("outc"). */
const SUMMARY_LOCK = 0x6f757463;

/** The writer's lock: waits for it, or with `wait` false takes it only if free (the background pass need not wait). True when held. */
export function lockSummary(trx: Executor, wait = true): Promise<boolean> {
  return xactLock(trx, SUMMARY_LOCK, wait);
}

/** Whether any change mark is committed (a reader with none has nothing to catch up on). */
export async function anyMarks(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM outcome_dirty) AS any`.execute(db);
  return rows[0]!.any;
}

export async function marksCount(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM outcome_dirty`.execute(db);
  return Number(rows[0]!.n);
}

/**
 * Claims up to `limit` change marks (removed with this transaction) and brings the rows they name
 * up to date; returns how many marks there were.
 */
export async function refreshClaimed(trx: Executor, limit: number): Promise<number> {
  await expandRuleMarks(trx);
  const { rows } = await sql<{ marks: number }>`
    WITH claimed AS (DELETE FROM outcome_dirty WHERE ctid IN (SELECT ctid FROM outcome_dirty WHERE child_id IS NOT NULL LIMIT ${limit}) RETURNING child_id, rule_id),
    marks AS (SELECT DISTINCT child_id, rule_id FROM claimed)
    SELECT (SELECT count(*) FROM claimed)::int AS marks,
           outcome_facts_refresh(ARRAY(SELECT child_id FROM marks), ARRAY(SELECT rule_id FROM marks))`.execute(trx);
  return rows[0]!.marks;
}

/**
 * Replaces each rule mark (a rule version changed: every row of the rule; migration 0031) by the
 * marks of the rule's rows as they are now. Only the writer calls it, under its lock: the rows
 * cannot change meanwhile. The claim that follows takes only child marks, so a rule mark committed
 * after this statement began waits for the next round.
 */
async function expandRuleMarks(trx: Executor): Promise<void> {
  await sql`
    WITH rules AS (DELETE FROM outcome_dirty WHERE child_id IS NULL RETURNING rule_id)
    INSERT INTO outcome_dirty (child_id, rule_id)
    SELECT f.child_id, f.rule_id FROM outcome_facts f WHERE f.rule_id IN (SELECT rule_id FROM rules)`.execute(trx);
}

/** Both tables built afresh from every award (migration 0028, `outcome_facts_rebuild`). */
export async function rebuild(trx: Executor): Promise<void> {
  await sql`SELECT outcome_facts_rebuild()`.execute(trx);
}
