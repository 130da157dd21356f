import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The sealer's delete from `journal_pending` checked once per statement instead of once per row
 * (issue 14 item 5: the sealer is the one serial part of settlement; DECISIONS D170).
 *
 * Migration 0018 guarded every deleted row with a PL/pgSQL call looking its entry up in
 * `journal_entries`. The same rule — a pending entry leaves only once sealed — is now one
 * statement-level trigger over the deleted rows (a transition table) that raises, and so undoes
 * the whole DELETE, if any of them has no sealed entry. Updates stay refused row by row (none
 * happens; the trigger only has to exist).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TRIGGER journal_pending_guard ON journal_pending;
CREATE TRIGGER journal_pending_no_update BEFORE UPDATE ON journal_pending
  FOR EACH ROW EXECUTE FUNCTION journal_pending_guard();

CREATE FUNCTION journal_pending_sealed_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unsealed uuid;
BEGIN
  SELECT g.id INTO unsealed FROM gone g WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = g.id) LIMIT 1;
  IF unsealed IS NOT NULL THEN
    RAISE EXCEPTION 'a pending journal entry can only leave by being sealed: % is not sealed', unsealed;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER journal_pending_sealed_only AFTER DELETE ON journal_pending
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION journal_pending_sealed_only();
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TRIGGER journal_pending_sealed_only ON journal_pending;
DROP FUNCTION journal_pending_sealed_only;
DROP TRIGGER journal_pending_no_update ON journal_pending;
CREATE TRIGGER journal_pending_guard BEFORE UPDATE OR DELETE ON journal_pending
  FOR EACH ROW EXECUTE FUNCTION journal_pending_guard();
`,
  );
}
