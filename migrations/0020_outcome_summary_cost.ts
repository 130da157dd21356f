import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * What the outcome summary's triggers (migration 0012) cost settlement, made cheaper without
 * changing what they compute (BENCHMARKS.md, "What the summaries cost settlement"; DECISIONS D181):
 *
 *  - `rule_paid_kinds` becomes a table kept by a trigger on `rule_versions` instead of a view that
 *    expands every version's windows on every use. The view's row estimate (hundreds of versions ×
 *    100 windows × 100 kinds) pushed every statement joining it over `jit_above_cost`, so each
 *    call compiled ~90 ms of JIT code for a few milliseconds of work — even for an empty input.
 *  - `outcome_facts_regroup` first looks up the (child, rule) rows of the given children and
 *    returns when there are none (most children whose `gen` is bumped at ingest have no award
 *    yet), instead of running the grouping join for them.
 *    Settlement's own `settled_gen` updates fire the `gen` trigger too (a statement trigger with a
 *    transition table cannot name columns); they bump nothing, so they now stop at the empty array.
 *  - the municipality trigger looks for institutions whose municipality changed before it looks
 *    for their children.
 *  - a batch of new awards adds to `outcome_facts` in one `INSERT … ON CONFLICT` (every change is
 *    positive, so no proposed row can fail a CHECK) instead of an UPDATE, a lookup of the missing
 *    rows and an INSERT; updates and deletes keep the update-first path.
 *  - an update of awards finds changed amounts by aggregating new minus old rows, not by a join of
 *    the transition tables whose cached plan could be a nested loop over hundreds of rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP VIEW rule_paid_kinds;
CREATE TABLE rule_paid_kinds (
  rule_id  uuid NOT NULL,
  kind     text NOT NULL,
  PRIMARY KEY (rule_id, kind)
);
CREATE INDEX rule_paid_kinds_kind ON rule_paid_kinds (kind);

