import type { Logger } from 'pino';
import type { Executor } from '../db/database.js';
import * as repo from '../repositories/webhooks.js';
import { keyIdOf, SecretUnreadable, type WebhookSecretBox } from '../webhooks/secret-box.js';

export interface SealCounts {
  /** Secrets that were stored in clear (before migration 0026), now sealed. */
  sealed: number;
  /** Secrets moved from an older key of the ring to the active one. */
  resealed: number;
  /** Secrets under a key id not in the ring: left as they are (they cannot sign; rotate them). */
  unreadable: number;
}

/**
 * Run at every start, after the migrations (D178): every signing secret not sealed under the
 * active key is sealed under it — one stored in clear (before migration 0026), or one under an
 * older key of WEBHOOK_SECRET_KEYS, so an old key may leave the ring once every process has
 * started with the new active key. A secret under a key id the ring lacks is left alone and
 * named in a warning (by subscription id and key id, never the secret): its deliveries fail,
 * logged, until its owner rotates it. A row changed meanwhile by another process is skipped.
 */
export async function sealWebhookSecrets(db: Executor, box: WebhookSecretBox, log: Pick<Logger, 'info' | 'warn'>): Promise<SealCounts> {
  const counts: SealCounts = { sealed: 0, resealed: 0, unreadable: 0 };
  const unreadable: Array<{ subscription: string; key_id: string | null }> = [];
  for (const row of await repo.secretsToSeal(db, box.activeKeyId)) {
    const reseal = (stored: string | null): string | null => {
      if (stored === null || box.isCurrent(stored)) return stored;
      const clear = keyIdOf(stored) === null ? stored : box.open(row.id, stored);
      return box.seal(row.id, clear);
    };
    try {
      const sealed = { secret: reseal(row.secret)!, previous_secret: reseal(row.previous_secret) };
      if (!(await repo.resealSecrets(db, row.id, row, sealed))) continue;
      if (keyIdOf(row.secret) === null) counts.sealed++;
      else counts.resealed++;
    } catch (err) {
      if (!(err instanceof SecretUnreadable)) throw err;
      counts.unreadable++;
      unreadable.push({ subscription: row.id, key_id: keyIdOf(row.secret) });
    }
  }
  if (counts.sealed || counts.resealed) log.info(counts, 'webhook signing secrets sealed under the active key');
  if (unreadable.length)
    log.warn({ unreadable }, 'webhook signing secrets under key ids missing from WEBHOOK_SECRET_KEYS: their deliveries fail until the secret is rotated');
  return counts;
}
