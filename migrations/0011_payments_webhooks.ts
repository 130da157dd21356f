import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * Money out and news out (issue 15): payee details with four-eyes approval, the fund's own
 * account (the debtor of its payment files), per-line payment references and reconciliation
 * state, uploaded bank statements, and signed webhooks (subscriptions, events, deliveries
 * and their attempts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
-- Every version of an institution's payee details. A proposal becomes current only when an
-- admin key other than the proposer's approves it (the check below holds even if the
-- service had a bug); the approved version a payment line used stays referenced by it.
CREATE TABLE payee_details (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  institution_id  uuid NOT NULL REFERENCES institutions (id),
  version         int NOT NULL,
  cvr             text NOT NULL CHECK (cvr ~ '^[1-9][0-9]{7}$'),
  ean             text CHECK (ean ~ '^[0-9]{13}$'),
  account_kind    text NOT NULL CHECK (account_kind IN ('dk_account', 'iban', 'nemkonto')),
  reg_no          text CHECK (reg_no ~ '^[0-9]{4}$'),
  account_no      text CHECK (account_no ~ '^[0-9]{1,10}$'),
  iban            text CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$'),
  bic             text,
  status          text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
  proposed_by     uuid NOT NULL REFERENCES api_keys (id),
  proposed_at     timestamptz NOT NULL DEFAULT now(),
  decided_by      uuid REFERENCES api_keys (id),
  decided_at      timestamptz,
  decision_note   text,
  UNIQUE (institution_id, version),
  CONSTRAINT payee_details_four_eyes CHECK (status <> 'approved' OR (decided_by IS NOT NULL AND decided_by <> proposed_by)),
  CHECK ((account_kind = 'dk_account') = (reg_no IS NOT NULL AND account_no IS NOT NULL)),
  CHECK ((account_kind = 'iban') = (iban IS NOT NULL)),
  CHECK (bic IS NULL OR account_kind = 'iban')
);
CREATE UNIQUE INDEX payee_details_one_pending ON payee_details (institution_id) WHERE status = 'pending';
CREATE UNIQUE INDEX payee_details_one_current ON payee_details (institution_id) WHERE status = 'approved';
CREATE INDEX payee_details_pending ON payee_details (proposed_at) WHERE status = 'pending';

-- The fund's own bank account: the debtor of its payment files.
CREATE TABLE fund_accounts (
  fund_id     uuid PRIMARY KEY REFERENCES funds (id),
  name        text NOT NULL,
  iban        text NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$'),
  bic         text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES api_keys (id)
);

-- A run keeps the debtor account it was created with, as lines keep their payee details.
ALTER TABLE payment_runs ADD COLUMN debtor_name text;
ALTER TABLE payment_runs ADD COLUMN debtor_iban text;
ALTER TABLE payment_runs ADD COLUMN debtor_bic text;

ALTER TABLE payment_lines ADD COLUMN line_no int;
ALTER TABLE payment_lines ADD COLUMN reference text;
ALTER TABLE payment_lines ADD COLUMN payee_details_id uuid REFERENCES payee_details (id);
ALTER TABLE payment_lines ADD COLUMN settled_on date;
ALTER TABLE payment_lines ADD COLUMN return_reason text;
ALTER TABLE payment_lines ADD COLUMN statement_id uuid;
-- Lines of runs made before this migration get their references now, in institution-code order.
UPDATE payment_lines l SET line_no = n.line_no, reference = r.reference || '-' || lpad(n.line_no::text, 4, '0')
  FROM payment_runs r,
       (SELECT pl.run_id, pl.institution_id, row_number() OVER (PARTITION BY pl.run_id ORDER BY i.code)::int AS line_no
          FROM payment_lines pl JOIN institutions i ON i.id = pl.institution_id) n
 WHERE r.id = l.run_id AND n.run_id = l.run_id AND n.institution_id = l.institution_id;
ALTER TABLE payment_lines ALTER COLUMN line_no SET NOT NULL;
ALTER TABLE payment_lines ALTER COLUMN reference SET NOT NULL;
ALTER TABLE payment_lines ADD CONSTRAINT payment_lines_reference_key UNIQUE (reference);
ALTER TABLE payment_lines ADD CONSTRAINT payment_lines_run_line_no_key UNIQUE (run_id, line_no);
ALTER TABLE payment_lines DROP CONSTRAINT payment_lines_status_check;
ALTER TABLE payment_lines ADD CONSTRAINT payment_lines_status_check CHECK (status IN ('pending', 'paid', 'returned', 'cancelled'));

