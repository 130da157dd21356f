import { timingSafeEqual } from 'node:crypto';
import { hashSecret, parseApiKey } from './api-key.js';
import type { Principal } from './principal.js';

interface Entry {
  /** SHA-256 of the secret that was verified against the database. */
  secretHash: Buffer;
  principal: Principal;
  expires: number;
}

export interface PrincipalCacheOptions {
  /** How long a verified key is trusted without asking the database; a safety net, not the revocation path. */
  ttlMs: number;
  /** Above this many keys the cache starts over (there are few keys; this only bounds memory). */
  maxEntries?: number;
  /** False while revocations cannot reach this process (listener down): every request goes to the database. */
  usable: () => boolean;
  /** Monotonic milliseconds (tests). */
  now?: () => number;
}

/**
 * Verified API keys, so that a request does not need a database round trip to authenticate.
 * Revocation must still take effect at once, so an entry is dropped by `invalidate` (called when
 * this process revokes a key, and on every revocation NOTIFY from another process), the whole
 * cache is bypassed while `usable()` is false, and a database answer that raced with an
 * invalidation is not stored (`epoch`). Only keys that verified are cached; an unknown, malformed
 * or revoked key always goes to the database.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: an answer loaded across one is not cached. */
  private epoch = 0;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly opts: PrincipalCacheOptions) {
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** The principal for a presented key: from the cache, else from `load` (the database). */
  async authenticate(raw: string, load: (raw: string) => Promise<Principal | null>): Promise<Principal | null> {
    const parsed = parseApiKey(raw);
    if (!parsed) return null;
    if (!this.opts.usable()) return load(raw);
    const presented = Buffer.from(hashSecret(parsed.secret), 'hex');
    const hit = this.entries.get(parsed.id);
    if (hit && hit.expires > this.now() && timingSafeEqual(hit.secretHash, presented)) return hit.principal;
    const epoch = this.epoch;
    const principal = await load(raw);
    if (principal && epoch === this.epoch && this.opts.usable()) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(parsed.id, { secretHash: presented, principal, expires: this.now() + this.opts.ttlMs });
    }
    return principal;
  }

  /** Drops one key (revoked). */
  invalidate(keyId: string): void {
    this.epoch++;
    this.entries.delete(keyId);
  }

  /** Drops every key (revocations may have been missed). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
