import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/database.js';
import { accountCode, type AccountRef } from '../ledger/accounts.js';
import type { EntryDraft } from '../ledger/entries.js';
import { sealEntry } from '../ledger/hash-chain.js';
import * as ledgerRepo from '../repositories/ledger.js';
import type { ServiceDeps } from './deps.js';
import { businessDate } from './business-date.js';

export type { EntryDraft, EntryKind } from '../ledger/entries.js';

export interface PostedEntry {
  seq: bigint;
  id: string;
  hash: string;
}

/**
 * Appends entries to the journal. Must run inside the caller's transaction, which this
 * locks on the chain head: sequence numbers are gapless and each hash covers the previous
 * one. Lines on the same account are merged, zero lines dropped, and an entry whose lines
 * do not sum to zero is a programming error that aborts the whole transaction.
 */
export class LedgerService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Locks the head; callers that read balances to decide postings call this first. */
  lock(trx: Executor) {
    return ledgerRepo.lockHead(trx);
  }

  async post(trx: Executor, drafts: EntryDraft[]): Promise<PostedEntry[]> {
    const prepared = drafts.map(normalise).filter((d) => d.lines.length > 0);
    if (!prepared.length) return [];
    const head = await ledgerRepo.lockHead(trx);

    const accounts = new Map<string, AccountRef>();
    for (const d of prepared) for (const l of d.lines) accounts.set(l.code, l.ref);
    await ledgerRepo.ensureAccounts(
      trx,
      [...accounts].map(([code, ref]) => ({
        code,
        fund_id: ref.fundId,
        type: ref.type,
        institution_id: ref.institutionId ?? null,
      })),
    );

    const now = this.deps.clock();
    const postedAt = now.toISOString();
    const postedOn = businessDate(now, this.deps.timeZone);
    let seq = head.last_seq;
    let prev = head.last_hash;
    const entries: ledgerRepo.EntryRow[] = [];
    const lines: ledgerRepo.LineRow[] = [];
    const deltas = new Map<string, bigint>();
    const posted: PostedEntry[] = [];

    for (const d of prepared) {
      seq += 1n;
      const id = randomUUID();
      const { canonical, hash } = sealEntry(prev, {
        seq: Number(seq),
        entry_id: id,
        posted_at: postedAt,
        kind: d.kind,
        fund_id: d.fundId,
        award_id: d.awardId ?? null,
        memo: d.memo ?? null,
        lines: d.lines.map((l) => ({ account: l.code, amount_ore: l.amount })),
      });
      entries.push({
        seq,
        id,
        posted_at: now,
        posted_on: postedOn,
        kind: d.kind,
        fund_id: d.fundId,
        award_id: d.awardId ?? null,
        memo: d.memo ?? null,
        prev_hash: prev,
        hash,
        canonical,
      });
      d.lines.forEach((l, i) => {
        lines.push({ entry_seq: seq, line_no: i + 1, account: l.code, amount_ore: l.amount });
        deltas.set(l.code, (deltas.get(l.code) ?? 0n) + l.amount);
      });
      posted.push({ seq, id, hash });
      prev = hash;
    }

    await ledgerRepo.insertEntries(trx, entries, lines);
    await ledgerRepo.applyBalanceDeltas(trx, deltas);
    await ledgerRepo.updateHead(trx, { last_seq: seq, last_hash: prev });
    return posted;
  }
}

function normalise(d: EntryDraft) {
  const merged = new Map<string, { ref: AccountRef; code: string; amount: bigint }>();
  for (const l of d.lines) {
    const code = accountCode(l.account);
    const cur = merged.get(code);
    if (cur) cur.amount += l.amount;
    else merged.set(code, { ref: l.account, code, amount: l.amount });
  }
  const lines = [...merged.values()].filter((l) => l.amount !== 0n);
  const sum = lines.reduce((s, l) => s + l.amount, 0n);
  if (sum !== 0n) throw new Error(`unbalanced ${d.kind} entry (sum ${sum})`);
  return { ...d, lines };
}
