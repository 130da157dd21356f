import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * Batch ingest writes one row per new measurement, and checks its references once per statement.
 * Outbox payloads are stored uncompressed.
 *
 * `measurement_revisions` holds the superseded revisions of a measurement; its current revision
 * is the measurement row itself, received at `revised_at` (null: revision 1, received at
 * `created_at`). A change copies the state it replaces into the history in the same statement
 * (src/repositories/measurements.ts), so the history plus the row is every submission,
 * correction and retraction as received — as before, without a second row per new measurement.
 * Rows written before this migration keep their current revision in the history as well.
 *
 * The references of `measurements` (child, kind, submitting key) were foreign keys: PostgreSQL
 * checks those row by row (a query per row and reference — as much work as storing the row).
 * They are now checked once per INSERT statement, set-based over its new rows (a transition
 * table), with the same effect:
 *  - every referenced child, kind and key must exist, else 23503 naming the former constraint;
 *  - the referenced rows are locked FOR KEY SHARE, as a foreign key locks them, so a concurrent
 *    delete waits for the inserting transaction and then finds the measurement;
 *  - deleting a referenced row, or changing its key, is refused (23503) by a trigger on the
 *    parent, as NO ACTION would; an UPDATE that changes a reference is checked per row (only a
 *    correction by another key changes `submitted_by`; child and kind never change).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE measurements ADD COLUMN revised_at timestamptz;

-- Outbox rows live until the relay moves them (seconds): compressing a settle message's id list
-- (~20 kB) cost more than writing it.
ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTERNAL;

ALTER TABLE measurements
  DROP CONSTRAINT measurements_child_id_fkey,
  DROP CONSTRAINT measurements_kind_key_fkey,
  DROP CONSTRAINT measurements_submitted_by_fkey;

-- Locks the referenced rows (FOR KEY SHARE, first) and then counts them: a missing one is refused.
CREATE FUNCTION measurements_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted bigint;
  found bigint;
BEGIN
  SELECT count(DISTINCT child_id) INTO wanted FROM new_measurements;
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM children WHERE id IN (SELECT child_id FROM new_measurements) FOR KEY SHARE) c;
  IF found <> wanted THEN
    RAISE foreign_key_violation USING CONSTRAINT = 'measurements_child_id_fkey', TABLE = 'measurements',
      MESSAGE = 'insert or update on table "measurements" violates foreign key constraint "measurements_child_id_fkey"';
  END IF;
  SELECT count(DISTINCT kind_key) INTO wanted FROM new_measurements;
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM measurement_kinds WHERE key IN (SELECT kind_key FROM new_measurements) FOR KEY SHARE) k;
  IF found <> wanted THEN
    RAISE foreign_key_violation USING CONSTRAINT = 'measurements_kind_key_fkey', TABLE = 'measurements',
      MESSAGE = 'insert or update on table "measurements" violates foreign key constraint "measurements_kind_key_fkey"';
  END IF;
  SELECT count(DISTINCT submitted_by) INTO wanted FROM new_measurements;
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM api_keys WHERE id IN (SELECT submitted_by FROM new_measurements) FOR KEY SHARE) a;
  IF found <> wanted THEN
    RAISE foreign_key_violation USING CONSTRAINT = 'measurements_submitted_by_fkey', TABLE = 'measurements',
      MESSAGE = 'insert or update on table "measurements" violates foreign key constraint "measurements_submitted_by_fkey"';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_references AFTER INSERT ON measurements
  REFERENCING NEW TABLE AS new_measurements
  FOR EACH STATEMENT EXECUTE FUNCTION measurements_check_references();

