/**
 * The money side of an award's lifecycle (SETTLEMENT.md §6), pure: given what the ledger
 * already holds for an award and its newly computed payouts, which postings bring the ledger
 * to the new result by moving only the differences.
 *
 * Per award the ledger holds: `reserved` (in the fund's reserved account) and, per payee,
 * `payable` (moved to payable:<institution> at finalisation). Invariant after every plan:
 * payable[i] ≤ amount[i] and reserved ≤ reserveTarget = Σ (amount[i] − payable[i]).
 *
 * - A payee's amount below what is already payable: the difference goes payable → available
 *   at once (after a payment this drives the payable negative: a claw-back, netted against
 *   the institution's future payouts).
 * - Reservation above the new target: released to available at once.
 * - Reservation below the target: the award awaits funds; the funding pass tops it up in
 *   acceptance order.
 * - Finalisation moves reserved → payable per payee for what is not yet payable.
 *
 * Each plan asserts its pre- and postconditions (`invariant.ts`): the money of an award is
 * whole (`assertAwardMoney`) before and after, and nothing is created or lost — what the award
 * held is what it holds afterwards plus what it released or moved.
 */
import { invariant, sumOre } from './invariant.js';

export interface PayeeMoney {
  institutionId: string;
  /** The current computed payout. */
  amount: bigint;
  /** What has been moved to payable for this award. */
  payable: bigint;
}

export interface AwardMoney {
  payees: PayeeMoney[];
  reserved: bigint;
}

export interface RecomputePlan {
  /** payable:<i> → available, per institution. */
  payableReleases: Array<{ institutionId: string; amount: bigint }>;
  /** reserved → available. */
  reserveRelease: bigint;
  next: AwardMoney;
  reserveTarget: bigint;
}

export function reserveTargetOf(payees: readonly PayeeMoney[]): bigint {
  return payees.reduce((s, p) => s + (p.amount - p.payable), 0n);
}

/** Σ payable over the payees: what the award has moved to payable accounts. */
export function payableOf(payees: readonly PayeeMoney[]): bigint {
  return sumOre(payees.map((p) => p.payable));
}

/**
 * What the ledger holds for an award is whole: each payee's payable within [0, its amount],
 * each institution once, and the reservation within [0, reserve target].
 */
export function assertAwardMoney(m: AwardMoney): void {
  const seen = new Set<string>();
  for (const p of m.payees) {
    invariant(!seen.has(p.institutionId), () => `payee ${p.institutionId} listed twice`);
    seen.add(p.institutionId);
    invariant(p.payable >= 0n && p.payable <= p.amount, () => `payable ${p.payable} of ${p.institutionId} outside [0, amount ${p.amount}]`);
  }
  const target = reserveTargetOf(m.payees);
  invariant(m.reserved >= 0n && m.reserved <= target, () => `reserved ${m.reserved} outside [0, target ${target}]`);
}

/**
 * `involved` lists institutions to keep as zero-amount rows (they contributed days but are
 * not paid), so they can see the award and object to it.
 */
export function planRecompute(current: AwardMoney, newPayouts: ReadonlyMap<string, bigint>, involved: Iterable<string> = []): RecomputePlan {
  assertAwardMoney(current);
  for (const [id, amount] of newPayouts) invariant(amount >= 0n, () => `new payout ${amount} to ${id} is negative`);
  const ids = new Set<string>([...current.payees.map((p) => p.institutionId), ...newPayouts.keys(), ...involved]);
  const byId = new Map(current.payees.map((p) => [p.institutionId, p]));
  const payableReleases: RecomputePlan['payableReleases'] = [];
  const payees: PayeeMoney[] = [];
  for (const id of [...ids].sort()) {
    const amount = newPayouts.get(id) ?? 0n;
    let payable = byId.get(id)?.payable ?? 0n;
    if (payable > amount) {
      payableReleases.push({ institutionId: id, amount: payable - amount });
      payable = amount;
    }
    payees.push({ institutionId: id, amount, payable });
  }
  const reserveTarget = reserveTargetOf(payees);
  const reserveRelease = current.reserved > reserveTarget ? current.reserved - reserveTarget : 0n;
  const plan = { payableReleases, reserveRelease, next: { payees, reserved: current.reserved - reserveRelease }, reserveTarget };
  assertAwardMoney(plan.next);
  for (const r of payableReleases) invariant(r.amount > 0n, 'a payable release moves money');
  const released = reserveRelease + sumOre(payableReleases.map((r) => r.amount));
  invariant(
    current.reserved + payableOf(current.payees) === plan.next.reserved + payableOf(payees) + released,
    'a recomputation neither creates nor loses money',
  );
  return plan;
}

/** Finalisation of a fully funded award: reserved → payable per payee. */
export function planFinalise(money: AwardMoney): { moves: Array<{ institutionId: string; amount: bigint }>; next: AwardMoney } {
  assertAwardMoney(money);
  const target = reserveTargetOf(money.payees);
  invariant(money.reserved === target, () => `only a fully funded award can be finalised (reserved ${money.reserved}, target ${target})`);
  const moves = money.payees.filter((p) => p.amount > p.payable).map((p) => ({ institutionId: p.institutionId, amount: p.amount - p.payable }));
  const next = { payees: money.payees.map((p) => ({ ...p, payable: p.amount })), reserved: 0n };
  invariant(sumOre(moves.map((m) => m.amount)) === money.reserved, 'finalisation moves exactly the reservation');
  assertAwardMoney(next);
  return { moves, next };
}

export type AwardStatus = 'not_earned' | 'awaiting_funds' | 'provisional' | 'held' | 'final';

export function statusOf(a: { earned: boolean; reserved: bigint; reserveTarget: bigint; openObjections: number }): AwardStatus {
  if (a.reserved < a.reserveTarget) return 'awaiting_funds';
  if (a.reserveTarget > 0n) return a.openObjections > 0 ? 'held' : 'provisional';
  return a.earned ? 'final' : 'not_earned';
}
