/**
 * Signed checkpoints of the ledger's hash chain (docs/LEDGER.md). The sealer states, now and
 * then, "the chain's entry `seq` has hash `hash`", signed with an Ed25519 key:
 *
 *   message   = UTF-8 of the RFC 8785 JSON of {"hash", "key_id", "sealed_at", "seq"}
 *   signature = Ed25519(private key, message), base64
 *
 * An auditor who keeps a checkpoint can prove later that an export extends it (the export's
 * entry `seq` has that hash), and so notice any rewrite of history before it.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';

export interface CheckpointBody {
  seq: number;
  hash: string;
  /** ISO instant when the sealer signed it. */
  sealed_at: string;
  key_id: string;
}

export type SignedCheckpoint = CheckpointBody & { signature: string };

const HASH_RE = /^[0-9a-f]{64}$/;
const KEY_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** The exact bytes that are signed. */
export function checkpointMessage(c: CheckpointBody): Buffer {
  if (!Number.isSafeInteger(c.seq) || c.seq < 0) throw new TypeError('checkpoint: seq must be a whole number');
  if (!HASH_RE.test(c.hash)) throw new TypeError('checkpoint: hash must be 64 lowercase hex characters');
  if (!KEY_ID_RE.test(c.key_id)) throw new TypeError('checkpoint: invalid key id');
  if (typeof c.sealed_at !== 'string' || Number.isNaN(Date.parse(c.sealed_at))) throw new TypeError('checkpoint: sealed_at must be an instant');
  return Buffer.from(canonicalJson({ seq: c.seq, hash: c.hash, sealed_at: c.sealed_at, key_id: c.key_id }), 'utf8');
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): SignedCheckpoint {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('checkpoint: the signing key must be Ed25519');
  const signature = sign(null, checkpointMessage(body), privateKey).toString('base64');
  return { ...body, signature };
}

/** True when `c` is signed by `publicKey` (false for anything malformed). */
export function verifyCheckpoint(c: SignedCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

export interface SigningKey {
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * The checkpoint signing keys: the active one signs, the others (retired) stay so their public
 * keys can still be published — rotation like the CPR key ring (docs/SECURITY.md).
 */
export class SigningKeyring {
  readonly active: SigningKey;
  constructor(
    readonly keys: SigningKey[],
    activeId: string,
  ) {
    const active = keys.find((k) => k.id === activeId);
    if (!active) throw new Error(`ledger signing keys: the active key id "${activeId}" is not in the ring`);
    this.active = active;
  }

  /** Every key's id and public key (SPKI PEM), for auditors. */
  publicKeys(): Array<{ key_id: string; public_key_pem: string; active: boolean }> {
    return this.keys.map((k) => ({
      key_id: k.id,
      public_key_pem: k.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      active: k.id === this.active.id,
    }));
  }
}

/** A private key from PKCS#8 (PEM text, or base64 of the DER); it must be Ed25519. */
export function ed25519PrivateKey(text: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = text.includes('-----BEGIN') ? createPrivateKey(text) : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    // Never echo the key material.
    throw new Error(`${what}: not a PKCS#8 private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what}: not an Ed25519 key`);
  return key;
}

/** `LEDGER_SIGNING_KEYS`: `<id>:<base64 PKCS#8 DER>` items separated by commas. */
export function parseSigningKeysEnv(spec: string): SigningKey[] {
  const seen = new Set<string>();
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item, i) => {
      const colon = item.indexOf(':');
      if (colon < 0) throw new Error(`LEDGER_SIGNING_KEYS: item #${i + 1} must have the form <id>:<base64 PKCS#8 key>`);
      const id = item.slice(0, colon).trim();
      if (!KEY_ID_RE.test(id)) throw new Error(`LEDGER_SIGNING_KEYS: item #${i + 1} has an invalid key id (1–64 of A-Z a-z 0-9 . _ -)`);
      if (seen.has(id)) throw new Error(`LEDGER_SIGNING_KEYS: duplicate key id "${id}"`);
      seen.add(id);
      const privateKey = ed25519PrivateKey(item.slice(colon + 1).trim(), `LEDGER_SIGNING_KEYS: key "${id}"`);
      return { id, privateKey, publicKey: createPublicKey(privateKey) };
    });
}
