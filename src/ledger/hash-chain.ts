/**
 * Tamper-evident hash chain over ledger journal entries (SETTLEMENT.md §6).
 *
 *   hash = SHA-256( prev_hash_hex ‖ JCS(entry) )
 *
 * where prev_hash_hex is the previous entry's hash as 64 lowercase hex ASCII bytes
 * (GENESIS_HASH for the first entry) and JCS(entry) is the UTF-8 of the RFC 8785 canonical JSON
 * of exactly these fields: seq, entry_id, posted_at, kind, fund_id, award_id, memo,
 * lines[{account, amount_ore}] in stored order, and — for every entry sealed since migration
 * 0018 — explanation_sha256 (the SHA-256, lowercase hex, of the RFC 8785 text of the award
 * explanation the entry posts; null for an entry without an award). Amounts are JSON integers
 * (bigint and number hash the same). Anyone holding an export can recompute the chain with only
 * this definition (docs/LEDGER.md: the body is the export line without prev_hash, hash, award).
 *
 * What the chain cannot show by itself: truncation of the tail, or a rewrite of the tail with
 * fresh hashes. Compare `lastHash` with an independently kept head hash for that.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';

export interface ChainLine {
  account: string;
  amount_ore: number | bigint;
}

export interface ChainEntry {
  seq: number;
  entry_id: string;
  /** ISO timestamp exactly as hashed; it must round-trip through storage byte for byte. */
  posted_at: string;
  kind: string;
  fund_id: string | null;
  award_id: string | null;
  memo: string | null;
  lines: ChainLine[];
  /** Absent for entries sealed before migration 0018 (their body did not have the field). */
  explanation_sha256?: string | null;
}

export type StoredChainEntry = ChainEntry & { hash: string; prev_hash: string };

export const GENESIS_HASH = '0'.repeat(64);

const HASH_RE = /^[0-9a-f]{64}$/;

export type ChainBreakReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'unbalanced';

export interface ChainBreak {
  seq: number;
  reason: ChainBreakReason;
  expected?: string;
  actual?: string;
}

export type VerifyChainResult = { ok: true; count: number; lastSeq: number | null; lastHash: string } | { ok: false; count: number; firstBreak: ChainBreak };

export interface VerifyChainOptions {
  /** prev_hash the first entry must carry; GENESIS_HASH by default (a full export). */
  expectedPrevHash?: string;
  /** seq the first entry must carry; unchecked by default. */
  expectedFirstSeq?: number;
}

function isSafeIntegerAmount(a: unknown): a is number | bigint {
  if (typeof a === 'number') return Number.isSafeInteger(a);
  if (typeof a === 'bigint') return a <= BigInt(Number.MAX_SAFE_INTEGER) && a >= -BigInt(Number.MAX_SAFE_INTEGER);
  return false;
}

/** The hashed projection: exactly the documented fields, so extra columns never leak in. */
function hashedFields(entry: ChainEntry): ChainEntry {
  const body: ChainEntry = {
    seq: entry.seq,
    entry_id: entry.entry_id,
    posted_at: entry.posted_at,
    kind: entry.kind,
    fund_id: entry.fund_id,
    award_id: entry.award_id,
    memo: entry.memo,
    lines: entry.lines.map((l) => ({ account: l.account, amount_ore: l.amount_ore })),
  };
  if (entry.explanation_sha256 !== undefined) body.explanation_sha256 = entry.explanation_sha256;
  return body;
}

/** hash = SHA-256(prev_hash_hex ‖ JCS(entry)), as lowercase hex. */
export function entryHash(prevHash: string, entry: ChainEntry): string {
  return sealEntry(prevHash, entry).hash;
}

/** The canonical text of an entry and its chained hash, after checking what §6 requires of it. */
export function sealEntry(prevHash: string, entry: ChainEntry): { canonical: string; hash: string } {
  if (!HASH_RE.test(prevHash)) throw new TypeError('entryHash: prevHash must be 64 lowercase hex characters');
  if (!Number.isSafeInteger(entry.seq)) throw new TypeError('entryHash: seq must be a safe integer');
  const x = entry.explanation_sha256;
  if (x !== undefined && x !== null && !HASH_RE.test(x)) throw new TypeError('entryHash: explanation_sha256 must be null or 64 lowercase hex characters');
  entry.lines.forEach((l, i) => {
    // "amounts as integers" (§6): a fractional øre must never be written into the chain.
    if (!isSafeIntegerAmount(l.amount_ore)) {
      throw new TypeError(`entryHash: lines[${i}].amount_ore must be a safe integer`);
    }
  });
  const canonical = canonicalEntry(entry);
  return { canonical, hash: hashCanonical(prevHash, canonical) };
}

