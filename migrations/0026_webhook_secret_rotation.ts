import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * Webhook signing secrets rotated in place and kept encrypted (issue 15 follow-up; DECISIONS
 * D177, D178).
 *
 * A subscription keeps its previous secret for an overlap after a rotation (`previous_secret`,
 * valid until `previous_secret_until`; both set or neither): during it every delivery carries
 * both signatures. Secrets are sealed by the service (AES-256-GCM, `enc:v1:<key id>:…`) with a
 * key from WEBHOOK_SECRET_KEYS, which SQL never sees, so the secrets stored in clear before this
 * migration are sealed at the service's next start (`sealWebhookSecrets`), not here. The checks
 * that every new or changed secret is sealed are added NOT VALID for that reason: they hold for
 * every row written from now on, and the start-up sealing makes the old rows comply.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE webhook_subscriptions
  ADD COLUMN previous_secret text,
  ADD COLUMN previous_secret_until timestamptz,
  ADD COLUMN secret_rotated_at timestamptz,
  ADD CONSTRAINT webhook_subscriptions_previous_secret CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL));
ALTER TABLE webhook_subscriptions
  ADD CONSTRAINT webhook_subscriptions_secret_sealed CHECK (secret LIKE 'enc:v1:%' AND (previous_secret IS NULL OR previous_secret LIKE 'enc:v1:%')) NOT VALID;
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_secret_sealed;
ALTER TABLE webhook_subscriptions
  DROP CONSTRAINT webhook_subscriptions_previous_secret,
  DROP COLUMN secret_rotated_at,
  DROP COLUMN previous_secret_until,
  DROP COLUMN previous_secret;
`,
  );
}
