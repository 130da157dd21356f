/**
 * CPR numbers (SETTLEMENT.md §9): parsing, birth date, keyed hashing and log redaction.
 *
 * The service never stores a CPR, only HMAC-SHA-256(key, normalised CPR) together with the
 * key's id, so integrations can look a child up by CPR and keys can be rotated. Nothing in
 * this module may put a CPR (or a secret) into an error message: those end up in logs and
 * problem+json bodies.
 */
import { createHmac } from 'node:crypto';

export type CprParseResult = { ok: true; normalised: string; birthDate: string } | { ok: false; reason: string };

/** Minimum HMAC key length: 32 bytes = the SHA-256 block security level. */
export const MIN_CPR_KEY_BYTES = 32;

// `\d` without the `u` flag only matches ASCII 0-9, so other scripts' digits are rejected.
const CPR_RE = /^(\d{2})(\d{2})(\d{2})-?(\d)\d{3}$/;
const NORMALISED_RE = /^\d{10}$/;

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Century rule of §9: the 7th digit (first of SSSS) together with YY picks the century. */
function centuryOf(seventh: number, yy: number): number {
  if (seventh <= 3) return 1900;
  if (seventh === 4 || seventh === 9) return yy <= 36 ? 2000 : 1900;
  return yy <= 57 ? 2000 : 1800; // 5–8
}

/**
 * Parses `DDMMYY-SSSS` (dash optional, surrounding whitespace ignored). No modulus-11 check:
 * numbers issued since 2007 need not satisfy it. The birth date is computed with integer
 * arithmetic only, never through JS `Date` (no time zones, no lenient rollover).
 */
export function parseCpr(input: string): CprParseResult {
  if (typeof input !== 'string') return { ok: false, reason: 'CPR must be a string' };
  const m = CPR_RE.exec(input.trim());
  if (!m) {
    return { ok: false, reason: 'CPR must be 10 digits in the form DDMMYY-SSSS (the dash is optional)' };
  }
  const [, dd = '', mm = '', yy = '', seventh = ''] = m;
  const day = Number(dd);
  const month = Number(mm);
  const year = centuryOf(Number(seventh), Number(yy)) + Number(yy);
  if (month < 1 || month > 12) return { ok: false, reason: 'CPR month (MM) must be 01–12' };
  // Deliberately vague: naming the day/month/year would leak the birth date into logs.
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: 'CPR day (DD) is not a valid calendar day of its month and year' };
  }
  return {
    ok: true,
    normalised: input.trim().replace('-', ''),
    birthDate: `${String(year).padStart(4, '0')}-${mm}-${dd}`,
  };
}

/** Hex HMAC-SHA-256 of a normalised (10 digits, no dash) CPR. */
export function cprHmac(keySecret: Buffer, normalised: string): string {
  // Hashing a non-normalised form (e.g. with dash) would silently never match a lookup.
  if (typeof normalised !== 'string' || !NORMALISED_RE.test(normalised)) {
    throw new TypeError('cprHmac expects a normalised CPR (exactly 10 digits, no dash)');
  }
  return createHmac('sha256', keySecret).update(normalised, 'ascii').digest('hex');
}

export interface CprKey {
  id: string;
  secret: Buffer;
}

export interface CprHash {
  keyId: string;
  hmac: string;
}

// Ids are stored next to every HMAC and appear in the env spec, so keep them simple.
const KEY_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The set of CPR HMAC keys. New hashes use the active key; lookups try every key so that
 * rows hashed before a rotation are still found (and can be re-hashed lazily).
 * Secrets live in private fields so that logging or JSON-serialising a keyring shows no secret.
 */
export class CprKeyring {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #activeKeyId: string;

