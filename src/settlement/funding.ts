/**
 * The fund's two money passes, pure (SETTLEMENT.md §6, DECISIONS 27 and 56): which awaiting
 * awards a funding pass reserves money for, and what finalisation posts. The service loads the
 * awards in order, plans, and writes; these functions decide and assert.
 */
import * as accounts from '../ledger/accounts.js';
import type { EntryDraft } from '../ledger/entries.js';
import { assertEntriesBalance, invariant } from './invariant.js';
import { planFinalise, statusOf, type AwardStatus, type PayeeMoney } from './lifecycle.js';

/** An award waiting for (more) reservation, as the funding pass sees it. */
export interface AwaitingAward {
  id: string;
  /** Funding place: acceptance order of the award's measurement identity. */
  measurement_seq: bigint;
  earned: boolean;
  reserved_ore: bigint;
  reserve_target_ore: bigint;
  open_objections: number;
}

export interface FundingPlan {
  /** The awards funded, in order: each now holds its whole target, with its new status. */
  reservations: Array<{ id: string; reserved: bigint; status: AwardStatus }>;
  /** One `reserve` entry (available → reserved) per funded award. */
  ledgerEntries: EntryDraft[];
  /** `available` after these reservations. */
  available: bigint;
  /** The pass stopped early: at an award `available` cannot cover, or at the barrier. */
  blocked: boolean;
}

/**
 * Funds awaiting awards strictly in acceptance order: stops at the first award the available
 * balance cannot cover (a later, smaller one is not funded ahead of it), and at the first whose
 * place is at or after `barrier` — the earliest measurement of the fund's kinds still waiting
 * for settlement (its award, once computed, comes first). `awaiting` must be in funding order.
 */
export function planFunding(a: { fundId: string; awaiting: readonly AwaitingAward[]; available: bigint; barrier: bigint | null }): FundingPlan {
  invariant(a.available >= 0n, () => `available ${a.available} is negative`);
  let available = a.available;
  const plan: FundingPlan = { reservations: [], ledgerEntries: [], available, blocked: false };
  let previousSeq: bigint | null = null;
  for (const award of a.awaiting) {
    invariant(previousSeq === null || award.measurement_seq >= previousSeq, 'awaiting awards come in funding order');
    previousSeq = award.measurement_seq;
    const need = award.reserve_target_ore - award.reserved_ore;
    invariant(award.reserved_ore >= 0n && need > 0n, () => `award ${award.id} is not waiting for funds`);
    if ((a.barrier !== null && award.measurement_seq >= a.barrier) || need > available) {
      plan.blocked = true;
      break;
    }
    available -= need;
    plan.ledgerEntries.push({
      kind: 'reserve',
      fundId: a.fundId,
      awardId: award.id,
      memo: 'award funded',
      lines: [
        { account: accounts.available(a.fundId), amount: -need },
        { account: accounts.reserved(a.fundId), amount: need },
      ],
    });
    const reserved = award.reserve_target_ore;
    plan.reservations.push({
      id: award.id,
      reserved,
      status: statusOf({ earned: award.earned, reserved, reserveTarget: reserved, openObjections: award.open_objections }),
    });
  }
  plan.available = available;
  invariant(available >= 0n && available <= a.available, () => `available went from ${a.available} to ${available}`);
  assertEntriesBalance(plan.ledgerEntries);
  return plan;
}

/** A provisional award due for finalisation, as the finalisation pass sees it. */
export interface DueAward {
  id: string;
  fund_id: string;
  reserved_ore: bigint;
  payees: PayeeMoney[];
}

/**
 * Finalisation (review window passed with no open objection, or an administrator finalising
 * early): per award one `finalise` entry moving its whole reservation to the payees' payable
 * accounts, so that afterwards each payee's payable equals its payout.
 */
export function planFinalisation(due: readonly DueAward[], opts: { early: boolean }): EntryDraft[] {
  const entries = due.map((a): EntryDraft => {
    const plan = planFinalise({ payees: a.payees, reserved: a.reserved_ore });
    invariant(
      plan.next.payees.every((p) => p.payable === p.amount),
      'after finalisation each payee’s payable is its payout',
    );
    return {
      kind: 'finalise',
      fundId: a.fund_id,
      awardId: a.id,
      memo: opts.early ? 'finalised early by an administrator' : 'review window passed',
      lines: [
        { account: accounts.reserved(a.fund_id), amount: -a.reserved_ore },
        ...plan.moves.map((mv) => ({ account: accounts.payable(a.fund_id, mv.institutionId), amount: mv.amount })),
      ],
    };
  });
  assertEntriesBalance(entries);
  return entries;
}
