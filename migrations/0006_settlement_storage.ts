import { sql, type Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';
import { canonicalEntry } from '../src/ledger/hash-chain.js';

/**
 * Storage shaped for national scale (BENCHMARKS.md):
 *
 * - Explanations are `json`, not `jsonb`: they are written once, never queried inside, and read
 *   back whole; `json` keeps the text as written, so storing and exporting it is a copy rather
 *   than a conversion (jsonb → text was the largest cost of an export).
 * - The explanation of an award's current result is stored once, on the award. Its revision
 *   row keeps the explanation only once superseded (settlement copies it over then).
 * - Journal entries keep `canonical`: the exact RFC 8785 text that was hashed. Exports write it
 *   as is instead of rebuilding it from the lines; verification checks it against the lines.
 * - The award's (rule, measurement) key is indexed measurement-first, which also serves lookups
 *   by measurement, so the separate measurement index goes: one index less per award written.
 * - Awards, their payees and revisions are derived data written only by settlement, in the
 *   transaction that has just read (and locked) the measurement, rule, version, child and
 *   institutions they name. Their foreign keys re-checked that per row, with a row lock on each
 *   parent: a third of the cost of writing an award. They go; the ledger keeps its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE awards ALTER COLUMN explanation TYPE json USING explanation::json;
ALTER TABLE award_revisions ALTER COLUMN explanation DROP NOT NULL;
ALTER TABLE award_revisions ALTER COLUMN explanation TYPE json USING explanation::json;
ALTER TABLE award_revisions ALTER COLUMN payouts TYPE json USING payouts::json;
UPDATE award_revisions r SET explanation = NULL FROM awards a WHERE a.id = r.award_id AND a.revision = r.revision;
CREATE UNIQUE INDEX awards_measurement_rule ON awards (measurement_id, rule_id);
ALTER TABLE awards DROP CONSTRAINT awards_rule_id_measurement_id_key;
DROP INDEX awards_measurement;
ALTER TABLE journal_entries ADD COLUMN canonical text;
ALTER TABLE awards DROP CONSTRAINT awards_rule_id_fkey, DROP CONSTRAINT awards_measurement_id_fkey,
  DROP CONSTRAINT awards_fund_id_fkey, DROP CONSTRAINT awards_child_id_fkey, DROP CONSTRAINT awards_rule_version_id_fkey;
ALTER TABLE award_payees DROP CONSTRAINT award_payees_award_id_fkey, DROP CONSTRAINT award_payees_institution_id_fkey;
ALTER TABLE award_revisions DROP CONSTRAINT award_revisions_award_id_fkey;
`,
  );
  await backfillCanonical(db);
  await sql`ALTER TABLE journal_entries ALTER COLUMN canonical SET NOT NULL`.execute(db);
}

/** Entries posted before this migration get their canonical text recomputed from their fields. */
async function backfillCanonical(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM journal_entries`.execute(db);
  if (rows[0]!.n === '0') return;
  await sql`ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_append_only`.execute(db);
  let after = 0n;
  for (;;) {
    const page = await sql<{
      seq: string;
      id: string;
      posted_at: Date;
      kind: string;
      fund_id: string | null;
      award_id: string | null;
      memo: string | null;
      lines: Array<{ account: string; amount_ore: number }>;
    }>`
      SELECT e.seq::text AS seq, e.id, e.posted_at, e.kind, e.fund_id, e.award_id, e.memo,
             (SELECT json_agg(json_build_object('account', l.account, 'amount_ore', l.amount_ore) ORDER BY l.line_no)
                FROM journal_lines l WHERE l.entry_seq = e.seq) AS lines
        FROM journal_entries e WHERE e.seq > ${after.toString()}::bigint ORDER BY e.seq LIMIT 1000`.execute(db);
    if (!page.rows.length) break;
    for (const e of page.rows) {
      const canonical = canonicalEntry({
        seq: Number(e.seq),
        entry_id: e.id,
        posted_at: new Date(e.posted_at).toISOString(),
        kind: e.kind,
        fund_id: e.fund_id,
        award_id: e.award_id,
        memo: e.memo,
        lines: e.lines ?? [],
      });
      await sql`UPDATE journal_entries SET canonical = ${canonical} WHERE seq = ${e.seq}::bigint`.execute(db);
    }
    after = BigInt(page.rows[page.rows.length - 1]!.seq);
  }
  await sql`ALTER TABLE journal_entries ENABLE TRIGGER journal_entries_append_only`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE award_revisions ADD CONSTRAINT award_revisions_award_id_fkey FOREIGN KEY (award_id) REFERENCES awards (id);
ALTER TABLE award_payees ADD CONSTRAINT award_payees_award_id_fkey FOREIGN KEY (award_id) REFERENCES awards (id),
  ADD CONSTRAINT award_payees_institution_id_fkey FOREIGN KEY (institution_id) REFERENCES institutions (id);
ALTER TABLE awards ADD CONSTRAINT awards_rule_id_fkey FOREIGN KEY (rule_id) REFERENCES rules (id),
  ADD CONSTRAINT awards_measurement_id_fkey FOREIGN KEY (measurement_id) REFERENCES measurements (id),
  ADD CONSTRAINT awards_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES funds (id),
  ADD CONSTRAINT awards_child_id_fkey FOREIGN KEY (child_id) REFERENCES children (id),
  ADD CONSTRAINT awards_rule_version_id_fkey FOREIGN KEY (rule_version_id) REFERENCES rule_versions (id);
ALTER TABLE journal_entries DROP COLUMN canonical;
CREATE INDEX awards_measurement ON awards (measurement_id);
ALTER TABLE awards ADD CONSTRAINT awards_rule_id_measurement_id_key UNIQUE (rule_id, measurement_id);
DROP INDEX awards_measurement_rule;
UPDATE award_revisions r SET explanation = a.explanation FROM awards a WHERE a.id = r.award_id AND a.revision = r.revision;
ALTER TABLE award_revisions ALTER COLUMN payouts TYPE jsonb USING payouts::jsonb;
ALTER TABLE award_revisions ALTER COLUMN explanation TYPE jsonb USING explanation::jsonb;
ALTER TABLE award_revisions ALTER COLUMN explanation SET NOT NULL;
ALTER TABLE awards ALTER COLUMN explanation TYPE jsonb USING explanation::jsonb;
`,
  );
}
