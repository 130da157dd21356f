import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The liability forecast (issue 13, GET /v1/funds/{fundId}/forecast; docs/FORECAST.md):
 *  - `rule_assumed_rates`: an administrator's assumed earn rate per rule, the mean of the prior
 *    the forecast starts from before a rule has decided awards (DECISIONS D151);
 *  - `forecast_inputs_seq`: bumped once by every transaction that changes what the forecast is
 *    computed from (children, enrolments, institutions, awards, rules, their versions, the
 *    catalogue's periods). The service keeps its per-cohort summary while the sequence stands
 *    still, so a repeated forecast reads a few thousand cohort rows instead of every child
 *    (DECISIONS D155). The bump is a deferred constraint trigger: it runs just before commit, once
 *    per transaction (a transaction-local setting remembers it), so a long transaction does not
 *    announce a change long before others can see it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE TABLE rule_assumed_rates (
  rule_id     uuid PRIMARY KEY REFERENCES rules (id),
  rate        numeric(5, 4) NOT NULL CHECK (rate >= 0 AND rate <= 1),
  note        text,
  set_at      timestamptz NOT NULL DEFAULT now(),
  set_by      uuid
);

CREATE SEQUENCE forecast_inputs_seq;

CREATE FUNCTION forecast_inputs_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('forecast.bumped', true) IS DISTINCT FROM 'y' THEN
    PERFORM nextval('forecast_inputs_seq');
    PERFORM set_config('forecast.bumped', 'y', true);
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER forecast_inputs_children AFTER INSERT OR UPDATE OR DELETE ON children
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forecast_inputs_bump();
CREATE CONSTRAINT TRIGGER forecast_inputs_enrolments AFTER INSERT OR UPDATE OR DELETE ON enrolments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forecast_inputs_bump();
CREATE CONSTRAINT TRIGGER forecast_inputs_institutions AFTER INSERT OR UPDATE OR DELETE ON institutions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forecast_inputs_bump();
CREATE CONSTRAINT TRIGGER forecast_inputs_awards AFTER INSERT OR UPDATE OR DELETE ON awards
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forecast_inputs_bump();
CREATE CONSTRAINT TRIGGER forecast_inputs_rules AFTER INSERT OR UPDATE OR DELETE ON rules
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forecast_inputs_bump();
CREATE CONSTRAINT TRIGGER forecast_inputs_rule_versions AFTER INSERT OR UPDATE OR DELETE ON rule_versions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forecast_inputs_bump();
CREATE CONSTRAINT TRIGGER forecast_inputs_periods AFTER INSERT OR UPDATE OR DELETE ON measurement_kind_periods
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forecast_inputs_bump();
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TRIGGER forecast_inputs_children ON children;
DROP TRIGGER forecast_inputs_enrolments ON enrolments;
DROP TRIGGER forecast_inputs_institutions ON institutions;
DROP TRIGGER forecast_inputs_awards ON awards;
DROP TRIGGER forecast_inputs_rules ON rules;
DROP TRIGGER forecast_inputs_rule_versions ON rule_versions;
DROP TRIGGER forecast_inputs_periods ON measurement_kind_periods;
DROP FUNCTION forecast_inputs_bump();
DROP SEQUENCE forecast_inputs_seq;
DROP TABLE rule_assumed_rates;
`,
  );
}