-- Updates are few (corrections, retractions) and may only change submitted_by: per row.
CREATE FUNCTION measurements_check_changed_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.child_id IS DISTINCT FROM OLD.child_id
     AND NOT EXISTS (SELECT 1 FROM children WHERE id = NEW.child_id FOR KEY SHARE) THEN
    RAISE foreign_key_violation USING CONSTRAINT = 'measurements_child_id_fkey', TABLE = 'measurements',
      MESSAGE = 'insert or update on table "measurements" violates foreign key constraint "measurements_child_id_fkey"';
  END IF;
  IF NEW.kind_key IS DISTINCT FROM OLD.kind_key
     AND NOT EXISTS (SELECT 1 FROM measurement_kinds WHERE key = NEW.kind_key FOR KEY SHARE) THEN
    RAISE foreign_key_violation USING CONSTRAINT = 'measurements_kind_key_fkey', TABLE = 'measurements',
      MESSAGE = 'insert or update on table "measurements" violates foreign key constraint "measurements_kind_key_fkey"';
  END IF;
  IF NEW.submitted_by IS DISTINCT FROM OLD.submitted_by AND NEW.submitted_by IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM api_keys WHERE id = NEW.submitted_by FOR KEY SHARE) THEN
    RAISE foreign_key_violation USING CONSTRAINT = 'measurements_submitted_by_fkey', TABLE = 'measurements',
      MESSAGE = 'insert or update on table "measurements" violates foreign key constraint "measurements_submitted_by_fkey"';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_changed_references AFTER UPDATE OF child_id, kind_key, submitted_by ON measurements
  FOR EACH ROW WHEN (OLD.child_id IS DISTINCT FROM NEW.child_id OR OLD.kind_key IS DISTINCT FROM NEW.kind_key
                     OR OLD.submitted_by IS DISTINCT FROM NEW.submitted_by)
  EXECUTE FUNCTION measurements_check_changed_references();

-- The parent side of the references, as ON DELETE / ON UPDATE NO ACTION.
CREATE FUNCTION measurements_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  referenced boolean;
BEGIN
  CASE TG_TABLE_NAME
    WHEN 'children' THEN
      IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN RETURN NEW; END IF;
      referenced := EXISTS (SELECT 1 FROM measurements WHERE child_id = OLD.id);
    WHEN 'measurement_kinds' THEN
      IF TG_OP = 'UPDATE' AND NEW.key = OLD.key THEN RETURN NEW; END IF;
      referenced := EXISTS (SELECT 1 FROM measurements WHERE kind_key = OLD.key);
    WHEN 'api_keys' THEN
      IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN RETURN NEW; END IF;
      referenced := EXISTS (SELECT 1 FROM measurements WHERE submitted_by = OLD.id);
  END CASE;
  IF referenced THEN
    RAISE foreign_key_violation USING TABLE = TG_TABLE_NAME,
      MESSAGE = format('%s on table "%s" is refused: measurements still reference the row', lower(TG_OP), TG_TABLE_NAME);
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE TRIGGER children_measurements BEFORE DELETE OR UPDATE OF id ON children
  FOR EACH ROW EXECUTE FUNCTION measurements_referenced();
CREATE TRIGGER measurement_kinds_measurements BEFORE DELETE OR UPDATE OF key ON measurement_kinds
  FOR EACH ROW EXECUTE FUNCTION measurements_referenced();
CREATE TRIGGER api_keys_measurements BEFORE DELETE OR UPDATE OF id ON api_keys
  FOR EACH ROW EXECUTE FUNCTION measurements_referenced();
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TRIGGER api_keys_measurements ON api_keys;
DROP TRIGGER measurement_kinds_measurements ON measurement_kinds;
DROP TRIGGER children_measurements ON children;
DROP FUNCTION measurements_referenced();
DROP TRIGGER measurements_changed_references ON measurements;
DROP FUNCTION measurements_check_changed_references();
DROP TRIGGER measurements_references ON measurements;
DROP FUNCTION measurements_check_references();
ALTER TABLE measurements
  ADD CONSTRAINT measurements_child_id_fkey FOREIGN KEY (child_id) REFERENCES children (id),
  ADD CONSTRAINT measurements_kind_key_fkey FOREIGN KEY (kind_key) REFERENCES measurement_kinds (key),
  ADD CONSTRAINT measurements_submitted_by_fkey FOREIGN KEY (submitted_by) REFERENCES api_keys (id);
ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTENDED;
INSERT INTO measurement_revisions (measurement_id, revision, status, value, measured_on, source, submitted_by, created_at)
SELECT id, revision, status, value, measured_on, source, submitted_by, coalesce(revised_at, created_at) FROM measurements
ON CONFLICT (measurement_id, revision) DO NOTHING;
ALTER TABLE measurements DROP COLUMN revised_at;
`,
  );
}
