import type { Executor } from '../db/database.js';
import { newId } from '../domain/ids.js';
import { accountCode, type AccountRef } from '../ledger/accounts.js';
import type { EntryDraft } from '../ledger/entries.js';
import * as ledgerRepo from '../repositories/ledger.js';
import type { ServiceDeps } from './deps.js';
import { businessDate } from './business-date.js';
import { sealPending } from './ledger-sealer.js';

export type { EntryDraft, EntryKind } from '../ledger/entries.js';

export interface PostedEntry {
  id: string;
}

/**
 * Appends entries to the journal (docs/LEDGER.md: append, then seal). Runs inside the caller's
 * transaction and takes no global lock: balances are kept here, at posting time, under a row
 * lock per fund (`lockFunds`) and per account, and the entries wait in `journal_pending` until
 * the sealer gives them their seq and hash. Lines on the same account are merged, zero lines
 * dropped, and an entry whose lines do not sum to zero is a programming error that aborts the
 * whole transaction.
 */
export class LedgerService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Serialises money decisions on these funds until the transaction ends: a caller that reads
   * balances to decide postings (funding in acceptance order, payment runs) calls this first.
   */
  lockFunds(trx: Executor, fundIds: Iterable<string>): Promise<void> {
    return ledgerRepo.lockFunds(trx, fundIds);
  }

  async post(trx: Executor, drafts: EntryDraft[]): Promise<PostedEntry[]> {
    const prepared = drafts.map(normalise).filter((d) => d.lines.length > 0);
    // An entry for an award commits to the revision it posts (docs/LEDGER.md): one without is a programming error.
    const blind = prepared.find((d) => d.awardId && (d.awardRevision == null || d.explanationSha256 == null));
    if (blind) throw new Error(`ledger: a ${blind.kind} entry for award ${blind.awardId} names no revision and explanation digest`);
    if (!prepared.length) return [];
    const accounts = new Map<string, AccountRef>();
    for (const d of prepared) for (const l of d.lines) accounts.set(l.code, l.ref);
    await ledgerRepo.ensureAccounts(
      trx,
      [...accounts].map(([code, ref]) => ({ code, fund_id: ref.fundId, type: ref.type, institution_id: ref.institutionId ?? null })),
    );
    await ledgerRepo.lockFunds(
      trx,
      prepared.map((d) => d.fundId),
    );

    const now = this.deps.clock();
    const postedOn = businessDate(now, this.deps.timeZone);
    const deltas = new Map<string, bigint>();
    const rows: ledgerRepo.PendingRow[] = prepared.map((d) => {
      for (const l of d.lines) deltas.set(l.code, (deltas.get(l.code) ?? 0n) + l.amount);
      return {
        id: newId(),
        posted_at: now,
        posted_on: postedOn,
        kind: d.kind,
        fund_id: d.fundId,
        award_id: d.awardId ?? null,
        award_revision: d.awardId ? (d.awardRevision ?? null) : null,
        explanation_sha256: d.awardId ? (d.explanationSha256 ?? null) : null,
        memo: d.memo ?? null,
        lines: JSON.stringify(d.lines.map((l) => ({ account: l.code, amount_ore: l.amount.toString() }))),
      };
    });
    // Balances first: the account row locks order entries on the same account by commit, so
    // the append numbers drawn after them seal in the order the balances changed.
    await ledgerRepo.applyBalanceDeltas(trx, deltas);
    await ledgerRepo.appendPending(trx, rows);
    return rows.map((r) => ({ id: r.id }));
  }

  /**
   * Posts and seals at once, in the caller's transaction, for the rare postings whose answer
   * names their seq (a deposit, a payment run): it waits for the chain head, seals every
   * committed pending entry and its own, and holds the head until it commits.
   */
  async postSealed(trx: Executor, drafts: EntryDraft[]): Promise<Array<{ id: string; seq: bigint }>> {
    const posted = await this.post(trx, drafts);
    const seqs = await this.sealNow(trx);
    return posted.map((p) => ({ id: p.id, seq: seqs.get(p.id)! }));
  }

  /** Seals everything pending that this transaction sees (waiting for the head); seq by entry id. */
  async sealNow(trx: Executor): Promise<Map<string, bigint>> {
    const head = await ledgerRepo.lockHead(trx);
    const out = new Map<string, bigint>();
    let current = head;
    for (;;) {
      const r = await sealPending(trx, current, 5000);
      for (const [id, seq] of r.seqs) out.set(id, seq);
      current = r.head;
      if (r.sealed < 5000) return out;
    }
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
