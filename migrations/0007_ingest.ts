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
/** The former foreign keys of `measurements`: column → parent table and key. */
const REFERENCES = [
  { column: 'child_id', parent: 'children', key: 'id' },
  { column: 'kind_key', parent: 'measurement_kinds', key: 'key' },
  { column: 'submitted_by', parent: 'api_keys', key: 'id' },
].map((r) => ({ ...r, constraint: `measurements_${r.column}_fkey` }));

/** The error a foreign key raises, with its constraint name (src/http/errors.ts maps names to fields). */
const violation = (r: (typeof REFERENCES)[number]) =>
  `RAISE foreign_key_violation USING CONSTRAINT = '${r.constraint}', TABLE = 'measurements',
      MESSAGE = 'insert or update on table "measurements" violates foreign key constraint "${r.constraint}"';`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE measurements ADD COLUMN revised_at timestamptz;

-- Outbox rows live until the relay moves them (seconds): compressing a settle message's id list
-- (~20 kB) cost more than writing it.
ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTERNAL;

ALTER TABLE measurements
${REFERENCES.map((r) => `  DROP CONSTRAINT ${r.constraint}`).join(',\n')};

-- Locks the referenced rows (FOR KEY SHARE, first) and then counts them: a missing one is refused.
CREATE FUNCTION measurements_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted bigint;
  found bigint;
BEGIN
${REFERENCES.map(
  (r) => `  SELECT count(DISTINCT ${r.column}) INTO wanted FROM new_measurements;
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM ${r.parent} WHERE ${r.key} IN (SELECT ${r.column} FROM new_measurements) FOR KEY SHARE) p;
  IF found <> wanted THEN ${violation(r)} END IF;`,
).join('\n')}
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_references AFTER INSERT ON measurements
  REFERENCING NEW TABLE AS new_measurements
  FOR EACH STATEMENT EXECUTE FUNCTION measurements_check_references();

-- Updates are few (corrections, retractions) and may only change submitted_by: per row.
CREATE FUNCTION measurements_check_changed_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
${REFERENCES.map(
  (r) => `  IF NEW.${r.column} IS DISTINCT FROM OLD.${r.column} AND NEW.${r.column} IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM ${r.parent} WHERE ${r.key} = NEW.${r.column} FOR KEY SHARE) THEN ${violation(r)} END IF;`,
).join('\n')}
  RETURN NULL;
END
$$;

CREATE TRIGGER measurements_changed_references AFTER UPDATE OF ${REFERENCES.map((r) => r.column).join(', ')} ON measurements
  FOR EACH ROW WHEN (${REFERENCES.map((r) => `OLD.${r.column} IS DISTINCT FROM NEW.${r.column}`).join(' OR ')})
  EXECUTE FUNCTION measurements_check_changed_references();

-- The parent side of the references, as ON DELETE / ON UPDATE NO ACTION.
CREATE FUNCTION measurements_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  referenced boolean;
BEGIN
  CASE TG_TABLE_NAME
${REFERENCES.map(
  (r) => `    WHEN '${r.parent}' THEN
      IF TG_OP = 'UPDATE' AND NEW.${r.key} = OLD.${r.key} THEN RETURN NEW; END IF;
      referenced := EXISTS (SELECT 1 FROM measurements WHERE ${r.column} = OLD.${r.key});`,
).join('\n')}
  END CASE;
  IF referenced THEN
    RAISE foreign_key_violation USING TABLE = TG_TABLE_NAME,
      MESSAGE = format('%s on table "%s" is refused: measurements still reference the row', lower(TG_OP), TG_TABLE_NAME);
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
${REFERENCES.map(
  (r) => `CREATE TRIGGER ${r.parent}_measurements BEFORE DELETE OR UPDATE OF ${r.key} ON ${r.parent}
  FOR EACH ROW EXECUTE FUNCTION measurements_referenced();`,
).join('\n')}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
${REFERENCES.map((r) => `DROP TRIGGER ${r.parent}_measurements ON ${r.parent};`).join('\n')}
DROP FUNCTION measurements_referenced();
DROP TRIGGER measurements_changed_references ON measurements;
DROP FUNCTION measurements_check_changed_references();
DROP TRIGGER measurements_references ON measurements;
DROP FUNCTION measurements_check_references();
ALTER TABLE measurements
${REFERENCES.map((r) => `  ADD CONSTRAINT ${r.constraint} FOREIGN KEY (${r.column}) REFERENCES ${r.parent} (${r.key})`).join(',\n')};
ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTENDED;
INSERT INTO measurement_revisions (measurement_id, revision, status, value, measured_on, source, submitted_by, created_at)
SELECT id, revision, status, value, measured_on, source, submitted_by, coalesce(revised_at, created_at) FROM measurements
ON CONFLICT (measurement_id, revision) DO NOTHING;
ALTER TABLE measurements DROP COLUMN revised_at;
`,
  );
}
