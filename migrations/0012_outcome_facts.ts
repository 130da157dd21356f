import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The social-mobility report's summary (issue 13, GET /v1/reports/outcomes): one narrow row per
 * (child, rule) that has an award, with what the report groups by — restgruppe origin, birth
 * year, and the institutions (their kinds and municipalities) of the kinds the rule pays that
 * the child attended — and the award counts and amount. The report aggregates this table in one
 * scan instead of joining awards (1.5 million wide rows at a million children), children and
 * enrolments; a join of those took tens of seconds (BENCHMARKS.md).
 *
 * Kept by triggers, so every code path maintains it without knowing about it:
 *  - awards INSERT / UPDATE / DELETE: the counts and amount change by the difference (commutative,
 *    so two settlements of one child never overwrite each other); a new (child, rule) row gets
 *    its groups computed from the committed registry;
 *  - measurements whose `gen` was bumped (what every change to a child's inputs does: enrolments,
 *    attributes, birth date, an institution's kind, code, closure or successor, a new rule
 *    version): the groups of those children are computed again. The bump locks the child's
 *    measurements, so it waits for a running settlement of that child and then sees its rows;
 *  - institutions whose municipality changed (which bumps nothing): the groups of the children
 *    enrolled there.
 * DECISIONS D141.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
-- The institution kinds a rule pays: every kind named by a window of any of its versions.
CREATE VIEW rule_paid_kinds AS
  SELECT DISTINCT v.rule_id, k.kind
  FROM rule_versions v
  CROSS JOIN LATERAL jsonb_array_elements(coalesce(v.spec->'windows', '[]'::jsonb)) w
  CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(w->'kinds', '[]'::jsonb)) k(kind);

CREATE TABLE outcome_facts (
  child_id           uuid NOT NULL,
  rule_id            uuid NOT NULL,
  -- Awards of this rule for this child (a rule with several periods has one per period), how
  -- many are earned, and the sum of their amounts.
  awards             int NOT NULL CHECK (awards >= 0),
  earned_awards      int NOT NULL CHECK (earned_awards >= 0 AND earned_awards <= awards),
  amount_ore         bigint NOT NULL CHECK (amount_ore >= 0),
  restgruppe         boolean NOT NULL,
  birth_year         int NOT NULL,
  -- Institutions of the kinds the rule pays that the child was ever enrolled at, their kinds and
  -- municipalities ('' for none recorded); sorted, without duplicates; empty when there were none.
  institution_ids    uuid[] NOT NULL,
  institution_kinds  text[] NOT NULL,
  municipalities     text[] NOT NULL,
  PRIMARY KEY (child_id, rule_id)
);

-- The groups of (child, rule) pairs, from the committed registry, in one set-based query.
CREATE FUNCTION outcome_groups(p_children uuid[], p_rules uuid[])
RETURNS TABLE (child_id uuid, rule_id uuid, restgruppe boolean, birth_year int, institution_ids uuid[], institution_kinds text[], municipalities text[])
LANGUAGE sql STABLE AS $$
  WITH pairs AS (SELECT DISTINCT p.child_id, p.rule_id FROM unnest(p_children, p_rules) AS p(child_id, rule_id)),
  attended AS (
    SELECT p.child_id, p.rule_id,
           array_agg(DISTINCT i.id ORDER BY i.id) AS ids,
           array_agg(DISTINCT i.kind ORDER BY i.kind) AS kinds,
           array_agg(DISTINCT coalesce(i.municipality, '') ORDER BY coalesce(i.municipality, '')) AS munis
    FROM pairs p
    JOIN enrolments e ON e.child_id = p.child_id
    JOIN institutions i ON i.id = e.institution_id
    JOIN rule_paid_kinds k ON k.rule_id = p.rule_id AND k.kind = i.kind
    GROUP BY p.child_id, p.rule_id
  )
  SELECT p.child_id, p.rule_id,
         coalesce((c.attributes->'restgruppe_origin') = 'true'::jsonb, false),
         extract(year FROM c.birth_date)::int,
         coalesce(a.ids, '{}'), coalesce(a.kinds, '{}'), coalesce(a.munis, '{}')
  FROM pairs p
  JOIN children c ON c.id = p.child_id
  LEFT JOIN attended a ON a.child_id = p.child_id AND a.rule_id = p.rule_id