/** JCS(entry): the exact text that is hashed, and that journal entries store as `canonical`. */
export function canonicalEntry(entry: ChainEntry): string {
  return canonicalJson(hashedFields(entry));
}

/** SHA-256(prev_hash_hex ‖ canonical). */
function hashCanonical(prevHash: string, canonical: string): string {
  return createHash('sha256').update(prevHash, 'ascii').update(canonical, 'utf8').digest('hex');
}

/**
 * Verifies a chain one entry at a time with constant memory, so a streamed export of any size
 * can be checked. Stops at the first break; later pushes are ignored.
 * Checks per entry, in order: gapless seq, prev_hash linkage, integer amounts and recomputed
 * hash, lines summing to zero.
 */
export class ChainVerifier {
  #count = 0;
  #lastSeq: number | null = null;
  #lastHash: string;
  #expectedFirstSeq: number | undefined;
  #break: ChainBreak | null = null;

  constructor(opts: VerifyChainOptions = {}) {
    const prev = opts.expectedPrevHash ?? GENESIS_HASH;
    if (!HASH_RE.test(prev)) throw new TypeError('ChainVerifier: expectedPrevHash must be 64 lowercase hex characters');
    this.#lastHash = prev;
    this.#expectedFirstSeq = opts.expectedFirstSeq;
  }

  get ok(): boolean {
    return this.#break === null;
  }

  /** Returns false once the chain is broken (at this or an earlier entry). */
  push(entry: StoredChainEntry): boolean {
    if (this.#break) return false;
    const brk = this.#check(entry);
    if (brk) {
      this.#break = brk;
      return false;
    }
    this.#count++;
    this.#lastSeq = entry.seq;
    this.#lastHash = entry.hash;
    return true;
  }

  #check(e: StoredChainEntry): ChainBreak | null {
    const expectedSeq = this.#lastSeq === null ? this.#expectedFirstSeq : this.#lastSeq + 1;
    if (!Number.isSafeInteger(e.seq) || (expectedSeq !== undefined && e.seq !== expectedSeq)) {
      return {
        seq: e.seq,
        reason: 'seq_gap',
        ...(expectedSeq !== undefined ? { expected: String(expectedSeq) } : {}),
        actual: String(e.seq),
      };
    }
    if (e.prev_hash !== this.#lastHash) {
      return { seq: e.seq, reason: 'prev_hash_mismatch', expected: this.#lastHash, actual: String(e.prev_hash) };
    }
    if (!Array.isArray(e.lines)) return { seq: e.seq, reason: 'unbalanced', actual: 'lines is not an array' };
    // A non-integer amount cannot be hashed under §6 and cannot balance in øre.
    const bad = e.lines.findIndex((l) => !isSafeIntegerAmount(l.amount_ore));
    if (bad >= 0) {
      return { seq: e.seq, reason: 'unbalanced', actual: `lines[${bad}].amount_ore is not a safe integer` };
    }
    let recomputed: string;
    try {
      recomputed = entryHash(this.#lastHash, e);
    } catch (err) {
      // Hostile export data (e.g. a lone surrogate in memo) must yield a break, not a throw.
      return { seq: e.seq, reason: 'hash_mismatch', actual: `unhashable entry: ${(err as Error).message}` };
    }
    if (e.hash !== recomputed) {
      return { seq: e.seq, reason: 'hash_mismatch', expected: recomputed, actual: String(e.hash) };
    }
    // Sum as bigint: many safe-integer amounts may still overflow 2^53 in a number sum.
    let sum = 0n;
    for (const l of e.lines) sum += BigInt(l.amount_ore);
    if (sum !== 0n) return { seq: e.seq, reason: 'unbalanced', expected: '0', actual: sum.toString() };
    return null;
  }

  result(): VerifyChainResult {
    if (this.#break) return { ok: false, count: this.#count, firstBreak: { ...this.#break } };
    return { ok: true, count: this.#count, lastSeq: this.#lastSeq, lastHash: this.#lastHash };
  }
}

/**
 * Verifies entries in seq order. On failure `count` is the number of entries that verified
 * before the first break. An empty input is ok with lastHash = the expected prev hash.
 */
export function verifyChain(entries: Iterable<StoredChainEntry>, opts?: VerifyChainOptions): VerifyChainResult {
  const v = new ChainVerifier(opts);
  for (const e of entries) {
    if (!v.push(e)) break;
  }
  return v.result();
}
