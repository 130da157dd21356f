import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * A measurement waits for settlement exactly while it has a row in `settlement_backlog`; the
 * `settled_gen` column goes (issue 14, "the rest of the per-award cost"; DECISIONS D224).
 *
 * Settlement marked every measurement it settled with `update measurements set settled_gen = gen`,
 * and the backlog's update trigger then deleted its backlog row. That update wrote a new version
 * of every settled measurement: in practice into all five indexes of the table (a page of bulk-
 * loaded rows has no room for a second version of each, and rows updated by one statement cannot
 * be pruned before it ends: D212), two statement triggers over the rows, and a dead row per
 * measurement for vacuum — the largest statement of a settlement job after the award write. Now a
 * job takes the rows out of the backlog itself (`delete … returning`, under the measurements' row
 * locks), and `measurements` is not written by settlement at all.
 *
 *  - Every remaining UPDATE of `measurements` (a correction, a retraction, a bumped `gen`) makes
 *    the measurement wait again; the triggers now compare old and new `gen` instead of reading
 *    `settled_gen`, and mark outcome rows for the same rows as before (a bumped `gen`).
 *  - `fillfactor` back to the default: the room 0008 left on every page was for settlement's
 *    update, which no longer happens (corrections are rare); new pages are filled, so ingest
 *    writes fewer pages. Existing pages stay as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
-- Before: settled_gen < gen meant waiting, which the backlog already mirrors row for row (0008).
-- A measurement waiting by gen but missing from the backlog cannot exist; put it back if it does.
INSERT INTO settlement_backlog (measurement_id, kind_key, seq, since)
  SELECT id, kind_key, seq, updated_at FROM measurements WHERE settled_gen < gen
  ON CONFLICT (measurement_id) DO NOTHING;

DROP TRIGGER measurements_backlog_insert ON measurements;
DROP TRIGGER measurements_backlog_update ON measurements;
DROP TRIGGER measurements_outcome_marks ON measurements;

-- A new measurement waits; its id is new, so there is no conflict to handle.
CREATE OR REPLACE FUNCTION settlement_backlog_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq) SELECT id, kind_key, seq FROM new_rows;
  RETURN NULL;
END
$$;

-- A changed input (gen bumped) makes a measurement wait again, from now.
CREATE OR REPLACE FUNCTION settlement_backlog_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq)
    SELECT n.id, n.kind_key, n.seq FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.gen <> o.gen
    ON CONFLICT (measurement_id) DO UPDATE SET since = excluded.since;
  RETURN NULL;
END
$$;

-- A bumped gen: an input of the child's awards changed.
CREATE OR REPLACE FUNCTION outcome_marks_inputs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_dirty (child_id)
    SELECT DISTINCT n.child_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.gen <> o.gen;
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_backlog_insert AFTER INSERT ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_backlog_inserted();
CREATE TRIGGER measurements_backlog_update AFTER UPDATE ON measurements
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_backlog_updated();
CREATE TRIGGER measurements_outcome_marks AFTER UPDATE ON measurements
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_inputs_changed();

ALTER TABLE measurements DROP COLUMN settled_gen;
ALTER TABLE measurements RESET (fillfactor);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE measurements SET (fillfactor = 70);
ALTER TABLE measurements ADD COLUMN settled_gen bigint NOT NULL DEFAULT 0;
UPDATE measurements m SET settled_gen = gen
  WHERE NOT EXISTS (SELECT 1 FROM settlement_backlog b WHERE b.measurement_id = m.id);

DROP TRIGGER measurements_backlog_insert ON measurements;
DROP TRIGGER measurements_backlog_update ON measurements;
DROP TRIGGER measurements_outcome_marks ON measurements;

CREATE OR REPLACE FUNCTION settlement_backlog_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq) SELECT id, kind_key, seq FROM new_rows WHERE settled_gen < gen;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION settlement_backlog_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq)
    SELECT id, kind_key, seq FROM new_rows WHERE settled_gen < gen
    ON CONFLICT (measurement_id) DO UPDATE SET since = excluded.since;
  DELETE FROM settlement_backlog
    WHERE measurement_id = any(array(SELECT n.id FROM new_rows n WHERE n.settled_gen >= n.gen));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION outcome_marks_inputs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_dirty (child_id) SELECT DISTINCT n.child_id FROM new_rows n WHERE n.settled_gen < n.gen;
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_backlog_insert AFTER INSERT ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_backlog_inserted();
CREATE TRIGGER measurements_backlog_update AFTER UPDATE ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_backlog_updated();
CREATE TRIGGER measurements_outcome_marks AFTER UPDATE ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_marks_inputs_changed();
`,
  );
}
