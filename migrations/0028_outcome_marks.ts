import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The outcome summary (`outcome_facts`, migration 0012; `outcome_counts` derived from it) kept from
 * change marks, like the forecast's summary (0023), instead of inside the transaction that writes
 * the awards (issue 14, "the rest of the per-award cost"; DECISIONS D199–D200). An award write paid
 * for computing each new (child, rule)'s groups from enrolments and institutions: 1.26 s of a
 * 1.65 s insert of 3,000 awards (BENCHMARKS.md).
 *
 *  - `outcome_dirty`: (child, rule) pairs whose row may have changed — a new, changed (earned,
 *    amount) or removed award — and children whose every row may have changed (`rule_id` null): a
 *    bumped `gen` (registry, enrolments, birth date, attributes, an institution's kind, code,
 *    closure or successor, a rule version for the measurements it re-settles), an institution whose
 *    municipality or kind changed (its children). No index, no key: statement triggers append.
 *  - a rule version added, changed or removed marks every child the rule has a row for (the kinds
 *    it pays, and so the institutions a row lists, may have changed). Before, only the children
 *    whose measurements the version re-settles were regrouped.
 *  - `outcome_facts_refresh(children, rules)`: what the summary's writer (src/services/
 *    outcome-summary.ts, one at a time under an advisory lock) runs for the marks it claims:
 *    each marked pair's row as `awards` and `outcome_groups` say now — deleted when no award is
 *    left, written only when it differs. `outcome_counts` follows by its triggers on
 *    `outcome_facts` (unchanged; at the writer's commit now, not settlement's).
 *  - `outcome_facts_rebuild()`: both tables built afresh (for operators and the tests).
 *
 * The trigger functions of 0012/0020 (`outcome_facts_awards_*`, `outcome_facts_inputs_changed`,
 * `outcome_facts_municipality_changed`, with `outcome_facts_add` and `outcome_facts_regroup`) stay
 * defined but unused, so that `down` can put their triggers back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TRIGGER awards_outcome_insert ON awards;
DROP TRIGGER awards_outcome_update ON awards;
DROP TRIGGER awards_outcome_delete ON awards;
DROP TRIGGER measurements_outcome_update ON measurements;
DROP TRIGGER institutions_outcome_update ON institutions;

CREATE TABLE outcome_dirty (
  child_id  uuid NOT NULL,
  -- null: every rule of the child
  rule_id   uuid
);