$$;

-- Computes the groups again for every row of these children.
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

-- Adds these awards' counts and amounts (negative to remove) to their (child, rule) rows; a row
-- that does not exist yet is created with its groups. Existing rows are updated first: a CHECK
-- is evaluated on a proposed INSERT row before ON CONFLICT is, so a negative change must never
-- be proposed as a new row.
CREATE FUNCTION outcome_facts_add(p_children uuid[], p_rules uuid[], p_awards int[], p_earned int[], p_amounts bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  c uuid[]; r uuid[]; a int[]; e int[]; m bigint[];
  missing_c uuid[]; missing_r uuid[];
BEGIN
  SELECT array_agg(x.child_id ORDER BY x.child_id, x.rule_id), array_agg(x.rule_id ORDER BY x.child_id, x.rule_id),
         array_agg(x.awards ORDER BY x.child_id, x.rule_id), array_agg(x.earned ORDER BY x.child_id, x.rule_id),
         array_agg(x.amount ORDER BY x.child_id, x.rule_id)
    INTO c, r, a, e, m
  FROM (
    SELECT u.child_id, u.rule_id, sum(u.awards)::int AS awards, sum(u.earned)::int AS earned, sum(u.amount)::bigint AS amount
    FROM unnest(p_children, p_rules, p_awards, p_earned, p_amounts) AS u(child_id, rule_id, awards, earned, amount)
    GROUP BY u.child_id, u.rule_id
  ) x;
  IF c IS NULL THEN
    RETURN;
  END IF;
  UPDATE outcome_facts f
  SET awards = f.awards + d.awards, earned_awards = f.earned_awards + d.earned, amount_ore = f.amount_ore + d.amount
  FROM unnest(c, r, a, e, m) AS d(child_id, rule_id, awards, earned, amount)
  WHERE f.child_id = d.child_id AND f.rule_id = d.rule_id AND (d.awards, d.earned, d.amount) <> (0, 0, 0::bigint);
  SELECT array_agg(d.child_id ORDER BY d.child_id, d.rule_id), array_agg(d.rule_id ORDER BY d.child_id, d.rule_id)
    INTO missing_c, missing_r
  FROM unnest(c, r) AS d(child_id, rule_id)
  WHERE NOT EXISTS (SELECT 1 FROM outcome_facts f WHERE f.child_id = d.child_id AND f.rule_id = d.rule_id);
  IF missing_c IS NULL THEN
    RETURN;
  END IF;
  -- Only new awards create rows, so these changes are positive; another transaction may have
  -- created the row meanwhile (ON CONFLICT then adds to it).
  INSERT INTO outcome_facts AS f (child_id, rule_id, awards, earned_awards, amount_ore, restgruppe, birth_year, institution_ids, institution_kinds, municipalities)
  SELECT d.child_id, d.rule_id, d.awards, d.earned, d.amount, g.restgruppe, g.birth_year, g.institution_ids, g.institution_kinds, g.municipalities
  FROM unnest(c, r, a, e, m) AS d(child_id, rule_id, awards, earned, amount)
  JOIN outcome_groups(missing_c, missing_r) g ON g.child_id = d.child_id AND g.rule_id = d.rule_id
  ORDER BY d.child_id, d.rule_id
  ON CONFLICT (child_id, rule_id) DO UPDATE SET
    awards = f.awards + excluded.awards,
    earned_awards = f.earned_awards + excluded.earned_awards,
    amount_ore = f.amount_ore + excluded.amount_ore;
END
$$;

CREATE FUNCTION outcome_facts_awards_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_add(array_agg(child_id), array_agg(rule_id), array_agg(1), array_agg(earned::int), array_agg(amount_ore))
  FROM new_rows HAVING count(*) > 0;
  RETURN NULL;
END
$$;

CREATE FUNCTION outcome_facts_awards_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_add(array_agg(n.child_id), array_agg(n.rule_id), array_agg(0),
                            array_agg(n.earned::int - o.earned::int), array_agg(n.amount_ore - o.amount_ore))
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.earned, n.amount_ore) IS DISTINCT FROM (o.earned, o.amount_ore)
  HAVING count(*) > 0;
  RETURN NULL;
