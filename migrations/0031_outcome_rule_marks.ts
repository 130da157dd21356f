import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * A rule version added, changed or removed leaves one mark for its rule (`child_id` null) instead
 * of one mark per row of the rule (DECISIONS D209). Migration 0028's trigger copied every
 * `outcome_facts` row of the rule into `outcome_dirty` inside the admin's transaction: about
 * 500,000 rows per rule at a million children. The summary's writer now expands a rule mark into
 * the rule's rows itself (services/outcome-summary.ts, `expandRuleMarks`), under its lock and in
 * its own transaction, before it claims marks; it claims only child marks, so a rule mark
 * committed meanwhile waits for the next round.
 *
 *  - `outcome_dirty.child_id` may be null: (null, rule) = every row of the rule;
 *    (child, null) = every row of the child, as before; (child, rule) = one row.
 *  - a partial index finds the rule marks without reading the child marks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE outcome_dirty ALTER COLUMN child_id DROP NOT NULL;
ALTER TABLE outcome_dirty ADD CONSTRAINT outcome_dirty_names_something CHECK (child_id IS NOT NULL OR rule_id IS NOT NULL);
CREATE INDEX outcome_dirty_rules ON outcome_dirty (rule_id) WHERE child_id IS NULL;

CREATE OR REPLACE FUNCTION outcome_marks_rule_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO outcome_dirty (rule_id) SELECT DISTINCT n.rule_id FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO outcome_dirty (rule_id) SELECT DISTINCT o.rule_id FROM old_rows o;
  ELSE
    INSERT INTO outcome_dirty (rule_id) SELECT n.rule_id FROM new_rows n UNION SELECT o.rule_id FROM old_rows o;
  END IF;
  RETURN NULL;
END
$$;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
-- Rule marks become the rows they stand for, as 0028's trigger wrote them.
INSERT INTO outcome_dirty (child_id, rule_id)
  SELECT f.child_id, f.rule_id FROM outcome_facts f WHERE f.rule_id IN (SELECT d.rule_id FROM outcome_dirty d WHERE d.child_id IS NULL);
DELETE FROM outcome_dirty WHERE child_id IS NULL;
CREATE OR REPLACE FUNCTION outcome_marks_rule_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rules uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    rules := ARRAY(SELECT DISTINCT n.rule_id FROM new_rows n);
  ELSIF TG_OP = 'DELETE' THEN
    rules := ARRAY(SELECT DISTINCT o.rule_id FROM old_rows o);
  ELSE
    rules := ARRAY(SELECT n.rule_id FROM new_rows n UNION SELECT o.rule_id FROM old_rows o);
  END IF;
  INSERT INTO outcome_dirty (child_id, rule_id) SELECT f.child_id, f.rule_id FROM outcome_facts f WHERE f.rule_id = ANY(rules);
  RETURN NULL;
END
$$;
DROP INDEX outcome_dirty_rules;
ALTER TABLE outcome_dirty DROP CONSTRAINT outcome_dirty_names_something;
ALTER TABLE outcome_dirty ALTER COLUMN child_id SET NOT NULL;
`,
  );
}
