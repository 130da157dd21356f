import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The liability forecast's summary (docs/FORECAST.md "Speed"; DECISIONS D182–D185): what the
 * forecast used to scan from every child, kept per cohort so that a forecast reads a few tens of
 * thousands of rows however many children there are.
 *
 *  - `forecast_dirty`: children whose forecast inputs changed (registry, enrolments, an
 *    institution's kind, a new or removed award). Statement triggers append their ids — one row
 *    per changed child, no index, no conflicts, so a settlement pays a few microseconds an award.
 *    The service (`ForecastSummaryService`) claims them and brings the summary up to date.
 *  - `forecast_children`: what the summary last counted for each child (birth date, attributes,
 *    enrolment spans with their institution's kind, the (rule, period) of its awards), so that a
 *    change can be taken out exactly as it was put in.
 *  - `forecast_units`: the units (rule × period) summarised and a fingerprint of everything their
 *    figures depend on (versions, windows, the catalogue's periods, the multipliers' attributes);
 *    a unit whose fingerprint changes is summarised again from `forecast_children`.
 *  - `forecast_cohorts`, `forecast_known_events`, `forecast_square_events`: per pending cohort
 *    (unit, birth date, the attributes its multipliers read) the number of children, and the known
 *    days per window and the sum of squares of the children's known shares as piecewise-linear
 *    functions of the day they are seen on: the final value in the cohort row, the changes at
 *    their days in the event rows (the value on day T = final + Σ events after T).
 *  - `forecast_profile`, `forecast_birth_dates`: covered days per (unit, birth date) and (window,
 *    sixth) over all children, and the number of children per birth date (the attribution profile).
 *
 * The change counter of migration 0016 is bumped by statement triggers now (one check a
 * statement) instead of a deferred trigger for every row; still once a transaction, at commit.
 * `outcome_counts` also counts awards (not only children), so the forecast's rates read decided
 * and earned awards per rule and origin from it instead of aggregating every award.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE TABLE forecast_dirty (child_id uuid NOT NULL);

CREATE TABLE forecast_children (
  child_id    uuid PRIMARY KEY,
  birth_date  date NOT NULL,
  attributes  jsonb NOT NULL,
  -- [[start day, end day or null, institution kind], …], days since 1970-01-01
  spans       jsonb NOT NULL,
  -- '<rule id>|<period>' of each award
  decided     text[] NOT NULL
);

CREATE TABLE forecast_units (
  rule_id      uuid NOT NULL,
  period       text NOT NULL,
  fingerprint  text NOT NULL,
  PRIMARY KEY (rule_id, period)
);

CREATE TABLE forecast_cohorts (
  id           int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_id      uuid NOT NULL,
  period       text NOT NULL,
  birth_date   date NOT NULL,
  attrs        text NOT NULL,
  children     int NOT NULL CHECK (children > 0),
  -- per window of the version in force: Σ known days once the window's attributable part is over
  known_final  bigint[] NOT NULL,
  -- Σ (the child's known share)² once every window is over
  sq_final     float8 NOT NULL,
  UNIQUE (rule_id, period, birth_date, attrs)
);

-- A cohort's events go with it (removed by the summary's writer when its last child goes).
CREATE TABLE forecast_known_events (
  cohort_id   int NOT NULL,
  win         smallint NOT NULL,
  day         int NOT NULL,
  -- the known days on day T are final + Σ over events after T of (alpha + beta · (T − birth date))
  alpha       bigint NOT NULL,
  beta        bigint NOT NULL,
  PRIMARY KEY (cohort_id, win, day)
);

CREATE TABLE forecast_square_events (
  cohort_id   int NOT NULL,
  day         int NOT NULL,
  -- the sum of squares on day T is final + Σ over events after T of (a + 2b·τ + c·τ²), τ = T − birth date
  a           float8 NOT NULL,
  b           float8 NOT NULL,
  c           float8 NOT NULL,
  PRIMARY KEY (cohort_id, day)
);

CREATE TABLE forecast_profile (
  rule_id     uuid NOT NULL,
  period      text NOT NULL,
  birth_date  date NOT NULL,
  -- covered days of every child born then, per (window, sixth) at index 6 · window + sixth
  covered     bigint[] NOT NULL,
  PRIMARY KEY (rule_id, period, birth_date)
);

-- No CHECK on the counts: a removal is proposed as a negative row before ON CONFLICT adds it;
-- rows that reach 0 are deleted by the same writer.
CREATE TABLE forecast_birth_dates (
  birth_date  date PRIMARY KEY,
  children    int NOT NULL
);

-- Every child is new to the summary.
INSERT INTO forecast_dirty (child_id) SELECT id FROM children;

-- The change counter, once a transaction at commit, from statement triggers.
CREATE TABLE forecast_inputs_touch (txid xid8 PRIMARY KEY);

CREATE FUNCTION forecast_inputs_touched() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('forecast.bumped', true) IS DISTINCT FROM 'y' THEN
    INSERT INTO forecast_inputs_touch (txid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    PERFORM set_config('forecast.bumped', 'y', true);
  END IF;
END
$$;

CREATE FUNCTION forecast_inputs_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('forecast_inputs_seq');
  DELETE FROM forecast_inputs_touch WHERE txid = NEW.txid;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER forecast_inputs_at_commit AFTER INSERT ON forecast_inputs_touch
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forecast_inputs_commit();

CREATE FUNCTION forecast_statement_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM forecast_inputs_touched();
  RETURN NULL;
END
$$;

DROP TRIGGER forecast_inputs_children ON children;
DROP TRIGGER forecast_inputs_enrolments ON enrolments;
DROP TRIGGER forecast_inputs_institutions ON institutions;
DROP TRIGGER forecast_inputs_awards ON awards;
DROP TRIGGER forecast_inputs_rules ON rules;
DROP TRIGGER forecast_inputs_rule_versions ON rule_versions;
DROP TRIGGER forecast_inputs_periods ON measurement_kind_periods;
DROP FUNCTION forecast_inputs_bump();

CREATE TRIGGER forecast_inputs_rules AFTER INSERT OR UPDATE OR DELETE ON rules
  FOR EACH STATEMENT EXECUTE FUNCTION forecast_statement_touched();
CREATE TRIGGER forecast_inputs_rule_versions AFTER INSERT OR UPDATE OR DELETE ON rule_versions
  FOR EACH STATEMENT EXECUTE FUNCTION forecast_statement_touched();
CREATE TRIGGER forecast_inputs_rule_requirements AFTER INSERT OR UPDATE OR DELETE ON rule_requirements
  FOR EACH STATEMENT EXECUTE FUNCTION forecast_statement_touched();
CREATE TRIGGER forecast_inputs_periods AFTER INSERT OR UPDATE OR DELETE ON measurement_kind_periods
  FOR EACH STATEMENT EXECUTE FUNCTION forecast_statement_touched();
CREATE TRIGGER forecast_inputs_awards_update AFTER UPDATE ON awards
  FOR EACH STATEMENT EXECUTE FUNCTION forecast_statement_touched();

-- Rows that name changed children: every new or removed one.
CREATE FUNCTION forecast_children_of_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO forecast_dirty (child_id) SELECT n.child_id FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO forecast_dirty (child_id) SELECT o.child_id FROM old_rows o;
  ELSE
    INSERT INTO forecast_dirty (child_id) SELECT n.child_id FROM new_rows n UNION SELECT o.child_id FROM old_rows o;
  END IF;
  PERFORM forecast_inputs_touched();
  RETURN NULL;
END
$$;

CREATE TRIGGER forecast_awards_insert AFTER INSERT ON awards
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_children_of_rows();
CREATE TRIGGER forecast_awards_delete AFTER DELETE ON awards
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_children_of_rows();
CREATE TRIGGER forecast_enrolments_insert AFTER INSERT ON enrolments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_children_of_rows();
CREATE TRIGGER forecast_enrolments_update AFTER UPDATE ON enrolments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_children_of_rows();
CREATE TRIGGER forecast_enrolments_delete AFTER DELETE ON enrolments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_children_of_rows();

-- Children: new and removed ones, and those whose birth date or attributes changed (found by a
-- UNION of old and new rows, not a join: a changed child appears twice).
CREATE FUNCTION forecast_children_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO forecast_dirty (child_id) SELECT n.id FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO forecast_dirty (child_id) SELECT o.id FROM old_rows o;
  ELSE
    INSERT INTO forecast_dirty (child_id)
      SELECT x.id FROM (SELECT n.id, n.birth_date, n.attributes FROM new_rows n UNION SELECT o.id, o.birth_date, o.attributes FROM old_rows o) x
      GROUP BY x.id HAVING count(*) > 1;
  END IF;
  PERFORM forecast_inputs_touched();
  RETURN NULL;
END
$$;

CREATE TRIGGER forecast_children_insert AFTER INSERT ON children
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_children_changed();
CREATE TRIGGER forecast_children_update AFTER UPDATE ON children
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_children_changed();
CREATE TRIGGER forecast_children_delete AFTER DELETE ON children
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_children_changed();

-- An institution whose kind changed: the children enrolled there.
CREATE FUNCTION forecast_institutions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    ids := ARRAY(SELECT x.id FROM (SELECT n.id, n.kind FROM new_rows n UNION SELECT o.id, o.kind FROM old_rows o) x GROUP BY x.id HAVING count(*) > 1);
    IF cardinality(ids) > 0 THEN
      INSERT INTO forecast_dirty (child_id) SELECT DISTINCT e.child_id FROM enrolments e WHERE e.institution_id = ANY(ids);
    END IF;
  END IF;
  PERFORM forecast_inputs_touched();
  RETURN NULL;
END
$$;

CREATE TRIGGER forecast_institutions_insert AFTER INSERT ON institutions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_institutions_changed();
CREATE TRIGGER forecast_institutions_update AFTER UPDATE ON institutions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_institutions_changed();
CREATE TRIGGER forecast_institutions_delete AFTER DELETE ON institutions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION forecast_institutions_changed();

-- Awards, not only children, per outcome count: the forecast's rates (decided and earned awards
-- per rule and origin) read dimension 'total'.
ALTER TABLE outcome_counts ADD COLUMN awards bigint NOT NULL DEFAULT 0, ADD COLUMN earned_awards bigint NOT NULL DEFAULT 0;
ALTER TABLE outcome_count_pending ADD COLUMN awards bigint NOT NULL DEFAULT 0, ADD COLUMN earned_awards bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION outcome_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO outcome_count_pending (txid, rule_id, dim, value, restgruppe, measured, earned, amount_ore, awards, earned_awards)
      SELECT pg_current_xact_id(), n.rule_id, d.dim, d.value, n.restgruppe, sum((n.awards > 0)::int), sum((n.earned_awards > 0)::int), sum(n.amount_ore),
             sum(n.awards), sum(n.earned_awards)
      FROM new_rows n CROSS JOIN LATERAL outcome_dims(n.birth_year, n.institution_ids, n.institution_kinds, n.municipalities) d
      GROUP BY n.rule_id, d.dim, d.value, n.restgruppe;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO outcome_count_pending (txid, rule_id, dim, value, restgruppe, measured, earned, amount_ore, awards, earned_awards)
      SELECT pg_current_xact_id(), o.rule_id, d.dim, d.value, o.restgruppe, -sum((o.awards > 0)::int), -sum((o.earned_awards > 0)::int), -sum(o.amount_ore),
             -sum(o.awards), -sum(o.earned_awards)
      FROM old_rows o CROSS JOIN LATERAL outcome_dims(o.birth_year, o.institution_ids, o.institution_kinds, o.municipalities) d
      GROUP BY o.rule_id, d.dim, d.value, o.restgruppe;
  ELSE
    INSERT INTO outcome_count_pending (txid, rule_id, dim, value, restgruppe, measured, earned, amount_ore, awards, earned_awards)
      SELECT pg_current_xact_id(), x.rule_id, x.dim, x.value, x.restgruppe, sum(x.m), sum(x.e), sum(x.a), sum(x.n), sum(x.ne)
      FROM (
        SELECT n.rule_id, d.dim, d.value, n.restgruppe, (n.awards > 0)::int AS m, (n.earned_awards > 0)::int AS e, n.amount_ore AS a, n.awards AS n, n.earned_awards AS ne
        FROM new_rows n CROSS JOIN LATERAL outcome_dims(n.birth_year, n.institution_ids, n.institution_kinds, n.municipalities) d
        UNION ALL
        SELECT o.rule_id, d.dim, d.value, o.restgruppe, -(o.awards > 0)::int, -(o.earned_awards > 0)::int, -o.amount_ore, -o.awards, -o.earned_awards
        FROM old_rows o CROSS JOIN LATERAL outcome_dims(o.birth_year, o.institution_ids, o.institution_kinds, o.municipalities) d
      ) x
      GROUP BY x.rule_id, x.dim, x.value, x.restgruppe
      HAVING (sum(x.m), sum(x.e), sum(x.a), sum(x.n), sum(x.ne)) <> (0, 0, 0::numeric, 0, 0);
  END IF;
  INSERT INTO outcome_count_flush (txid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION outcome_counts_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_counts AS c (rule_id, dim, value, restgruppe, measured, earned, amount_ore, awards, earned_awards)
    SELECT p.rule_id, p.dim, p.value, p.restgruppe, sum(p.measured), sum(p.earned), sum(p.amount_ore), sum(p.awards), sum(p.earned_awards)
    FROM outcome_count_pending p WHERE p.txid = NEW.txid
    GROUP BY p.rule_id, p.dim, p.value, p.restgruppe
    HAVING (sum(p.measured), sum(p.earned), sum(p.amount_ore), sum(p.awards), sum(p.earned_awards)) <> (0, 0, 0::numeric, 0, 0)
    ORDER BY p.rule_id, p.dim, p.value, p.restgruppe
  ON CONFLICT (rule_id, dim, value, restgruppe) DO UPDATE SET
    measured = c.measured + excluded.measured, earned = c.earned + excluded.earned, amount_ore = c.amount_ore + excluded.amount_ore,
    awards = c.awards + excluded.awards, earned_awards = c.earned_awards + excluded.earned_awards;
  DELETE FROM outcome_count_pending WHERE txid = NEW.txid;
  DELETE FROM outcome_count_flush WHERE txid = NEW.txid;
  RETURN NULL;
END
$$;

UPDATE outcome_counts c SET awards = x.awards, earned_awards = x.earned_awards
FROM (
  SELECT f.rule_id, d.dim, d.value, f.restgruppe, sum(f.awards) AS awards, sum(f.earned_awards) AS earned_awards
  FROM outcome_facts f CROSS JOIN LATERAL outcome_dims(f.birth_year, f.institution_ids, f.institution_kinds, f.municipalities) d
  GROUP BY 1, 2, 3, 4
) x
WHERE c.rule_id = x.rule_id AND c.dim = x.dim AND c.value IS NOT DISTINCT FROM x.value AND c.restgruppe = x.restgruppe;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE OR REPLACE FUNCTION outcome_counts_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_counts AS c (rule_id, dim, value, restgruppe, measured, earned, amount_ore)
    SELECT p.rule_id, p.dim, p.value, p.restgruppe, sum(p.measured), sum(p.earned), sum(p.amount_ore)
    FROM outcome_count_pending p WHERE p.txid = NEW.txid
    GROUP BY p.rule_id, p.dim, p.value, p.restgruppe
    HAVING (sum(p.measured), sum(p.earned), sum(p.amount_ore)) <> (0, 0, 0::numeric)
    ORDER BY p.rule_id, p.dim, p.value, p.restgruppe
  ON CONFLICT (rule_id, dim, value, restgruppe) DO UPDATE SET
    measured = c.measured + excluded.measured, earned = c.earned + excluded.earned, amount_ore = c.amount_ore + excluded.amount_ore;
  DELETE FROM outcome_count_pending WHERE txid = NEW.txid;
  DELETE FROM outcome_count_flush WHERE txid = NEW.txid;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION outcome_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO outcome_count_pending (txid, rule_id, dim, value, restgruppe, measured, earned, amount_ore)
      SELECT pg_current_xact_id(), n.rule_id, d.dim, d.value, n.restgruppe, sum((n.awards > 0)::int), sum((n.earned_awards > 0)::int), sum(n.amount_ore)
      FROM new_rows n CROSS JOIN LATERAL outcome_dims(n.birth_year, n.institution_ids, n.institution_kinds, n.municipalities) d
      GROUP BY n.rule_id, d.dim, d.value, n.restgruppe;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO outcome_count_pending (txid, rule_id, dim, value, restgruppe, measured, earned, amount_ore)
      SELECT pg_current_xact_id(), o.rule_id, d.dim, d.value, o.restgruppe, -sum((o.awards > 0)::int), -sum((o.earned_awards > 0)::int), -sum(o.amount_ore)
      FROM old_rows o CROSS JOIN LATERAL outcome_dims(o.birth_year, o.institution_ids, o.institution_kinds, o.municipalities) d
      GROUP BY o.rule_id, d.dim, d.value, o.restgruppe;
  ELSE
    INSERT INTO outcome_count_pending (txid, rule_id, dim, value, restgruppe, measured, earned, amount_ore)
      SELECT pg_current_xact_id(), x.rule_id, x.dim, x.value, x.restgruppe, sum(x.m), sum(x.e), sum(x.a)
      FROM (
        SELECT n.rule_id, d.dim, d.value, n.restgruppe, (n.awards > 0)::int AS m, (n.earned_awards > 0)::int AS e, n.amount_ore AS a
        FROM new_rows n CROSS JOIN LATERAL outcome_dims(n.birth_year, n.institution_ids, n.institution_kinds, n.municipalities) d
        UNION ALL
        SELECT o.rule_id, d.dim, d.value, o.restgruppe, -(o.awards > 0)::int, -(o.earned_awards > 0)::int, -o.amount_ore
        FROM old_rows o CROSS JOIN LATERAL outcome_dims(o.birth_year, o.institution_ids, o.institution_kinds, o.municipalities) d
      ) x
      GROUP BY x.rule_id, x.dim, x.value, x.restgruppe
      HAVING (sum(x.m), sum(x.e), sum(x.a)) <> (0, 0, 0::numeric);
  END IF;
  INSERT INTO outcome_count_flush (txid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
ALTER TABLE outcome_count_pending DROP COLUMN awards, DROP COLUMN earned_awards;
ALTER TABLE outcome_counts DROP COLUMN awards, DROP COLUMN earned_awards;
DROP TRIGGER forecast_institutions_delete ON institutions;
DROP TRIGGER forecast_institutions_update ON institutions;
DROP TRIGGER forecast_institutions_insert ON institutions;
DROP FUNCTION forecast_institutions_changed();
DROP TRIGGER forecast_children_delete ON children;
DROP TRIGGER forecast_children_update ON children;
DROP TRIGGER forecast_children_insert ON children;
DROP FUNCTION forecast_children_changed();
DROP TRIGGER forecast_enrolments_delete ON enrolments;
DROP TRIGGER forecast_enrolments_update ON enrolments;
DROP TRIGGER forecast_enrolments_insert ON enrolments;
DROP TRIGGER forecast_awards_delete ON awards;
DROP TRIGGER forecast_awards_insert ON awards;
DROP FUNCTION forecast_children_of_rows();
DROP TRIGGER forecast_inputs_awards_update ON awards;
DROP TRIGGER forecast_inputs_periods ON measurement_kind_periods;
DROP TRIGGER forecast_inputs_rule_requirements ON rule_requirements;
DROP TRIGGER forecast_inputs_rule_versions ON rule_versions;
DROP TRIGGER forecast_inputs_rules ON rules;
DROP FUNCTION forecast_statement_touched();
DROP TRIGGER forecast_inputs_at_commit ON forecast_inputs_touch;
DROP FUNCTION forecast_inputs_commit();
DROP FUNCTION forecast_inputs_touched();
DROP TABLE forecast_inputs_touch;
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
DROP TABLE forecast_birth_dates;
DROP TABLE forecast_profile;
DROP TABLE forecast_square_events;
DROP TABLE forecast_known_events;
DROP TABLE forecast_cohorts;
DROP TABLE forecast_units;
DROP TABLE forecast_children;
DROP TABLE forecast_dirty;
`,
  );
}