END
$$;

CREATE FUNCTION outcome_facts_awards_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_add(array_agg(child_id), array_agg(rule_id), array_agg(-1), array_agg(-(earned::int)), array_agg(-amount_ore))
  FROM old_rows HAVING count(*) > 0;
  DELETE FROM outcome_facts f USING (SELECT DISTINCT child_id, rule_id FROM old_rows) o
  WHERE f.child_id = o.child_id AND f.rule_id = o.rule_id AND f.awards = 0;
  RETURN NULL;
END
$$;

CREATE TRIGGER awards_outcome_insert AFTER INSERT ON awards
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_awards_inserted();
CREATE TRIGGER awards_outcome_update AFTER UPDATE ON awards
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_awards_updated();
CREATE TRIGGER awards_outcome_delete AFTER DELETE ON awards
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_awards_deleted();

-- A bumped gen (settled_gen < gen) means an input of the child's awards changed.
CREATE FUNCTION outcome_facts_inputs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_regroup(ARRAY(SELECT DISTINCT child_id FROM new_rows WHERE settled_gen < gen));
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_outcome_update AFTER UPDATE ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_inputs_changed();

CREATE FUNCTION outcome_facts_municipality_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_facts_regroup(ARRAY(
    SELECT DISTINCT e.child_id FROM enrolments e
    JOIN new_rows n ON n.id = e.institution_id JOIN old_rows o ON o.id = n.id
    WHERE n.municipality IS DISTINCT FROM o.municipality));
  RETURN NULL;
END
$$;

CREATE TRIGGER institutions_outcome_update AFTER UPDATE ON institutions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_facts_municipality_changed();

-- Pre-aggregated counts per (rule, dimension, value, origin), so that the whole-population report
-- reads a few thousand rows instead of scanning outcome_facts. Each change of outcome_facts adds
-- its difference to outcome_count_pending under the transaction's id; at commit a deferred
-- trigger moves the transaction's differences into outcome_counts in one statement, in key
-- order — counter rows are locked only for that moment and always in the same order, so two
-- settlements never deadlock on them. Dimension 'total' has one row per (rule, origin): each child once.
CREATE TABLE outcome_counts (
  rule_id     uuid NOT NULL,
  dim         text NOT NULL CHECK (dim IN ('total', 'birth_year', 'municipality', 'institution_kind', 'institution')),
  value       text,
  restgruppe  boolean NOT NULL,
  -- No CHECKs: a flush proposes each difference as a row (negative for a decrease), and PostgreSQL
  -- checks a proposed row before ON CONFLICT turns it into an update. The test suite recomputes
  -- this table from outcome_facts after every kind of change.
  measured    bigint NOT NULL,
  earned      bigint NOT NULL,
  amount_ore  bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (rule_id, dim, value, restgruppe)
);

CREATE TABLE outcome_count_pending (
  txid        xid8 NOT NULL,
  rule_id     uuid NOT NULL,
  dim         text NOT NULL,
  value       text,
  restgruppe  boolean NOT NULL,
  measured    bigint NOT NULL,
  earned      bigint NOT NULL,
  amount_ore  bigint NOT NULL
);
CREATE INDEX outcome_count_pending_txid ON outcome_count_pending (txid);

-- One row per transaction with pending differences; its insert fires the flush at commit.
CREATE TABLE outcome_count_flush (txid xid8 PRIMARY KEY);

