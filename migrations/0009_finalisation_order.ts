import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * Finalisation walks provisional awards in the order of an index instead of sorting them.
 *
 * It used to take batches of 500 `ORDER BY measurement_seq` out of every provisional award:
 * each batch sorted the whole remaining set (spilling to disk at a million awards), so
 * finalising n awards cost n²/500 — an early finalisation of 887,823 awards had not finished
 * after minutes. Now batches follow this index, `(review_until, measurement_seq, id)` over
 * provisional awards, with a keyset cursor: first due, first finalised, ties in acceptance
 * order; each batch reads only its own rows, and the scheduled pass stops at the first
 * award whose window has not passed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP INDEX awards_due;
CREATE INDEX awards_due ON awards (review_until, measurement_seq, id) WHERE status = 'provisional';
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP INDEX awards_due;
CREATE INDEX awards_due ON awards (review_until) WHERE status = 'provisional';
`,
  );
}
