import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The award's part of an NDJSON export line, stored once (issue 14 item 4; DECISIONS D168).
 *
 * `export_head` is the text of the award object up to its explanation:
 *   {"id":…,"rule_id":…,"rule_version_id":…,"measurement_id":…,"fund_id":…,"earned":…,
 *    "amount_ore":…,"payout_total_ore":…,"retained_ore":…,"revision":…,"computed_at":…,"explanation":
 * written by settlement with each new result (`src/ledger/award-fragment.ts` builds it) and kept
 * like the explanation: on the award for its current revision, moved to the revision row when
 * superseded. An export line is then `head ‖ explanation ‖ }` — PostgreSQL no longer builds the
 * object from eleven columns for every line. The head describes the revision the entry posts;
 * it has no `status` (that changes after posting, and an export of the same entries should read
 * the same whenever it is taken).
 *
 * Existing rows are filled here with the same text; a superseded revision takes its own amounts,
 * its computed_at and the rule version named in its explanation.
 */
export const AWARD_HEAD_SQL = `'{"id":"' || a.id || '","rule_id":"' || a.rule_id || '","rule_version_id":' || coalesce('"' || a.rule_version_id || '"', 'null')
  || ',"measurement_id":"' || a.measurement_id || '","fund_id":"' || a.fund_id
  || '","earned":' || a.earned || ',"amount_ore":' || a.amount_ore || ',"payout_total_ore":' || a.payout_total_ore
  || ',"retained_ore":' || a.retained_ore || ',"revision":' || a.revision
  || ',"computed_at":"' || to_char(a.computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","explanation":'`;

/** The same for a superseded revision (`r`) of award `a`: its own amounts, computed_at and rule version. */
export const REVISION_HEAD_SQL = `'{"id":"' || a.id || '","rule_id":"' || a.rule_id || '","rule_version_id":' || coalesce('"' || (r.explanation ->> 'rule_version_id') || '"', 'null')
  || ',"measurement_id":"' || a.measurement_id || '","fund_id":"' || a.fund_id
  || '","earned":' || r.earned || ',"amount_ore":' || r.amount_ore || ',"payout_total_ore":' || (r.amount_ore - r.retained_ore)
  || ',"retained_ore":' || r.retained_ore || ',"revision":' || r.revision
  || ',"computed_at":"' || to_char(r.computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","explanation":'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE awards ADD COLUMN export_head text;
ALTER TABLE award_revisions ADD COLUMN export_head text;
UPDATE awards a SET export_head = ${AWARD_HEAD_SQL};
UPDATE award_revisions r SET export_head = ${REVISION_HEAD_SQL}
  FROM awards a WHERE a.id = r.award_id AND r.explanation IS NOT NULL;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(db as never, `ALTER TABLE award_revisions DROP COLUMN export_head; ALTER TABLE awards DROP COLUMN export_head;`);
}