-- The (dimension, value) pairs one outcome_facts row counts under.
CREATE FUNCTION outcome_dims(p_birth_year int, p_institutions uuid[], p_kinds text[], p_municipalities text[])
RETURNS TABLE (dim text, value text) LANGUAGE sql IMMUTABLE AS $$
  SELECT 'total', NULL::text
  UNION ALL SELECT 'birth_year', p_birth_year::text
  UNION ALL SELECT 'institution', v FROM unnest(CASE WHEN cardinality(p_institutions) = 0 THEN ARRAY[NULL]::text[] ELSE p_institutions::text[] END) v
  UNION ALL SELECT 'institution_kind', v FROM unnest(CASE WHEN cardinality(p_kinds) = 0 THEN ARRAY[NULL]::text[] ELSE p_kinds END) v
  UNION ALL SELECT 'municipality', v FROM unnest(CASE WHEN cardinality(p_municipalities) = 0 THEN ARRAY[NULL]::text[] ELSE p_municipalities END) v
$$;

CREATE FUNCTION outcome_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO outcome_count_pending
      SELECT pg_current_xact_id(), n.rule_id, d.dim, d.value, n.restgruppe, sum((n.awards > 0)::int), sum((n.earned_awards > 0)::int), sum(n.amount_ore)
      FROM new_rows n CROSS JOIN LATERAL outcome_dims(n.birth_year, n.institution_ids, n.institution_kinds, n.municipalities) d
      GROUP BY n.rule_id, d.dim, d.value, n.restgruppe;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO outcome_count_pending
      SELECT pg_current_xact_id(), o.rule_id, d.dim, d.value, o.restgruppe, -sum((o.awards > 0)::int), -sum((o.earned_awards > 0)::int), -sum(o.amount_ore)
      FROM old_rows o CROSS JOIN LATERAL outcome_dims(o.birth_year, o.institution_ids, o.institution_kinds, o.municipalities) d
      GROUP BY o.rule_id, d.dim, d.value, o.restgruppe;
  ELSE
    INSERT INTO outcome_count_pending
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

CREATE TRIGGER outcome_facts_counts_insert AFTER INSERT ON outcome_facts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_counts_changed();
CREATE TRIGGER outcome_facts_counts_update AFTER UPDATE ON outcome_facts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_counts_changed();
CREATE TRIGGER outcome_facts_counts_delete AFTER DELETE ON outcome_facts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_counts_changed();

CREATE FUNCTION outcome_counts_flush() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE CONSTRAINT TRIGGER outcome_count_flush_at_commit AFTER INSERT ON outcome_count_flush
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outcome_counts_flush();

-- What exists already.
SELECT outcome_facts_add(array_agg(child_id), array_agg(rule_id), array_agg(1), array_agg(earned::int), array_agg(amount_ore))
FROM awards HAVING count(*) > 0;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TRIGGER outcome_count_flush_at_commit ON outcome_count_flush;
DROP TRIGGER outcome_facts_counts_delete ON outcome_facts;
DROP TRIGGER outcome_facts_counts_update ON outcome_facts;
DROP TRIGGER outcome_facts_counts_insert ON outcome_facts;
DROP FUNCTION outcome_counts_flush();
DROP FUNCTION outcome_counts_changed();
DROP FUNCTION outcome_dims(int, uuid[], text[], text[]);
DROP TABLE outcome_count_flush;
DROP TABLE outcome_count_pending;
DROP TABLE outcome_counts;
DROP TRIGGER institutions_outcome_update ON institutions;
DROP TRIGGER measurements_outcome_update ON measurements;
DROP TRIGGER awards_outcome_delete ON awards;
DROP TRIGGER awards_outcome_update ON awards;
DROP TRIGGER awards_outcome_insert ON awards;
DROP FUNCTION outcome_facts_municipality_changed();
DROP FUNCTION outcome_facts_inputs_changed();
DROP FUNCTION outcome_facts_awards_deleted();
DROP FUNCTION outcome_facts_awards_updated();
DROP FUNCTION outcome_facts_awards_inserted();
DROP FUNCTION outcome_facts_add(uuid[], uuid[], int[], int[], bigint[]);
DROP FUNCTION outcome_facts_regroup(uuid[]);
DROP FUNCTION outcome_groups(uuid[], uuid[]);
DROP TABLE outcome_facts;
DROP VIEW rule_paid_kinds;
`,
  );
}
