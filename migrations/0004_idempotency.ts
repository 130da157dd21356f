import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/** Idempotency-Key records (IETF httpapi idempotency-key draft), per API key. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE TABLE idempotency_keys (
  api_key_id       uuid NOT NULL,
  idempotency_key  text NOT NULL,
  request_hash     text NOT NULL,
  state            text NOT NULL CHECK (state IN ('in_progress', 'done')),
  response_status  int,
  response_type    text,
  response_body    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(db as never, `DROP TABLE idempotency_keys;`);
}
