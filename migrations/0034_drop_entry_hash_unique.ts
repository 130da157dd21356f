import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * `journal_entries.hash` loses its UNIQUE constraint (issue 14, the sealer's cost per entry;
 * DECISIONS D226). Nothing looks an entry up by its hash, and the constraint guards nothing the
 * chain does not: `seq` is the primary key (gapless, one entry per position), the entry id is
 * unique (nothing sealed twice), and each hash covers the one before it, so two equal hashes
 * would be a SHA-256 collision. Its index was a random-order btree over 64-character texts,
 * compared with the database's collation on every insert: ~3.3 µs of a ~16 µs insert per entry
 * (measured alone, warm; BENCHMARKS.md, tenth session) and ~100 bytes per entry on disk.
 * `GET /v1/ledger/verify` and `npm run verify-ledger` still recompute every hash from the
 * entry's fields and the previous hash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(db as never, `ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_hash_key;`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(db as never, `ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_hash_key UNIQUE (hash);`);
}
