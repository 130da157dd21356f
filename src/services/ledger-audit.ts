import type { Db } from '../db/database.js';
import { ChainVerifier, GENESIS_HASH, canonicalEntry, type StoredChainEntry } from '../ledger/hash-chain.js';
import * as ledgerRepo from '../repositories/ledger.js';
import { oreOut } from '../domain/money.js';

const PAGE = 2000;

/** A stored entry in the exact shape that was hashed when it was posted (src/services/ledger.ts), amounts as JSON numbers. */
export function toChainEntry(
  e: Awaited<ReturnType<typeof ledgerRepo.listEntries>>[number],
): StoredChainEntry & { lines: Array<{ account: string; amount_ore: number }> } {
  return {
    seq: Number(e.seq),
    entry_id: e.id,
    posted_at: e.posted_at.toISOString(),
    kind: e.kind,
    fund_id: e.fund_id,
    award_id: e.award_id,
    memo: e.memo,
    lines: e.lines.map((l) => ({ account: l.account, amount_ore: oreOut(l.amount_ore) })),
    prev_hash: e.prev_hash,
    hash: e.hash,
    // Sealed since migration 0018 (sealed_at set): the body holds the field, null or not.
    ...(e.sealed_at !== null ? { explanation_sha256: e.explanation_sha256 } : {}),
  };
}

/**
 * Recomputes the hash chain over [fromSeq, toSeq] (the whole sealed prefix by default), page by
 * page in constant memory, and checks that the head row points at the last entry. `unsealed`:
 * entries appended but not yet sealed (not covered; the sealer takes them in order).
 */
export async function verifyLedger(db: Db, range: { fromSeq?: bigint; toSeq?: bigint } = {}) {
  const unsealed = await ledgerRepo.pendingCount(db);
  return { ...(await verifyChainRange(db, range)), unsealed };
}

async function verifyChainRange(db: Db, range: { fromSeq?: bigint; toSeq?: bigint }) {
  const from = range.fromSeq ?? 1n;
  const prev = from <= 1n ? GENESIS_HASH : await ledgerRepo.entryHash(db, from - 1n);
  if (prev === undefined) return { ok: false as const, checked: 0, first_break: { seq: Number(from), reason: 'seq_gap' } };
  const verifier = new ChainVerifier({ expectedPrevHash: prev, expectedFirstSeq: Number(from) });
  let after: bigint | null = from - 1n;
  let lastSeq: bigint | null = null;
  for (;;) {
    const page = await ledgerRepo.listEntries(db, { ...(range.toSeq !== undefined ? { toSeq: range.toSeq } : {}) }, after, PAGE);
    for (const e of page) {
      const entry = toChainEntry(e);
      if (!verifier.push(entry)) break;
      // Exports write the stored canonical text; it must be exactly what the fields hash to.
      if (e.canonical !== canonicalEntry(entry)) {
        return { ok: false as const, checked: verifier.result().count - 1, first_break: { seq: Number(e.seq), reason: 'canonical_mismatch' } };
      }
      lastSeq = e.seq;
    }
    if (!verifier.ok || page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  const result = verifier.result();
  if (!result.ok) return { ok: false as const, checked: result.count, first_break: result.firstBreak };
  // Truncating the newest entries leaves a valid chain; the head row still remembers them.
  if (range.toSeq === undefined) {
    const head = await ledgerRepo.readHead(db);
    if (head.last_seq !== (lastSeq ?? from - 1n) || (lastSeq !== null && head.last_hash !== result.lastHash)) {
      return {
        ok: false as const,
        checked: result.count,
        first_break: { seq: Number(head.last_seq), reason: 'head_mismatch', expected: head.last_hash, actual: result.lastHash },
      };
    }
  }
  return { ok: true as const, checked: result.count, last_seq: result.lastSeq, last_hash: result.lastHash };
}

/** The journal as auditors read it: entries with their lines, the chain's verification, its signed checkpoints. */
export class LedgerAuditService {
  constructor(private readonly deps: { db: Db }) {}

  /** Entries in sequence order after `afterSeq`, filtered. */
  entries(filter: ledgerRepo.EntryFilter, afterSeq: bigint | null, limit: number) {
    return ledgerRepo.listEntries(this.deps.db, filter, afterSeq, limit);
  }

  verify(range: { fromSeq?: bigint; toSeq?: bigint } = {}) {
    return verifyLedger(this.deps.db, range);
  }

  /** Signed checkpoints in sequence order after `afterSeq` (docs/LEDGER.md). */
  checkpoints(afterSeq: bigint | null, limit: number) {
    return ledgerRepo.listCheckpoints(this.deps.db, afterSeq, limit);
  }
}
