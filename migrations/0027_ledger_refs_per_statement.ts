import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The ledger's references checked once per statement instead of once per row (issue 14: the
 * sealer is the one serial part of settlement; DECISIONS D194).
 *
 * Four foreign keys cost every sealed entry six row-level checks — its fund (pending and sealed
 * row), and for each of its lines its entry and its account — each a `SELECT … FOR KEY SHARE`
 * that also writes a row lock; the account rows are the ones every posting updates (balances),
 * so the sealer's locks and the postings' updates met in multixacts. The same rules are now
 * statement-level triggers over the inserted rows (transition tables): one anti-join per
 * statement, raising `foreign_key_violation` — and so undoing the whole INSERT — when any row
 * names an entry, account or fund that does not exist. What a foreign key also guaranteed, that
 * a referenced row is never deleted nor its key changed, holds because journal entries are
 * append-only (migration 0002) and ledger accounts and funds now refuse DELETE, TRUNCATE and a
 * change of their key (neither was ever deleted).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE journal_lines DROP CONSTRAINT journal_lines_entry_seq_fkey, DROP CONSTRAINT journal_lines_account_fkey;
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_fund_id_fkey;
ALTER TABLE journal_pending DROP CONSTRAINT journal_pending_fund_id_fkey;

CREATE FUNCTION journal_lines_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  SELECT 'entry ' || n.entry_seq INTO bad FROM (SELECT DISTINCT entry_seq FROM added) n
   WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.seq = n.entry_seq) LIMIT 1;
  IF bad IS NULL THEN
    SELECT 'account ' || n.account INTO bad FROM (SELECT DISTINCT account FROM added) n
     WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.code = n.account) LIMIT 1;
  END IF;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'journal line refers to a missing %', bad USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER journal_lines_refs AFTER INSERT ON journal_lines
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION journal_lines_refs();

CREATE FUNCTION journal_fund_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad uuid;
BEGIN
  SELECT n.fund_id INTO bad FROM (SELECT DISTINCT fund_id FROM added WHERE fund_id IS NOT NULL) n
   WHERE NOT EXISTS (SELECT 1 FROM funds f WHERE f.id = n.fund_id) LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION '% refers to a missing fund %', TG_TABLE_NAME, bad USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER journal_entries_fund_refs AFTER INSERT ON journal_entries
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION journal_fund_refs();
CREATE TRIGGER journal_pending_fund_refs AFTER INSERT ON journal_pending
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION journal_fund_refs();

CREATE FUNCTION ledger_referenced_keys_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are referenced by the ledger: never deleted, their key never changed', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER ledger_accounts_keep BEFORE DELETE OR UPDATE OF code ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_referenced_keys_fixed();
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_referenced_keys_fixed();
CREATE TRIGGER funds_keep BEFORE DELETE OR UPDATE OF id ON funds
  FOR EACH ROW EXECUTE FUNCTION ledger_referenced_keys_fixed();
CREATE TRIGGER funds_no_truncate BEFORE TRUNCATE ON funds
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_referenced_keys_fixed();
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TRIGGER funds_no_truncate ON funds;
DROP TRIGGER funds_keep ON funds;
DROP TRIGGER ledger_accounts_no_truncate ON ledger_accounts;
DROP TRIGGER ledger_accounts_keep ON ledger_accounts;
DROP FUNCTION ledger_referenced_keys_fixed;
DROP TRIGGER journal_pending_fund_refs ON journal_pending;
DROP TRIGGER journal_entries_fund_refs ON journal_entries;
DROP FUNCTION journal_fund_refs;
DROP TRIGGER journal_lines_refs ON journal_lines;
DROP FUNCTION journal_lines_refs;
ALTER TABLE journal_pending ADD CONSTRAINT journal_pending_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES funds (id);
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES funds (id);
ALTER TABLE journal_lines ADD CONSTRAINT journal_lines_entry_seq_fkey FOREIGN KEY (entry_seq) REFERENCES journal_entries (seq),
  ADD CONSTRAINT journal_lines_account_fkey FOREIGN KEY (account) REFERENCES ledger_accounts (code);
`,
  );
}
