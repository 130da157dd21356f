import type { Kysely } from 'kysely';
import { runSqlScript } from '../src/db/sql-script.js';

/**
 * Sign-in sessions of the dashboard at /app/ (issue 13). The browser holds a random token in an
 * HttpOnly, SameSite=Strict cookie; only its SHA-256 is stored, with the API key it was opened
 * with. A session is as good as its key: revoking the key ends it (the lookup joins api_keys).
 * docs/SECURITY.md, DECISIONS D144.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db as never,
    `
CREATE TABLE dashboard_sessions (
  token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  api_key_id  uuid NOT NULL REFERENCES api_keys (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(db as never, `DROP TABLE dashboard_sessions;`);
}