  constructor(keys: ReadonlyArray<CprKey>, activeKeyId: string) {
    if (keys.length === 0) throw new Error('CPR keyring: at least one key is required');
    const map = new Map<string, Buffer>();
    keys.forEach((k, i) => {
      // An invalid id may be a mis-pasted secret, so identify the key by position instead.
      if (typeof k.id !== 'string' || !KEY_ID_RE.test(k.id)) {
        throw new Error(`CPR keyring: key #${i + 1} has an invalid id (allowed: 1–64 of A-Z a-z 0-9 . _ -)`);
      }
      if (map.has(k.id)) throw new Error(`CPR keyring: duplicate key id "${k.id}"`);
      if (!Buffer.isBuffer(k.secret) || k.secret.length < MIN_CPR_KEY_BYTES) {
        throw new Error(`CPR keyring: secret of key "${k.id}" must be at least ${MIN_CPR_KEY_BYTES} bytes`);
      }
      // Copy so later mutation of the caller's buffer cannot change our hashes.
      map.set(k.id, Buffer.from(k.secret));
    });
    if (!map.has(activeKeyId)) {
      throw new Error(
        KEY_ID_RE.test(activeKeyId) ? `CPR keyring: active key id "${activeKeyId}" is not among the keys` : 'CPR keyring: active key id is invalid or missing',
      );
    }
    this.#keys = map;
    this.#activeKeyId = activeKeyId;
  }

  get activeKeyId(): string {
    return this.#activeKeyId;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** The hash to store for a new or updated record. */
  hash(normalised: string): CprHash {
    const secret = this.#keys.get(this.#activeKeyId)!; // checked in the constructor
    return { keyId: this.#activeKeyId, hmac: cprHmac(secret, normalised) };
  }

  /** One (keyId, hmac) pair per key, active key first: match rows with `(key_id, hmac) IN (...)`. */
  candidates(normalised: string): CprHash[] {
    const out: CprHash[] = [this.hash(normalised)];
    for (const [keyId, secret] of this.#keys) {
      if (keyId !== this.#activeKeyId) out.push({ keyId, hmac: cprHmac(secret, normalised) });
    }
    return out;
  }

  toJSON(): { activeKeyId: string; keyIds: string[] } {
    return { activeKeyId: this.#activeKeyId, keyIds: this.keyIds };
  }
}

const B64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses `id1:base64secret,id2:base64secret` (standard or URL-safe base64, padding optional;
 * empty items from a stray comma are ignored). The active key id is configured separately.
 * Errors name the key id (or, when even the id is unusable, the item's position) and never
 * include any part of a secret.
 */
export function parseKeyringEnv(spec: string, label = 'CPR keyring'): CprKey[] {
  if (typeof spec !== 'string') throw new Error(`${label}: spec must be a string`);
  const items = spec.split(',').map((s) => s.trim());
  const keys: CprKey[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item === '') return;
    const where = `item #${i + 1}`;
    const colon = item.indexOf(':');
    // Without a colon the item may be a bare secret: do not print it.
    if (colon < 0) throw new Error(`${label}: ${where} must have the form <id>:<base64 secret>`);
    const id = item.slice(0, colon).trim();
    const b64 = item.slice(colon + 1).trim();
    if (!KEY_ID_RE.test(id)) {
      throw new Error(`${label}: ${where} has an invalid key id (allowed: 1–64 of A-Z a-z 0-9 . _ -)`);
    }
    if (seen.has(id)) throw new Error(`${label}: duplicate key id "${id}"`);
    seen.add(id);
    // Buffer.from(_, 'base64') silently skips garbage, so validate strictly and round-trip.
    const secret = B64_RE.test(b64) ? Buffer.from(b64, 'base64') : undefined;
    const canonicalInput = b64.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
    if (!secret || secret.toString('base64').replace(/=+$/, '') !== canonicalInput) {
      throw new Error(`${label}: secret of key "${id}" is not valid base64`);
    }
    if (secret.length < MIN_CPR_KEY_BYTES) {
      throw new Error(`${label}: secret of key "${id}" decodes to ${secret.length} bytes; at least ${MIN_CPR_KEY_BYTES} are required`);
    }
    keys.push({ id, secret });
  });
  if (keys.length === 0) throw new Error(`${label}: no keys configured`);
  return keys;
}

// 6 digits, optional dash, 4 digits, not adjacent to further digits (so longer numbers such as
// amounts or ids are left alone).
const CPR_LIKE_RE = /(?<!\d)\d{6}-?\d{4}(?!\d)/g;

// A UUID may hold a CPR-shaped run (`…a123456-7890-…`); ids in logs are left intact.
const UUID_RE = /(?<![0-9a-fA-F])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9a-fA-F])/g;

/** Last line of defence for log serializers: replaces anything CPR-shaped (outside UUIDs) with `[CPR]`. */
export function redactCpr(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(UUID_RE)) {
    out += text.slice(last, m.index).replace(CPR_LIKE_RE, '[CPR]') + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(CPR_LIKE_RE, '[CPR]');
}
