import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * The registry: funds, institutions, children, enrolments, measurement kinds, API keys.
 * Invariants that protect money or identity live here as constraints, not only in code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE institution_kinds (
  key         text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  label       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO institution_kinds (key, label) VALUES
  ('dagpleje', 'Dagpleje'),
  ('vuggestue', 'Vuggestue'),
  ('boernehave', 'Børnehave'),
  ('skole', 'Skole'),
  ('sfo', 'SFO'),
  ('ungdomsuddannelse', 'Ungdomsuddannelse');

CREATE TABLE funds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE institutions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code          text NOT NULL UNIQUE,
  kind          text NOT NULL REFERENCES institution_kinds (key),
  name          text NOT NULL,
  municipality  text,
  closed_on     date,
  successor_id  uuid REFERENCES institutions (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (successor_id IS NULL OR successor_id <> id)
);

CREATE TABLE children (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  external_ref  text UNIQUE,
  -- Keyed HMAC of the normalised CPR and the id of the key; the CPR itself is never stored.
  cpr_hmac      text,
  cpr_key_id    text,
  birth_date    date NOT NULL,
  attributes    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((cpr_hmac IS NULL) = (cpr_key_id IS NULL)),
  UNIQUE (cpr_key_id, cpr_hmac)
);

CREATE TABLE enrolments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id        uuid NOT NULL REFERENCES children (id),
  institution_id  uuid NOT NULL REFERENCES institutions (id),
  start_on        date NOT NULL,
  end_on          date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT enrolments_end_after_start CHECK (end_on IS NULL OR end_on > start_on),
  -- Half-open spans of one child at one institution never overlap.
  CONSTRAINT enrolments_no_overlap EXCLUDE USING gist (
    child_id WITH =, institution_id WITH =, daterange(start_on, end_on, '[)') WITH &&
  )
);
CREATE INDEX enrolments_child ON enrolments (child_id);
CREATE INDEX enrolments_institution ON enrolments (institution_id);

CREATE TABLE measurement_kinds (
  key             text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_.-]{0,62}$'),
  value_type      text NOT NULL CHECK (value_type IN ('enum', 'number', 'boolean')),
  allowed_values  jsonb,
  min_value       numeric,
  max_value       numeric,
  description     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (value_type <> 'enum' OR jsonb_typeof(allowed_values) = 'array'),
  CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value)
);

CREATE TABLE api_keys (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name            text NOT NULL,
  role            text NOT NULL CHECK (role IN ('admin', 'integration', 'institution', 'auditor')),
  -- SHA-256 of the random secret part; the key is shown once at creation.
  secret_hash     text NOT NULL,
  institution_id  uuid REFERENCES institutions (id),
  scope           jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid REFERENCES api_keys (id),
  revoked_at      timestamptz,
  CHECK ((role = 'institution') = (institution_id IS NOT NULL))
);

-- Append-only record of every change made through the API: who, what, when.
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_key_id uuid,
  actor_role   text,
  action       text NOT NULL,
  target_type  text,
  target_id    text,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE TABLE outbox (
  id             bigserial PRIMARY KEY,
  topic          text NOT NULL,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TABLE outbox;
DROP TABLE audit_log;
DROP TABLE api_keys;
DROP TABLE measurement_kinds;
DROP TABLE enrolments;
DROP TABLE children;
DROP TABLE institutions;
DROP TABLE funds;
DROP TABLE institution_kinds;
`,
  );
}
