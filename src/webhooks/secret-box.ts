import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets at rest (docs/SECURITY.md, D178). A subscription's `whsec_…` secret
 * must be readable by the service (it signs with it), so it cannot be hashed like an API key; it
 * is encrypted with AES-256-GCM under a key from WEBHOOK_SECRET_KEYS (a key ring like the CPR
 * HMAC ring: `id:base64`, the active id configured apart). A database dump alone gives
 * ciphertext. The stored form is `enc:v1:<key id>:<iv>:<ciphertext+tag>` (base64url); the
 * subscription's id is the additional authenticated data, so a sealed secret copied to another
 * row does not open there. Each key is derived from its configured secret by HKDF-SHA256, so any
 * secret of at least 32 bytes serves.
 */
export interface SecretKey {
  id: string;
  secret: Buffer;
}

const PREFIX = 'enc:v1:';
const INFO = 'smb webhook signing secret v1';

/** A stored secret that cannot be opened: its key is not in the ring, or it was altered. */
export class SecretUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretUnreadable';
  }
}

export class WebhookSecretBox {
  readonly #keys = new Map<string, Buffer>();
  readonly activeKeyId: string;

  constructor(keys: SecretKey[], activeKeyId: string) {
    if (!keys.length) throw new Error('Webhook secret keyring: at least one key is required');
    for (const k of keys) this.#keys.set(k.id, Buffer.from(hkdfSync('sha256', k.secret, Buffer.alloc(0), INFO, 32)));
    if (!this.#keys.has(activeKeyId)) throw new Error(`Webhook secret keyring: active key id "${activeKeyId}" is not among the keys`);
    this.activeKeyId = activeKeyId;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Encrypts `plaintext` for the subscription `subscriptionId` under the active key. */
  seal(subscriptionId: string, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const sealed = `${PREFIX}${this.activeKeyId}:${iv.toString('base64url')}:${ct.toString('base64url')}`;
    return sealed;
  }

  /** The secret sealed in `stored` for this subscription; throws SecretUnreadable (never showing any part of it). */
  open(subscriptionId: string, stored: string): string {
    const parts = keyIdOf(stored) === null ? null : stored.slice(PREFIX.length).split(':');
    if (!parts || parts.length !== 3) throw new SecretUnreadable('the stored signing secret is not sealed (enc:v1)');
    const [keyId, iv, ct] = parts as [string, string, string];
    const key = this.#keys.get(keyId);
    if (!key) throw new SecretUnreadable(`the signing secret is sealed with key id "${keyId}", which is not in WEBHOOK_SECRET_KEYS`);
    const data = Buffer.from(ct, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadable(`the signing secret does not open with key id "${keyId}" (altered, or another key under that id)`);
    }
  }

  /** Whether `stored` is sealed under the active key (else it is clear, or under an older key). */
  isCurrent(stored: string): boolean {
    return keyIdOf(stored) === this.activeKeyId;
  }
}

/** The key id a stored secret is sealed under; null for a secret stored in clear (before migration 0026). */
export function keyIdOf(stored: string): string | null {
  if (!stored.startsWith(PREFIX)) return null;
  const end = stored.indexOf(':', PREFIX.length);
  return end < 0 ? null : stored.slice(PREFIX.length, end);
}

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
