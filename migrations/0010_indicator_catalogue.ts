import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The indicator catalogue (docs/INDICATORS.md): what a measurement kind measures (unit, source,
 * family, the dates it is valid for) and its periods — when each is measured, as an age range
 * from birth or a school grade, which the ingest checks `measured_on` against.
 *
 * The catalogue's data lives in `src/catalogue/indicators.ts` and is installed by a start-up
 * step, not by this migration (a migration is frozen; the catalogue gets new versions).
 * `catalogue_entries` remembers every entry the step has handled, so an entry is installed at
 * most once: what an administrator changed or replaced afterwards is never put back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE measurement_kinds
  ADD COLUMN unit       text CHECK (unit IS NULL OR length(unit) BETWEEN 1 AND 100),
  ADD COLUMN source     text CHECK (source IS NULL OR length(source) BETWEEN 1 AND 200),
  ADD COLUMN family     text CHECK (family IS NULL OR family ~ '^[a-z][a-z0-9_]{0,62}$'),
  ADD COLUMN valid_from date,
  ADD COLUMN valid_to   date,
  ADD COLUMN origin     text NOT NULL DEFAULT 'api' CHECK (origin IN ('api', 'catalogue')),
  ADD COLUMN catalogue_version integer,
  ADD COLUMN updated_at timestamptz,
  ADD CONSTRAINT measurement_kinds_validity CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to);

CREATE INDEX measurement_kinds_family ON measurement_kinds (family, key) WHERE family IS NOT NULL;

-- basis 'age': measured_on in [birth + from_months, birth + to_months).
-- basis 'grade': measured_on in [A + from_months - early_years, A + to_months + late_years), where
-- A = 1 August of the year the child turns 6 + grade (the school year of that grade for a child
-- who starts børnehaveklassen on time). typical_months: when it is usually measured (same anchor).
CREATE TABLE measurement_kind_periods (
  kind_key        text NOT NULL REFERENCES measurement_kinds (key) ON DELETE CASCADE,
  period          text NOT NULL CHECK (period ~ '^[a-z][a-z0-9_.-]{0,62}$'),
  basis           text NOT NULL CHECK (basis IN ('age', 'grade')),
  grade           integer CHECK (grade BETWEEN -6 AND 12),
  from_months     integer NOT NULL CHECK (from_months BETWEEN -1200 AND 1200),
  to_months       integer NOT NULL CHECK (to_months BETWEEN -1200 AND 1200),
  typical_months  integer NOT NULL,
  early_years     integer NOT NULL DEFAULT 0 CHECK (early_years BETWEEN 0 AND 5),
  late_years      integer NOT NULL DEFAULT 0 CHECK (late_years BETWEEN 0 AND 5),
  valid_from      date,
  valid_to        date,
  description     text,
  origin          text NOT NULL DEFAULT 'api' CHECK (origin IN ('api', 'catalogue')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind_key, period),
  CHECK ((basis = 'grade') = (grade IS NOT NULL)),
  CHECK (basis = 'grade' OR (early_years = 0 AND late_years = 0)),
  CHECK (from_months < to_months),
  CHECK (typical_months >= from_months AND typical_months < to_months),
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to)
);

CREATE TABLE catalogue_entries (
  entry              text PRIMARY KEY,
  catalogue_version  integer NOT NULL,
  outcome            text NOT NULL CHECK (outcome IN ('installed', 'kept')),
  handled_at         timestamptz NOT NULL DEFAULT now()
);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TABLE catalogue_entries;
DROP TABLE measurement_kind_periods;
DROP INDEX measurement_kinds_family;
ALTER TABLE measurement_kinds
  DROP CONSTRAINT measurement_kinds_validity,
  DROP COLUMN unit, DROP COLUMN source, DROP COLUMN family, DROP COLUMN valid_from, DROP COLUMN valid_to,
  DROP COLUMN origin, DROP COLUMN catalogue_version, DROP COLUMN updated_at;
`,
  );
}
