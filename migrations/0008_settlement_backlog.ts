import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * Which measurements wait for settlement moves out of `measurements` into a narrow table.
 *
 * Settlement marks every measurement it settles (`settled_gen = gen`). While a partial index
 * on `measurements` named `settled_gen` in its predicate, that update could never be a HOT
 * update: each one wrote a new entry into all five other indexes of the table — the largest
 * single cost of settling. Now no index of `measurements` involves `gen` or `settled_gen`, the
 * table leaves room on its pages for the new row versions (fillfactor), and the settlement
 * barrier, the reconciler and the status count read `settlement_backlog` instead: one narrow row
 * per waiting measurement, kept by statement-level triggers over the rows each INSERT or UPDATE
 * wrote, so every code path that creates or changes a measurement (ingest, corrections,
 * retractions, input changes bumping `gen`) maintains it without knowing about it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE TABLE settlement_backlog (
  measurement_id  uuid PRIMARY KEY,
  kind_key        text NOT NULL,
  seq             bigint NOT NULL,
  -- When it (last) needed settling: the reconciler re-enqueues the ones waiting too long.
  since           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX settlement_backlog_kind_seq ON settlement_backlog (kind_key, seq);
CREATE INDEX settlement_backlog_since ON settlement_backlog (since);

INSERT INTO settlement_backlog (measurement_id, kind_key, seq, since)
  SELECT id, kind_key, seq, updated_at FROM measurements WHERE settled_gen < gen;

-- A new measurement waits (gen 1, settled_gen 0) and its id is new: no conflict to handle, the
-- cheapest thing batch ingest can be asked to do per row.
CREATE FUNCTION settlement_backlog_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq) SELECT id, kind_key, seq FROM new_rows WHERE settled_gen < gen;
  RETURN NULL;
END
$$;

-- A change may make a measurement wait (again) or, when settled, stop waiting.
CREATE FUNCTION settlement_backlog_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq)
    SELECT id, kind_key, seq FROM new_rows WHERE settled_gen < gen
    ON CONFLICT (measurement_id) DO UPDATE SET since = excluded.since;
  DELETE FROM settlement_backlog b USING new_rows n WHERE b.measurement_id = n.id AND n.settled_gen >= n.gen;
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_backlog_insert AFTER INSERT ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_backlog_inserted();
CREATE TRIGGER measurements_backlog_update AFTER UPDATE ON measurements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_backlog_updated();

DROP INDEX measurements_unsettled;
ALTER TABLE measurements SET (fillfactor = 70);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE measurements RESET (fillfactor);
CREATE INDEX measurements_unsettled ON measurements (seq) WHERE settled_gen < gen;
DROP TRIGGER measurements_backlog_update ON measurements;
DROP TRIGGER measurements_backlog_insert ON measurements;
DROP FUNCTION settlement_backlog_updated();
DROP FUNCTION settlement_backlog_inserted();
DROP TABLE settlement_backlog;
`,
  );
}
