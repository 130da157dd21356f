import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The double-entry, append-only, hash-chained ledger (SETTLEMENT.md §6) and deposits.
 *
 * Every posting transaction locks the single `ledger_head` row, which makes the sequence
 * gapless and the hash chain linear; account balances are kept in the same transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE TABLE ledger_accounts (
  code            text PRIMARY KEY,
  fund_id         uuid NOT NULL REFERENCES funds (id),
  type            text NOT NULL CHECK (type IN ('available', 'reserved', 'payable', 'funders', 'paid_out')),
  institution_id  uuid REFERENCES institutions (id),
  balance_ore     bigint NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((type = 'payable') = (institution_id IS NOT NULL)),
  -- The fund never spends money it does not hold.
  CONSTRAINT available_never_negative CHECK (type <> 'available' OR balance_ore >= 0),
  CONSTRAINT reserved_never_negative CHECK (type <> 'reserved' OR balance_ore >= 0)
);
CREATE INDEX ledger_accounts_fund ON ledger_accounts (fund_id, type);
CREATE INDEX ledger_accounts_institution ON ledger_accounts (institution_id) WHERE institution_id IS NOT NULL;

CREATE TABLE ledger_head (
  id         int PRIMARY KEY CHECK (id = 1),
  last_seq   bigint NOT NULL,
  last_hash  text NOT NULL
);
INSERT INTO ledger_head (id, last_seq, last_hash) VALUES (1, 0, repeat('0', 64));

CREATE TABLE journal_entries (
  seq         bigint PRIMARY KEY,
  id          uuid NOT NULL UNIQUE,
  posted_at   timestamptz NOT NULL,
  posted_on   date NOT NULL,
  kind        text NOT NULL,
  fund_id     uuid REFERENCES funds (id),
  award_id    uuid,
  memo        text,
  prev_hash   text NOT NULL,
  hash        text NOT NULL UNIQUE
);
CREATE INDEX journal_entries_fund ON journal_entries (fund_id, seq);
CREATE INDEX journal_entries_award ON journal_entries (award_id) WHERE award_id IS NOT NULL;
CREATE INDEX journal_entries_posted_on ON journal_entries (posted_on);

CREATE TABLE journal_lines (
  entry_seq    bigint NOT NULL REFERENCES journal_entries (seq),
  line_no      int NOT NULL,
  account      text NOT NULL REFERENCES ledger_accounts (code),
  amount_ore   bigint NOT NULL CHECK (amount_ore <> 0),
  PRIMARY KEY (entry_seq, line_no)
);
CREATE INDEX journal_lines_account ON journal_lines (account, entry_seq);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME;
END
$$;

CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE TABLE deposits (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fund_id      uuid NOT NULL REFERENCES funds (id),
  amount_ore   bigint NOT NULL CHECK (amount_ore > 0),
  funder       text NOT NULL,
  reference    text,
  received_on  date NOT NULL,
  entry_seq    bigint NOT NULL REFERENCES journal_entries (seq),
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   uuid REFERENCES api_keys (id)
);
CREATE INDEX deposits_fund ON deposits (fund_id, created_at);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TABLE deposits;
DROP TABLE journal_lines;
DROP TABLE journal_entries;
DROP FUNCTION ledger_append_only CASCADE;
DROP TABLE ledger_head;
DROP TABLE ledger_accounts;
`,
  );
}
