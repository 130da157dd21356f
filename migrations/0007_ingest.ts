import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * Batch ingest writes one row per new measurement.
 *
 * `measurement_revisions` holds the superseded revisions of a measurement; its current revision
 * is the measurement row itself, received at `revised_at` (null: revision 1, received at
 * `created_at`). A change copies the state it replaces into the history in the same statement
 * (src/repositories/measurements.ts), so the history plus the row is every submission,
 * correction and retraction as received — as before, without a second row per new measurement.
 * Rows written before this migration keep their current revision in the history as well.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE measurements ADD COLUMN revised_at timestamptz;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
INSERT INTO measurement_revisions (measurement_id, revision, status, value, measured_on, source, submitted_by, created_at)
SELECT id, revision, status, value, measured_on, source, submitted_by, coalesce(revised_at, created_at) FROM measurements
ON CONFLICT (measurement_id, revision) DO NOTHING;
ALTER TABLE measurements DROP COLUMN revised_at;
`,
  );
}
