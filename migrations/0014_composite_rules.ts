import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * Composite rules (SETTLEMENT.md §11): a rule triggered by several named requirements
 * `{kind, period}` instead of one kind. Its requirements are rows of `rule_requirements`, fixed
 * when the rule is created; `rules.kind_key` is null for such a rule (and only for it). The
 * index on `kind_key` finds the composite rules a settled measurement's kind may complete.
 *
 * A composite award is stored like any award: one row per (rule, child), whose
 * `measurement_id` is the requirement's measurement with the latest acceptance place (its
 * funding place, which never changes once every requirement has been measured — DECISIONS
 * D131), so `UNIQUE (rule_id, measurement_id)` keeps it one per (rule, child).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE rules ALTER COLUMN kind_key DROP NOT NULL;

CREATE TABLE rule_requirements (
  rule_id   uuid NOT NULL REFERENCES rules (id),
  name      text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  kind_key  text NOT NULL REFERENCES measurement_kinds (key),
  period    text NOT NULL CHECK (length(period) BETWEEN 1 AND 64),
  position  int NOT NULL,
  PRIMARY KEY (rule_id, name),
  UNIQUE (rule_id, kind_key, period)
);
CREATE INDEX rule_requirements_kind ON rule_requirements (kind_key, period);

ALTER TABLE rules ADD CONSTRAINT rules_single_kind_periods CHECK (kind_key IS NOT NULL OR periods IS NULL);

CREATE FUNCTION rule_requirements_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the requirements of a rule are fixed when it is created';
END
$$;
CREATE TRIGGER rule_requirements_fixed BEFORE UPDATE OR DELETE ON rule_requirements
  FOR EACH ROW EXECUTE FUNCTION rule_requirements_fixed();
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TABLE rule_requirements;
DROP FUNCTION rule_requirements_fixed CASCADE;
ALTER TABLE rules DROP CONSTRAINT rules_single_kind_periods;
DELETE FROM rules WHERE kind_key IS NULL;
ALTER TABLE rules ALTER COLUMN kind_key SET NOT NULL;
`,
  );
}
