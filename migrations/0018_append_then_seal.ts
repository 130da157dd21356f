import { sql, type Kysely } from 'kysely';
import { createHash } from 'node:crypto';
import { runSqlScript } from '../src/db/sql-script.js';
import { canonicalJson } from '../src/domain/canonical-json.js';

/**
 * Append, then seal (issue 14; docs/LEDGER.md).
 *
 * - `journal_pending`: entries as posted, balanced, with their lines, but without seq or hash.
 *   Any number of transactions append here concurrently (balances are still kept at posting
 *   time, under a lock per fund). Rows cannot be updated, and cannot be deleted until the very
 *   entry has been sealed into `journal_entries` (a trigger checks): nothing posted is lost.
 * - The sealer (one at a time: it holds the `ledger_head` row) moves pending entries, in
 *   `append_no` order as it finds them committed, into `journal_entries`/`journal_lines` with the
 *   gapless seq and the hash chain. Readers of the journal see the sealed prefix only.
 * - The hashed body commits to the award explanation an entry posts (`explanation_sha256`,
 *   SHA-256 of its RFC 8785 text); `award_revision` names that revision (not hashed: the export
 *   uses it to show that revision's explanation).
 * - `ledger_checkpoints`: signed `{seq, hash, sealed_at}` statements of the sealer (Ed25519).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE SEQUENCE journal_append_no AS bigint;

CREATE TABLE journal_pending (
  id                  uuid PRIMARY KEY,
  append_no           bigint NOT NULL UNIQUE,
  appended_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  posted_at           timestamptz NOT NULL,
  posted_on           date NOT NULL,
  kind                text NOT NULL,
  fund_id             uuid REFERENCES funds (id),
  award_id            uuid,
  award_revision      int,
  explanation_sha256  text CHECK (explanation_sha256 ~ '^[0-9a-f]{64}$'),
  memo                text,
  -- [{"account": code, "amount_ore": "<integer as text>"}, …] in line order; they sum to zero.
  lines               json NOT NULL
);

CREATE FUNCTION journal_pending_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = OLD.id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'a pending journal entry can only leave by being sealed: % on % is not allowed', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER journal_pending_guard BEFORE UPDATE OR DELETE ON journal_pending
  FOR EACH ROW EXECUTE FUNCTION journal_pending_guard();
CREATE TRIGGER journal_pending_no_truncate BEFORE TRUNCATE ON journal_pending
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

ALTER TABLE journal_entries
  ADD COLUMN appended_at timestamptz,
  ADD COLUMN sealed_at timestamptz,
  ADD COLUMN award_revision int,
  ADD COLUMN explanation_sha256 text CHECK (explanation_sha256 ~ '^[0-9a-f]{64}$');

ALTER TABLE awards ADD COLUMN explanation_sha256 text;

CREATE TABLE ledger_checkpoints (
  seq        bigint PRIMARY KEY,
  hash       text NOT NULL,
  sealed_at  timestamptz NOT NULL,
  key_id     text NOT NULL,
  signature  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
`,
  );
  await backfillExplanationHashes(db);
}

/** Awards settled before this migration get the SHA-256 of their explanation's RFC 8785 text. */
async function backfillExplanationHashes(db: Kysely<unknown>): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<{ id: string; explanation: string }>`
      SELECT id::text, explanation::text AS explanation FROM awards WHERE id > ${after}::uuid ORDER BY id LIMIT 1000`.execute(db);
    if (!rows.length) return;
    const ids = rows.map((r) => r.id);
    const hashes = rows.map((r) =>
      createHash('sha256')
        .update(canonicalJson(JSON.parse(r.explanation)), 'utf8')
        .digest('hex'),
    );
    await sql`UPDATE awards a SET explanation_sha256 = v.h FROM unnest(${ids}::uuid[], ${hashes}::text[]) AS v(id, h) WHERE a.id = v.id`.execute(db);
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TABLE ledger_checkpoints;
ALTER TABLE awards DROP COLUMN explanation_sha256;
ALTER TABLE journal_entries DROP COLUMN appended_at, DROP COLUMN sealed_at, DROP COLUMN award_revision, DROP COLUMN explanation_sha256;
DROP TRIGGER journal_lines_no_truncate ON journal_lines;
DROP TRIGGER journal_entries_no_truncate ON journal_entries;
DROP TABLE journal_pending;
DROP FUNCTION journal_pending_guard;
DROP SEQUENCE journal_append_no;
`,
  );
}
