import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/** Measurements, bonus rules and their versions, awards, objections and payment runs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE TABLE measurements (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Acceptance order; a correction keeps it. Awards are funded in this order.
  seq           bigserial NOT NULL UNIQUE,
  child_id      uuid NOT NULL REFERENCES children (id),
  kind_key      text NOT NULL REFERENCES measurement_kinds (key),
  period        text NOT NULL,
  value         jsonb,
  measured_on   date NOT NULL,
  source        text,
  status        text NOT NULL CHECK (status IN ('active', 'retracted')),
  revision      int NOT NULL DEFAULT 1,
  -- Any change to an input of this measurement's awards bumps gen; settlement records what it saw.
  gen           bigint NOT NULL DEFAULT 1,
  settled_gen   bigint NOT NULL DEFAULT 0,
  submitted_by  uuid REFERENCES api_keys (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (child_id, kind_key, period)
);
CREATE INDEX measurements_unsettled ON measurements (seq) WHERE settled_gen < gen;
CREATE INDEX measurements_kind ON measurements (kind_key, measured_on);
CREATE INDEX measurements_submitted_by ON measurements (submitted_by, seq);

-- Every submission, correction and retraction, as received.
CREATE TABLE measurement_revisions (
  measurement_id  uuid NOT NULL REFERENCES measurements (id),
  revision        int NOT NULL,
  status          text NOT NULL,
  value           jsonb,
  measured_on     date NOT NULL,
  source          text,
  submitted_by    uuid REFERENCES api_keys (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (measurement_id, revision)
);

CREATE TABLE rules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fund_id     uuid NOT NULL REFERENCES funds (id),
  name        text NOT NULL,
  kind_key    text NOT NULL REFERENCES measurement_kinds (key),
  periods     jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  uuid REFERENCES api_keys (id)
);
CREATE INDEX rules_kind ON rules (kind_key);
CREATE INDEX rules_fund ON rules (fund_id);

CREATE TABLE rule_versions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule_id         uuid NOT NULL REFERENCES rules (id),
  version         int NOT NULL,
  effective_from  date NOT NULL,
  spec            jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid REFERENCES api_keys (id),
  UNIQUE (rule_id, version),
  UNIQUE (rule_id, effective_from)
);

CREATE FUNCTION rule_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published rule versions are immutable';
END
$$;

CREATE TRIGGER rule_versions_immutable BEFORE UPDATE OR DELETE ON rule_versions
  FOR EACH ROW EXECUTE FUNCTION rule_versions_immutable();

CREATE TABLE awards (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule_id             uuid NOT NULL REFERENCES rules (id),
  measurement_id      uuid NOT NULL REFERENCES measurements (id),
  fund_id             uuid NOT NULL REFERENCES funds (id),
  child_id            uuid NOT NULL REFERENCES children (id),
  measurement_seq     bigint NOT NULL,
  rule_version_id     uuid REFERENCES rule_versions (id),
  status              text NOT NULL CHECK (status IN ('not_earned', 'awaiting_funds', 'provisional', 'held', 'final')),
  earned              boolean NOT NULL,
  amount_ore          bigint NOT NULL CHECK (amount_ore >= 0),
  payout_total_ore    bigint NOT NULL CHECK (payout_total_ore >= 0),
  retained_ore        bigint NOT NULL CHECK (retained_ore >= 0),
  -- What sits in the fund's reserved account for this award, and what should.
  reserved_ore        bigint NOT NULL DEFAULT 0 CHECK (reserved_ore >= 0),
  reserve_target_ore  bigint NOT NULL DEFAULT 0 CHECK (reserve_target_ore >= 0),
  open_objections     int NOT NULL DEFAULT 0 CHECK (open_objections >= 0),
  revision            int NOT NULL DEFAULT 1,
  result_hash         text NOT NULL,
  explanation         jsonb NOT NULL,
  provisional_since   timestamptz,
  review_until        timestamptz,
  finalised_at        timestamptz,
  computed_at         timestamptz NOT NULL DEFAULT now(),
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_id, measurement_id),
  CHECK (payout_total_ore + retained_ore = amount_ore)
);
CREATE INDEX awards_funding ON awards (fund_id, measurement_seq) WHERE reserved_ore < reserve_target_ore;
CREATE INDEX awards_due ON awards (review_until) WHERE status = 'provisional';
CREATE INDEX awards_measurement ON awards (measurement_id);
CREATE INDEX awards_child ON awards (child_id);
CREATE INDEX awards_fund_status ON awards (fund_id, status);

CREATE TABLE award_payees (
  award_id        uuid NOT NULL REFERENCES awards (id),
  institution_id  uuid NOT NULL REFERENCES institutions (id),
  -- The current computed payout, and what has been moved to payable:<institution> for it.
  amount_ore      bigint NOT NULL CHECK (amount_ore >= 0),
  payable_ore     bigint NOT NULL DEFAULT 0 CHECK (payable_ore >= 0),
  PRIMARY KEY (award_id, institution_id)
);
CREATE INDEX award_payees_institution ON award_payees (institution_id);

-- Each computed result of an award, kept for auditors (the award row holds the current one).
CREATE TABLE award_revisions (
  award_id        uuid NOT NULL REFERENCES awards (id),
  revision        int NOT NULL,
  earned          boolean NOT NULL,
  amount_ore      bigint NOT NULL,
  retained_ore    bigint NOT NULL,
  payouts         jsonb NOT NULL,
  explanation     jsonb NOT NULL,
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (award_id, revision)
);

CREATE TABLE objections (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  award_id        uuid NOT NULL REFERENCES awards (id),
  filed_by        uuid REFERENCES api_keys (id),
  institution_id  uuid REFERENCES institutions (id),
  reason          text NOT NULL,
  status          text NOT NULL CHECK (status IN ('open', 'upheld', 'rejected', 'withdrawn')),
  resolution      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  resolved_by     uuid REFERENCES api_keys (id)
);
CREATE INDEX objections_award ON objections (award_id);

CREATE TABLE payment_runs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fund_id       uuid NOT NULL REFERENCES funds (id),
  cutoff_on     date NOT NULL,
  reference     text NOT NULL UNIQUE,
  status        text NOT NULL CHECK (status IN ('created', 'confirmed', 'cancelled')),
  total_ore     bigint NOT NULL,
  entry_seq     bigint REFERENCES journal_entries (seq),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid REFERENCES api_keys (id),
  confirmed_at  timestamptz,
  cancelled_at  timestamptz
);
CREATE INDEX payment_runs_fund ON payment_runs (fund_id, created_at);

CREATE TABLE payment_lines (
  run_id          uuid NOT NULL REFERENCES payment_runs (id),
  institution_id  uuid NOT NULL REFERENCES institutions (id),
  amount_ore      bigint NOT NULL CHECK (amount_ore > 0),
  status          text NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled')),
  PRIMARY KEY (run_id, institution_id)
);
CREATE INDEX payment_lines_institution ON payment_lines (institution_id);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TABLE payment_lines;
DROP TABLE payment_runs;
DROP TABLE objections;
DROP TABLE award_revisions;
DROP TABLE award_payees;
DROP TABLE awards;
DROP TABLE rule_versions;
DROP FUNCTION rule_versions_immutable CASCADE;
DROP TABLE rules;
DROP TABLE measurement_revisions;
DROP TABLE measurements;
`,
  );
}
