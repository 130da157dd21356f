import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `smb_<key id as 32 hex>_<43 chars of base64url secret>`.
 * The id part finds the row; only SHA-256 of the secret is stored (the secret has 256 bits
 * of entropy, so a slow hash adds nothing). The whole key is shown once, at creation.
 */
export type Role = 'admin' | 'integration' | 'institution' | 'auditor';
export const ROLES = ['admin', 'integration', 'institution', 'auditor'] as const satisfies readonly Role[];

const KEY_PATTERN = /^smb_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface ParsedKey {
  id: string;
  secret: string;
}

export function parseApiKey(raw: string): ParsedKey | null {
  const m = KEY_PATTERN.exec(raw.trim());
  if (!m) return null;
  const hex = m[1]!;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: m[2]! };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A new key: its row id (a v4 UUID), the full key string, and the hash to store. */
export function generateApiKey(): { id: string; key: string; secretHash: string } {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = `smb_${hex}_${secret}`;
  return { id: parseApiKey(key)!.id, key, secretHash: hashSecret(secret) };
}

/** Anything that looks like one of our keys, for log redaction. */
export const API_KEY_IN_TEXT = /smb_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/g;