-- Uploaded camt.053 / camt.054 documents, once each (by their SHA-256), with what they did.
CREATE TABLE bank_statements (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_type     text NOT NULL CHECK (message_type IN ('camt.053', 'camt.054')),
  message_id       text NOT NULL,
  document_sha256  text NOT NULL UNIQUE,
  uploaded_by      uuid REFERENCES api_keys (id),
  uploaded_at      timestamptz NOT NULL DEFAULT now(),
  summary          jsonb NOT NULL
);
CREATE TABLE bank_statement_entries (
  statement_id    uuid NOT NULL REFERENCES bank_statements (id),
  entry_no        int NOT NULL,
  path            text NOT NULL,
  end_to_end_id   text,
  amount_ore      bigint,
  credit_debit    text NOT NULL,
  entry_status    text NOT NULL,
  outcome         text NOT NULL,
  line_reference  text REFERENCES payment_lines (reference),
  message         text,
  PRIMARY KEY (statement_id, entry_no)
);
CREATE INDEX bank_statement_entries_line ON bank_statement_entries (line_reference) WHERE line_reference IS NOT NULL;
ALTER TABLE payment_lines ADD CONSTRAINT payment_lines_statement_fk FOREIGN KEY (statement_id) REFERENCES bank_statements (id);

CREATE TABLE webhook_subscriptions (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url                text NOT NULL,
  events             text[] NOT NULL,
  -- Whose events: all (admin), one institution's, or one integration key's submissions.
  institution_id     uuid REFERENCES institutions (id),
  integration_key_id uuid REFERENCES api_keys (id),
  owner_key_id       uuid NOT NULL REFERENCES api_keys (id),
  secret             text NOT NULL,
  status             text NOT NULL CHECK (status IN ('active', 'disabled')),
  disabled_at        timestamptz,
  disabled_reason    text,
  description        text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (institution_id IS NULL OR integration_key_id IS NULL)
);
CREATE INDEX webhook_subscriptions_active ON webhook_subscriptions USING gin (events) WHERE status = 'active';

-- An event is recorded only when some active subscription wants its type.
CREATE TABLE webhook_events (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  data         jsonb NOT NULL
);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id),
  event_id         text NOT NULL REFERENCES webhook_events (id),
  -- The JSON body as signed and sent, the same on every attempt.
  body             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  lease_until      timestamptz,
  first_attempt_at timestamptz,
  last_attempt_at  timestamptz,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at, id);

-- The delivery log: every attempt, and notices (a subscription disabled, a redelivery asked for).
CREATE TABLE webhook_attempts (
  id               bigserial PRIMARY KEY,
  delivery_id      uuid REFERENCES webhook_deliveries (id),
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id),
  kind             text NOT NULL CHECK (kind IN ('attempt', 'notice')),
  at               timestamptz NOT NULL DEFAULT now(),
  attempt_no       int,
  status_code      int,
  error            text,
  duration_ms      int,
  message          text
);
CREATE INDEX webhook_attempts_subscription ON webhook_attempts (subscription_id, id);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_subscriptions;
ALTER TABLE payment_lines DROP CONSTRAINT payment_lines_statement_fk;
DROP TABLE bank_statement_entries;
DROP TABLE bank_statements;
ALTER TABLE payment_lines DROP CONSTRAINT payment_lines_status_check;
ALTER TABLE payment_lines ADD CONSTRAINT payment_lines_status_check CHECK (status IN ('pending', 'paid', 'cancelled'));
ALTER TABLE payment_lines DROP COLUMN statement_id;
ALTER TABLE payment_lines DROP COLUMN return_reason;
ALTER TABLE payment_lines DROP COLUMN settled_on;
ALTER TABLE payment_lines DROP COLUMN payee_details_id;
ALTER TABLE payment_lines DROP COLUMN reference;
ALTER TABLE payment_lines DROP COLUMN line_no;
ALTER TABLE payment_runs DROP COLUMN debtor_bic;
ALTER TABLE payment_runs DROP COLUMN debtor_iban;
ALTER TABLE payment_runs DROP COLUMN debtor_name;
DROP TABLE fund_accounts;
DROP TABLE payee_details;
`,
  );
}