-- The kinds of these rules' versions, computed again (versions are only ever added, but an update
-- or delete would be handled the same way).
CREATE FUNCTION rule_paid_kinds_refresh(p_rules uuid[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM rule_paid_kinds WHERE rule_id = ANY(p_rules);
  INSERT INTO rule_paid_kinds (rule_id, kind)
    SELECT DISTINCT v.rule_id, k.kind
    FROM rule_versions v
    CROSS JOIN LATERAL jsonb_array_elements(coalesce(v.spec->'windows', '[]'::jsonb)) w
    CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(w->'kinds', '[]'::jsonb)) k(kind)
    WHERE v.rule_id = ANY(p_rules)
    ORDER BY 1, 2;
$$;

CREATE FUNCTION rule_paid_kinds_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM rule_paid_kinds_refresh(ARRAY(SELECT DISTINCT rule_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM rule_paid_kinds_refresh(ARRAY(SELECT DISTINCT rule_id FROM old_rows));
  ELSE
    PERFORM rule_paid_kinds_refresh(ARRAY(SELECT rule_id FROM new_rows UNION SELECT rule_id FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER rule_versions_paid_kinds_insert AFTER INSERT ON rule_versions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rule_paid_kinds_changed();
CREATE TRIGGER rule_versions_paid_kinds_update AFTER UPDATE ON rule_versions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rule_paid_kinds_changed();
CREATE TRIGGER rule_versions_paid_kinds_delete AFTER DELETE ON rule_versions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rule_paid_kinds_changed();

SELECT rule_paid_kinds_refresh(ARRAY(SELECT DISTINCT rule_id FROM rule_versions));

CREATE OR REPLACE FUNCTION outcome_facts_regroup(p_children uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  c uuid[]; r uuid[];
BEGIN
  IF cardinality(p_children) IS DISTINCT FROM 0 THEN
    SELECT array_agg(x.child_id ORDER BY x.child_id, x.rule_id), array_agg(x.rule_id ORDER BY x.child_id, x.rule_id)
      INTO c, r
    FROM outcome_facts x WHERE x.child_id = ANY(p_children);
  END IF;
  IF c IS NULL THEN
    RETURN; -- none of these children has an award yet: nothing to regroup
  END IF;
  UPDATE outcome_facts f
  SET restgruppe = g.restgruppe, birth_year = g.birth_year, institution_ids = g.institution_ids,
      institution_kinds = g.institution_kinds, municipalities = g.municipalities
  FROM outcome_groups(c, r) g
  WHERE f.child_id = g.child_id AND f.rule_id = g.rule_id
    AND (f.restgruppe, f.birth_year, f.institution_ids, f.institution_kinds, f.municipalities)
        IS DISTINCT FROM (g.restgruppe, g.birth_year, g.institution_ids, g.institution_kinds, g.municipalities);
END
$$;

-- The institutions whose municipality changed first; their children only when there are any.
CREATE OR REPLACE FUNCTION outcome_facts_municipality_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  ids := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.municipality IS DISTINCT FROM o.municipality);
  IF cardinality(ids) > 0 THEN
    PERFORM outcome_facts_regroup(ARRAY(SELECT DISTINCT e.child_id FROM enrolments e WHERE e.institution_id = ANY(ids)));
  END IF;
  RETURN NULL;
END
$$;

-- New awards only add, so one INSERT … ON CONFLICT does it: the groups are computed for the
-- batch's (child, rule) pairs (an existing row's are not needed, but a pair that already has a row
-- is rare in an insert: a rule's second period).
CREATE OR REPLACE FUNCTION outcome_facts_awards_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_add(array_agg(n.child_id), array_agg(n.rule_id), array_agg(0),
                            array_agg(n.earned::int - o.earned::int), array_agg(n.amount_ore - o.amount_ore))
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.earned, n.amount_ore) IS DISTINCT FROM (o.earned, o.amount_ore)
  HAVING count(*) > 0;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION outcome_facts_awards_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c uuid[]; r uuid[]; a int[]; e int[]; m bigint[];
BEGIN
  SELECT array_agg(x.child_id ORDER BY x.child_id, x.rule_id), array_agg(x.rule_id ORDER BY x.child_id, x.rule_id),
         array_agg(x.awards ORDER BY x.child_id, x.rule_id), array_agg(x.earned ORDER BY x.child_id, x.rule_id),
         array_agg(x.amount ORDER BY x.child_id, x.rule_id)
    INTO c, r, a, e, m
  FROM (
    SELECT n.child_id, n.rule_id, count(*)::int AS awards, count(*) FILTER (WHERE n.earned)::int AS earned, sum(n.amount_ore)::bigint AS amount
    FROM new_rows n GROUP BY n.child_id, n.rule_id
  ) x;
  IF c IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO outcome_facts AS f (child_id, rule_id, awards, earned_awards, amount_ore, restgruppe, birth_year, institution_ids, institution_kinds, municipalities)
  SELECT d.child_id, d.rule_id, d.awards, d.earned, d.amount, g.restgruppe, g.birth_year, g.institution_ids, g.institution_kinds, g.municipalities
  FROM unnest(c, r, a, e, m) AS d(child_id, rule_id, awards, earned, amount)
  JOIN outcome_groups(c, r) g ON g.child_id = d.child_id AND g.rule_id = d.rule_id
  ORDER BY d.child_id, d.rule_id
  ON CONFLICT (child_id, rule_id) DO UPDATE SET
    awards = f.awards + excluded.awards,
    earned_awards = f.earned_awards + excluded.earned_awards,
    amount_ore = f.amount_ore + excluded.amount_ore;
  RETURN NULL;
END
$$;

-- Changed earned flags and amounts, found by summing each award's new row minus its old one instead
-- of joining the two transition tables: a join's plan is cached by PL/pgSQL, and one planned for a
-- handful of rows (a nested loop) cost ~27 ms on every later batch of hundreds.
CREATE OR REPLACE FUNCTION outcome_facts_awards_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_add(array_agg(d.child_id), array_agg(d.rule_id), array_agg(0), array_agg(d.earned), array_agg(d.amount))
  FROM (
    SELECT x.child_id, x.rule_id, sum(x.earned)::int AS earned, sum(x.amount)::bigint AS amount
    FROM (
      SELECT n.id, n.child_id, n.rule_id, n.earned::int AS earned, n.amount_ore AS amount FROM new_rows n
      UNION ALL
      SELECT o.id, o.child_id, o.rule_id, -(o.earned::int), -o.amount_ore FROM old_rows o
    ) x
    GROUP BY x.id, x.child_id, x.rule_id
    HAVING (sum(x.earned), sum(x.amount)) <> (0, 0::numeric)
  ) d
  HAVING count(*) > 0;
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
CREATE OR REPLACE FUNCTION outcome_facts_awards_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_add(array_agg(child_id), array_agg(rule_id), array_agg(1), array_agg(earned::int), array_agg(amount_ore))
  FROM new_rows HAVING count(*) > 0;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION outcome_facts_municipality_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_regroup(ARRAY(
    SELECT DISTINCT e.child_id FROM enrolments e
    JOIN new_rows n ON n.id = e.institution_id JOIN old_rows o ON o.id = n.id
    WHERE n.municipality IS DISTINCT FROM o.municipality));
  RETURN NULL;
END
$$;
DROP FUNCTION outcome_facts_regroup(uuid[]);
CREATE FUNCTION outcome_facts_regroup(p_children uuid[]) RETURNS void LANGUAGE sql AS $$
  UPDATE outcome_facts f
  SET restgruppe = g.restgruppe, birth_year = g.birth_year, institution_ids = g.institution_ids,
      institution_kinds = g.institution_kinds, municipalities = g.municipalities
  FROM outcome_groups(
         ARRAY(SELECT x.child_id FROM outcome_facts x WHERE x.child_id = ANY(p_children) ORDER BY x.child_id, x.rule_id),
         ARRAY(SELECT x.rule_id FROM outcome_facts x WHERE x.child_id = ANY(p_children) ORDER BY x.child_id, x.rule_id)) g
  WHERE f.child_id = g.child_id AND f.rule_id = g.rule_id
    AND (f.restgruppe, f.birth_year, f.institution_ids, f.institution_kinds, f.municipalities)
        IS DISTINCT FROM (g.restgruppe, g.birth_year, g.institution_ids, g.institution_kinds, g.municipalities)
$$;
DROP TRIGGER rule_versions_paid_kinds_delete ON rule_versions;
DROP TRIGGER rule_versions_paid_kinds_update ON rule_versions;
DROP TRIGGER rule_versions_paid_kinds_insert ON rule_versions;
DROP FUNCTION rule_paid_kinds_changed();
DROP FUNCTION rule_paid_kinds_refresh(uuid[]);
DROP TABLE rule_paid_kinds;
CREATE VIEW rule_paid_kinds AS
  SELECT DISTINCT v.rule_id, k.kind
  FROM rule_versions v
  CROSS JOIN LATERAL jsonb_array_elements(coalesce(v.spec->'windows', '[]'::jsonb)) w
  CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(w->'kinds', '[]'::jsonb)) k(kind);
`,
  );
}
