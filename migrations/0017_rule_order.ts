import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The order rules were created in, as a number (SETTLEMENT.md §6; DECISIONS D139): two awards with
 * the same funding place are funded in the order their rules were created. `created_at` cannot say
 * that — rules created in one transaction share it — and award ids are random, so the funding walk
 * had broken such ties by chance. `rules.ordinal` is an identity: a new rule gets the next number.
 * Rules created before this migration are numbered by (created_at, id), the best order known.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE rules ADD COLUMN ordinal bigint;
UPDATE rules SET ordinal = o.n FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM rules) o WHERE o.id = rules.id;
ALTER TABLE rules ALTER COLUMN ordinal SET NOT NULL;
ALTER TABLE rules ALTER COLUMN ordinal ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('rules', 'ordinal'), coalesce((SELECT max(ordinal) FROM rules), 0) + 1, false);
CREATE UNIQUE INDEX rules_ordinal ON rules (ordinal);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(db as never, `ALTER TABLE rules DROP COLUMN ordinal;`);
}
