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
 */

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

export function reserveTargetOf(payees: PayeeMoney[]): bigint {
  return payees.reduce((s, p) => s + (p.amount - p.payable), 0n);
}

/**
 * `involved` lists institutions to keep as zero-amount rows (they contributed days but are
 * not paid), so they can see the award and object to it.
 */
export function planRecompute(
  current: AwardMoney,
  newPayouts: ReadonlyMap<string, bigint>,
  involved: Iterable<string> = [],
): RecomputePlan {
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
  return {
    payableReleases,
    reserveRelease,
    next: { payees, reserved: current.reserved - reserveRelease },
    reserveTarget,
  };
}

/** Finalisation of a fully funded award: reserved → payable per payee. */
export function planFinalise(money: AwardMoney): { moves: Array<{ institutionId: string; amount: bigint }>; next: AwardMoney } {
  const target = reserveTargetOf(money.payees);
  if (money.reserved !== target) throw new Error('only a fully funded award can be finalised');
  const moves = money.payees
    .filter((p) => p.amount > p.payable)
    .map((p) => ({ institutionId: p.institutionId, amount: p.amount - p.payable }));
  return {
    moves,
    next: { payees: money.payees.map((p) => ({ ...p, payable: p.amount })), reserved: 0n },
  };
}

export type AwardStatus = 'not_earned' | 'awaiting_funds' | 'provisional' | 'held' | 'final';

export function statusOf(a: { earned: boolean; reserved: bigint; reserveTarget: bigint; openObjections: number }): AwardStatus {
  if (a.reserved < a.reserveTarget) return 'awaiting_funds';
  if (a.reserveTarget > 0n) return a.openObjections > 0 ? 'held' : 'provisional';
  return a.earned ? 'final' : 'not_earned';
}
