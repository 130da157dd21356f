import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The settlement backlog's update trigger (0008) finds the rows to delete by index (issue 14, "the
 * rest of the per-award cost"; DECISIONS D205). `DELETE … USING new_rows` let the planner join the
 * transition table, which it cannot estimate, to the whole backlog: a hash join over a sequential
 * scan of `settlement_backlog` in every settlement job's `markSettled` — work proportional to the
 * backlog (96,214 rows at 30,000 children, 80–90 ms per job), per job. The ids as an array from a
 * sub-plan make it probe the primary key once per settled measurement. Same rows deleted, same
 * rows inserted; nothing else changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE OR REPLACE FUNCTION settlement_backlog_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq)
    SELECT id, kind_key, seq FROM new_rows WHERE settled_gen < gen
    ON CONFLICT (measurement_id) DO UPDATE SET since = excluded.since;
  DELETE FROM settlement_backlog
    WHERE measurement_id = any(array(SELECT n.id FROM new_rows n WHERE n.settled_gen >= n.gen));
  RETURN NULL;
END
$$;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE OR REPLACE FUNCTION settlement_backlog_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq)
    SELECT id, kind_key, seq FROM new_rows WHERE settled_gen < gen
    ON CONFLICT (measurement_id) DO UPDATE SET since = excluded.since;
  DELETE FROM settlement_backlog b USING new_rows n WHERE b.measurement_id = n.id AND n.settled_gen >= n.gen;
  RETURN NULL;
END
$$;
`,
  );
}
