import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/** The columns settlement writes per award that are large enough to be compressed (an award's tuple over ~2 kB). */
export const LZ4_COLUMNS = [
  ['awards', 'explanation'],
  ['awards', 'export_head'],
  ['award_revisions', 'explanation'],
  ['award_revisions', 'export_head'],
] as const;

/**
 * Award explanations (and the export heads beside them) are compressed with lz4 instead of
 * PostgreSQL's default pglz (issue 14, settlement CPU per award; DECISIONS D210). About half of
 * the awards carry a tuple over the toast threshold (~2 kB: an explanation of ~1,150 bytes plus
 * a ~400-byte export head), and pglz compressing each of them was a measurable part of the award
 * insert; lz4 compresses (and decompresses, for every export line) several times faster, to about
 * the same size. Stored values are unchanged: compression is below the type (`json` and `text`
 * read back byte for byte), existing values keep their method until rewritten, and a server that
 * reads them needs nothing new.
 *
 * Only the column's setting changes (no table rewrite). A server built without lz4 — the embedded
 * PGlite (`@electric-sql/pglite` has no lz4) — refuses `SET COMPRESSION lz4` with
 * feature_not_supported: there the columns keep the default (pglz) and the migration succeeds,
 * with a notice. Detected by trying, not by naming the engine, so a PostgreSQL built without lz4
 * is handled the same way.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const alters = LZ4_COLUMNS.map(([table, column]) => `  ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION lz4;`).join('\n');
  await runSqlScript(
    db as never,
    `
DO $$
BEGIN
${alters}
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: award explanations stay compressed with the default method';
END
$$;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(db as never, LZ4_COLUMNS.map(([table, column]) => `ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION DEFAULT;`).join('\n'));
}