-- Awards: the (child, rule) of every new and removed one, and of every one whose earned flag or
-- amount changed (found by a UNION of old and new rows grouped by award, not by a join of the
-- transition tables; see 0020). An update that changes neither (status, payout, funding) marks nothing.
CREATE FUNCTION outcome_marks_awards() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO outcome_dirty (child_id, rule_id) SELECT n.child_id, n.rule_id FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO outcome_dirty (child_id, rule_id) SELECT o.child_id, o.rule_id FROM old_rows o;
  ELSE
    INSERT INTO outcome_dirty (child_id, rule_id)
      SELECT DISTINCT x.child_id, x.rule_id
      FROM (SELECT n.id, n.child_id, n.rule_id, n.earned, n.amount_ore FROM new_rows n
            UNION SELECT o.id, o.child_id, o.rule_id, o.earned, o.amount_ore FROM old_rows o) x
      WHERE x.id IN (
        SELECT y.id FROM (SELECT n.id, n.child_id, n.rule_id, n.earned, n.amount_ore FROM new_rows n
                          UNION SELECT o.id, o.child_id, o.rule_id, o.earned, o.amount_ore FROM old_rows o) y
        GROUP BY y.id HAVING count(*) > 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER awards_outcome_marks_insert AFTER INSERT ON awards
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_awards();
CREATE TRIGGER awards_outcome_marks_update AFTER UPDATE ON awards
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_awards();
CREATE TRIGGER awards_outcome_marks_delete AFTER DELETE ON awards
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_awards();

-- A bumped gen (settled_gen < gen): an input of the child's awards changed. Settlement's own
-- settled_gen updates leave no such row, so they append nothing.
CREATE FUNCTION outcome_marks_inputs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_dirty (child_id) SELECT DISTINCT n.child_id FROM new_rows n WHERE n.settled_gen < n.gen;
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_outcome_marks AFTER UPDATE ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_inputs_changed();

-- Institutions whose municipality (which bumps nothing) or kind changed: the children enrolled there.
CREATE FUNCTION outcome_marks_institutions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  ids := ARRAY(SELECT x.id FROM (SELECT n.id, n.municipality, n.kind FROM new_rows n UNION SELECT o.id, o.municipality, o.kind FROM old_rows o) x
               GROUP BY x.id HAVING count(*) > 1);
  IF cardinality(ids) > 0 THEN
    INSERT INTO outcome_dirty (child_id) SELECT DISTINCT e.child_id FROM enrolments e WHERE e.institution_id = ANY(ids);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER institutions_outcome_marks AFTER UPDATE ON institutions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_institutions_changed();

-- A rule's versions changed: the kinds it pays may have, so every row of the rule is marked.
CREATE FUNCTION outcome_marks_rule_versions() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER rule_versions_outcome_marks_insert AFTER INSERT ON rule_versions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_rule_versions();
CREATE TRIGGER rule_versions_outcome_marks_update AFTER UPDATE ON rule_versions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_rule_versions();
CREATE TRIGGER rule_versions_outcome_marks_delete AFTER DELETE ON rule_versions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_rule_versions();

-- The rows of these pairs as the awards and the registry have them now; a null rule stands for
-- every rule the child has a row or an award for. Only the summary's writer calls this (one at a
-- time: it computes each row from its own snapshot and overwrites it).
CREATE FUNCTION outcome_facts_refresh(p_children uuid[], p_rules uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  whole uuid[];
  c uuid[]; r uuid[];
  tc uuid[]; tr uuid[]; ta int[]; te int[]; tm bigint[];
BEGIN
  whole := ARRAY(SELECT DISTINCT m.child_id FROM unnest(p_children, p_rules) AS m(child_id, rule_id) WHERE m.rule_id IS NULL);
  SELECT array_agg(p.child_id ORDER BY p.child_id, p.rule_id), array_agg(p.rule_id ORDER BY p.child_id, p.rule_id)
    INTO c, r
  FROM (
    SELECT m.child_id, m.rule_id FROM unnest(p_children, p_rules) AS m(child_id, rule_id) WHERE m.rule_id IS NOT NULL
    UNION SELECT f.child_id, f.rule_id FROM outcome_facts f WHERE f.child_id = ANY(whole)
    UNION SELECT a.child_id, a.rule_id FROM awards a WHERE a.child_id = ANY(whole)
  ) p;
  IF c IS NULL THEN
    RETURN;
  END IF;
  SELECT array_agg(t.child_id ORDER BY t.child_id, t.rule_id), array_agg(t.rule_id ORDER BY t.child_id, t.rule_id),
         array_agg(t.awards ORDER BY t.child_id, t.rule_id), array_agg(t.earned ORDER BY t.child_id, t.rule_id),
         array_agg(t.amount ORDER BY t.child_id, t.rule_id)
    INTO tc, tr, ta, te, tm
  FROM (
    SELECT a.child_id, a.rule_id, count(*)::int AS awards, (count(*) FILTER (WHERE a.earned))::int AS earned, sum(a.amount_ore)::bigint AS amount
    FROM unnest(c, r) AS p(child_id, rule_id)
    JOIN awards a ON a.child_id = p.child_id AND a.rule_id = p.rule_id
    GROUP BY a.child_id, a.rule_id
  ) t;
  -- Pairs without an award left.
  DELETE FROM outcome_facts f
  USING unnest(c, r) AS p(child_id, rule_id)
  WHERE f.child_id = p.child_id AND f.rule_id = p.rule_id
    AND NOT EXISTS (SELECT 1 FROM unnest(tc, tr) AS k(child_id, rule_id) WHERE k.child_id = p.child_id AND k.rule_id = p.rule_id);
  IF tc IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO outcome_facts AS f (child_id, rule_id, awards, earned_awards, amount_ore, restgruppe, birth_year, institution_ids, institution_kinds, municipalities)
  SELECT d.child_id, d.rule_id, d.awards, d.earned, d.amount, g.restgruppe, g.birth_year, g.institution_ids, g.institution_kinds, g.municipalities
  FROM unnest(tc, tr, ta, te, tm) AS d(child_id, rule_id, awards, earned, amount)
  JOIN outcome_groups(tc, tr) g ON g.child_id = d.child_id AND g.rule_id = d.rule_id
  ORDER BY d.child_id, d.rule_id
  ON CONFLICT (child_id, rule_id) DO UPDATE SET
    awards = excluded.awards, earned_awards = excluded.earned_awards, amount_ore = excluded.amount_ore,
    restgruppe = excluded.restgruppe, birth_year = excluded.birth_year, institution_ids = excluded.institution_ids,
    institution_kinds = excluded.institution_kinds, municipalities = excluded.municipalities
  WHERE (f.awards, f.earned_awards, f.amount_ore, f.restgruppe, f.birth_year, f.institution_ids, f.institution_kinds, f.municipalities)
        IS DISTINCT FROM (excluded.awards, excluded.earned_awards, excluded.amount_ore, excluded.restgruppe, excluded.birth_year,
                          excluded.institution_ids, excluded.institution_kinds, excluded.municipalities);
END
$$;

-- Both tables built afresh from every award: the marks committed now are taken (those committed
-- later stay for the writer); outcome_counts is aggregated from the new rows, not from the
-- differences the triggers on outcome_facts record (those of this transaction are dropped).
CREATE FUNCTION outcome_facts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tc uuid[]; tr uuid[]; ta int[]; te int[]; tm bigint[];
BEGIN
  DELETE FROM outcome_dirty;
  DELETE FROM outcome_facts;
  SELECT array_agg(t.child_id ORDER BY t.child_id, t.rule_id), array_agg(t.rule_id ORDER BY t.child_id, t.rule_id),
         array_agg(t.awards ORDER BY t.child_id, t.rule_id), array_agg(t.earned ORDER BY t.child_id, t.rule_id),
         array_agg(t.amount ORDER BY t.child_id, t.rule_id)
    INTO tc, tr, ta, te, tm
  FROM (
    SELECT a.child_id, a.rule_id, count(*)::int AS awards, (count(*) FILTER (WHERE a.earned))::int AS earned, sum(a.amount_ore)::bigint AS amount
    FROM awards a GROUP BY a.child_id, a.rule_id
  ) t;
  IF tc IS NOT NULL THEN
    INSERT INTO outcome_facts (child_id, rule_id, awards, earned_awards, amount_ore, restgruppe, birth_year, institution_ids, institution_kinds, municipalities)
    SELECT d.child_id, d.rule_id, d.awards, d.earned, d.amount, g.restgruppe, g.birth_year, g.institution_ids, g.institution_kinds, g.municipalities
    FROM unnest(tc, tr, ta, te, tm) AS d(child_id, rule_id, awards, earned, amount)
    JOIN outcome_groups(tc, tr) g ON g.child_id = d.child_id AND g.rule_id = d.rule_id
    ORDER BY d.child_id, d.rule_id;
  END IF;
  DELETE FROM outcome_count_pending WHERE txid = pg_current_xact_id();
  DELETE FROM outcome_counts;
  INSERT INTO outcome_counts (rule_id, dim, value, restgruppe, measured, earned, amount_ore, awards, earned_awards)
    SELECT f.rule_id, d.dim, d.value, f.restgruppe, count(*), count(*) FILTER (WHERE f.earned_awards > 0), sum(f.amount_ore),
           sum(f.awards), sum(f.earned_awards)
    FROM outcome_facts f CROSS JOIN LATERAL outcome_dims(f.birth_year, f.institution_ids, f.institution_kinds, f.municipalities) d
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4;
END
$$;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
-- What the marks still owe, before the triggers of 0012/0020 take over again.
SELECT outcome_facts_rebuild();
DROP FUNCTION outcome_facts_rebuild();
DROP FUNCTION outcome_facts_refresh(uuid[], uuid[]);
DROP TRIGGER rule_versions_outcome_marks_delete ON rule_versions;
DROP TRIGGER rule_versions_outcome_marks_update ON rule_versions;
DROP TRIGGER rule_versions_outcome_marks_insert ON rule_versions;
DROP FUNCTION outcome_marks_rule_versions();
DROP TRIGGER institutions_outcome_marks ON institutions;
DROP FUNCTION outcome_marks_institutions_changed();
DROP TRIGGER measurements_outcome_marks ON measurements;
DROP FUNCTION outcome_marks_inputs_changed();
DROP TRIGGER awards_outcome_marks_delete ON awards;
DROP TRIGGER awards_outcome_marks_update ON awards;
DROP TRIGGER awards_outcome_marks_insert ON awards;
DROP FUNCTION outcome_marks_awards();
DROP TABLE outcome_dirty;
CREATE TRIGGER awards_outcome_insert AFTER INSERT ON awards
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_awards_inserted();
CREATE TRIGGER awards_outcome_update AFTER UPDATE ON awards
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_awards_updated();
CREATE TRIGGER awards_outcome_delete AFTER DELETE ON awards
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_awards_deleted();
CREATE TRIGGER measurements_outcome_update AFTER UPDATE ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_inputs_changed();
CREATE TRIGGER institutions_outcome_update AFTER UPDATE ON institutions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_municipality_changed();
`,
  );
}
