import type { ServiceDeps } from './deps.js';
import * as repo from '../repositories/idempotency.js';

/** A claim older than this whose request never finished (its process died) is taken over. */
const ABANDON_AFTER_MS = 5 * 60_000;

/**
 * The `Idempotency-Key` store the HTTP plugin uses (src/http/plugins/idempotency.ts): claim a
 * key for a request, then store its response or release the key. Records expire after `ttlMs`.
 */
export class IdempotencyService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Null when the claim is new; otherwise the record already held for the key. */
  claim(k: { apiKeyId: string; key: string; requestHash: string; ttlMs: number }) {
    return repo.claim(this.deps.db, { ...k, abandonAfterMs: ABANDON_AFTER_MS }, this.deps.clock());
  }

  complete(r: { apiKeyId: string; key: string; status: number; type: string | null; body: string }) {
    return repo.complete(this.deps.db, r);
  }

  release(apiKeyId: string, key: string) {
    return repo.release(this.deps.db, apiKeyId, key);
  }
}
