import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { ApiKeyRepository } from '../repositories/api-keys.js';
import * as sessions from '../repositories/dashboard-sessions.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';

/** How long a dashboard session lasts at most (DECISIONS D145). */
export const SESSION_HOURS = 8;

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
/** A session token: 256 random bits, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sign-in to the dashboard with an API key (docs/SECURITY.md): the key is checked once, and the
 * browser gets a random session token instead (the key is not kept by the browser or the server).
 * A session lasts `hours` at most and ends at once when its key is revoked or on sign-out.
 */
export class DashboardSessionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly apiKeys: ApiKeyRepository,
    private readonly hours: number,
  ) {}

  /** A new session for a valid admin, auditor or institution key; null for anything else. */
  async open(rawKey: string): Promise<{ token: string; principal: Principal; expiresAt: Date } | null> {
    const principal = await this.apiKeys.authenticate(rawKey);
    if (!principal || principal.role === 'integration') return null;
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock();
    const expiresAt = new Date(now.getTime() + this.hours * 3600_000);
    await this.deps.db.transaction().execute(async (trx) => {
      await sessions.deleteExpired(trx, now);
      await sessions.insertSession(trx, { tokenHash: hash(token), apiKeyId: principal.keyId, expiresAt });
      await recordAudit(trx, principal, 'dashboard.sign_in', { type: 'api_key', id: principal.keyId }, {});
    });
    return { token, principal, expiresAt };
  }

  async principal(token: string | undefined): Promise<Principal | null> {
    if (!token || !TOKEN.test(token)) return null;
    return sessions.principalOfSession(this.deps.db, hash(token), this.deps.clock());
  }

  async close(token: string | undefined): Promise<void> {
    if (token && TOKEN.test(token)) await sessions.deleteSession(this.deps.db, hash(token));
  }
}
