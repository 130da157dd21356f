/**
 * The money side of an award (settlement/lifecycle.ts): examples of DECISIONS 22, and
 * fast-check properties over random award states and new payouts. No database.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../../src/settlement/invariant.js';
import {
  assertAwardMoney,
  payableOf,
  planFinalise,
  planRecompute,
  reserveTargetOf,
  statusOf,
  type AwardMoney,
  type PayeeMoney,
} from '../../../src/settlement/lifecycle.js';

const INSTITUTIONS = ['i-a', 'i-b', 'i-c', 'i-d'];

const payee = (institutionId: string, amount: bigint, payable = 0n): PayeeMoney => ({ institutionId, amount, payable });

/** A whole award state: per payee 0 ≤ payable ≤ amount, and 0 ≤ reserved ≤ Σ(amount − payable). */
export const arbAwardMoney: fc.Arbitrary<AwardMoney> = fc
  .uniqueArray(
    fc.record({
      institutionId: fc.constantFrom(...INSTITUTIONS),
      amount: fc.bigInt({ min: 0n, max: 5_000_000n }),
      payableShare: fc.integer({ min: 0, max: 100 }),
    }),
    { selector: (p) => p.institutionId, maxLength: INSTITUTIONS.length },
  )
  .chain((rows) => {
    const payees = rows
      .map((r) => payee(r.institutionId, r.amount, (r.amount * BigInt(r.payableShare)) / 100n))
      .sort((a, b) => (a.institutionId < b.institutionId ? -1 : 1));
    return fc.bigInt({ min: 0n, max: reserveTargetOf(payees) }).map((reserved) => ({ payees, reserved }));
  });

/** New non-zero payouts to some of the institutions. */
export const arbPayouts: fc.Arbitrary<Map<string, bigint>> = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...INSTITUTIONS), fc.bigInt({ min: 1n, max: 5_000_000n })), { selector: ([id]) => id, maxLength: 4 })
  .map((pairs) => new Map(pairs));

describe('planRecompute (examples)', () => {
  it('a new award needs its payout total reserved, and releases nothing', () => {
    const plan = planRecompute(
      { payees: [], reserved: 0n },
      new Map([
        ['i-a', 700n],
        ['i-b', 300n],
      ]),
    );
    expect(plan).toEqual({
      payableReleases: [],
      reserveRelease: 0n,
      next: { payees: [payee('i-a', 700n), payee('i-b', 300n)], reserved: 0n },
      reserveTarget: 1000n,
    });
  });

  it('a decrease before finalisation releases the excess reservation at once', () => {
    const plan = planRecompute({ payees: [payee('i-a', 1000n)], reserved: 1000n }, new Map([['i-a', 600n]]));
    expect(plan.reserveRelease).toBe(400n);
    expect(plan.next).toEqual({ payees: [payee('i-a', 600n)], reserved: 600n });
    expect(plan.payableReleases).toEqual([]);
  });

  it('a decrease after finalisation moves the difference payable → available; an increase awaits a new reservation', () => {
    const final: AwardMoney = { payees: [payee('i-a', 1000n, 1000n), payee('i-b', 500n, 500n)], reserved: 0n };
    const plan = planRecompute(
      final,
      new Map([
        ['i-a', 400n],
        ['i-b', 800n],
      ]),
    );
    expect(plan.payableReleases).toEqual([{ institutionId: 'i-a', amount: 600n }]);
    expect(plan.next.payees).toEqual([payee('i-a', 400n, 400n), payee('i-b', 800n, 500n)]);
    expect(plan.reserveTarget).toBe(300n);
    expect(plan.next.reserved).toBe(0n);
  });

  it('keeps institutions that contributed days but are not paid as zero rows, and former payees too', () => {
    const plan = planRecompute({ payees: [payee('i-c', 200n)], reserved: 200n }, new Map([['i-a', 100n]]), ['i-b']);
    expect(plan.next.payees.map((p) => [p.institutionId, p.amount])).toEqual([
      ['i-a', 100n],
      ['i-b', 0n],
      ['i-c', 0n],
    ]);
    expect(plan.reserveRelease).toBe(100n);
  });

  it('refuses a state that is not whole', () => {
    expect(() => planRecompute({ payees: [payee('i-a', 100n, 101n)], reserved: 0n }, new Map())).toThrow(InvariantError);
    expect(() => planRecompute({ payees: [payee('i-a', 100n)], reserved: 101n }, new Map())).toThrow(/reserved 101 outside/);
    expect(() => planRecompute({ payees: [], reserved: -1n }, new Map())).toThrow(InvariantError);
    expect(() => planRecompute({ payees: [payee('i-a', 1n), payee('i-a', 1n)], reserved: 0n }, new Map())).toThrow(/listed twice/);
    expect(() => planRecompute({ payees: [], reserved: 0n }, new Map([['i-a', -5n]]))).toThrow(/negative/);
  });
});

describe('planFinalise and statusOf (examples)', () => {
  it('moves exactly the reservation to the payees, leaving each payable at its payout', () => {
    const money: AwardMoney = { payees: [payee('i-a', 1000n, 400n), payee('i-b', 0n), payee('i-c', 250n)], reserved: 850n };
    const plan = planFinalise(money);
    expect(plan.moves).toEqual([
      { institutionId: 'i-a', amount: 600n },
      { institutionId: 'i-c', amount: 250n },
    ]);
    expect(plan.next).toEqual({ payees: [payee('i-a', 1000n, 1000n), payee('i-b', 0n), payee('i-c', 250n, 250n)], reserved: 0n });
  });

  it('refuses an award that is not fully funded', () => {
    expect(() => planFinalise({ payees: [payee('i-a', 1000n)], reserved: 999n })).toThrow(/only a fully funded award/);
  });

  it.each([
    [{ earned: true, reserved: 5n, reserveTarget: 10n, openObjections: 1 }, 'awaiting_funds'],
    [{ earned: true, reserved: 10n, reserveTarget: 10n, openObjections: 0 }, 'provisional'],
    [{ earned: true, reserved: 10n, reserveTarget: 10n, openObjections: 2 }, 'held'],
    [{ earned: true, reserved: 0n, reserveTarget: 0n, openObjections: 1 }, 'final'],
    [{ earned: false, reserved: 0n, reserveTarget: 0n, openObjections: 0 }, 'not_earned'],
  ] as const)('statusOf(%o) = %s', (input, status) => {
    expect(statusOf(input)).toBe(status);
  });
});

describe('lifecycle properties', () => {
  it('a recomputation keeps the money whole and conserved, and pays exactly the new payouts', () => {
    fc.assert(
      fc.property(arbAwardMoney, arbPayouts, fc.subarray(INSTITUTIONS), (current, payouts, involved) => {
        const plan = planRecompute(current, payouts, involved);
        assertAwardMoney(plan.next);
        // Payee rows: the union of old payees, new payees and involved institutions, sorted, amounts = new payouts.
        const ids = [...new Set([...current.payees.map((p) => p.institutionId), ...payouts.keys(), ...involved])].sort();
        expect(plan.next.payees.map((p) => p.institutionId)).toEqual(ids);
        for (const p of plan.next.payees) expect(p.amount).toBe(payouts.get(p.institutionId) ?? 0n);
        // Conservation: what the award held = what it holds + what it released.
        const released = plan.reserveRelease + plan.payableReleases.reduce((s, r) => s + r.amount, 0n);
        expect(current.reserved + payableOf(current.payees)).toBe(plan.next.reserved + payableOf(plan.next.payees) + released);
        // Only the differences move: a reservation is released only down to the target, payables only down to the payout.
        expect(plan.next.reserved).toBe(current.reserved < plan.reserveTarget ? current.reserved : plan.reserveTarget);
        for (const r of plan.payableReleases) {
          const before = current.payees.find((p) => p.institutionId === r.institutionId)!;
          expect(r.amount).toBe(before.payable - (payouts.get(r.institutionId) ?? 0n));
        }
        expect(plan.reserveTarget).toBe(reserveTargetOf(plan.next.payees));
      }),
    );
  });

  it('recomputing with the same payouts is a no-op', () => {
    fc.assert(
      fc.property(arbAwardMoney, (current) => {
        const same = new Map(current.payees.filter((p) => p.amount > 0n).map((p) => [p.institutionId, p.amount]));
        const plan = planRecompute(current, same);
        expect(plan.payableReleases).toEqual([]);
        expect(plan.reserveRelease).toBe(0n);
        expect(plan.next).toEqual(current);
      }),
    );
  });

  it('funding then finalising any recomputed award makes every payable its payout and empties the reservation', () => {
    fc.assert(
      fc.property(arbAwardMoney, arbPayouts, (current, payouts) => {
        const plan = planRecompute(current, payouts);
        const funded: AwardMoney = { ...plan.next, reserved: plan.reserveTarget };
        const fin = planFinalise(funded);
        expect(fin.moves.reduce((s, m) => s + m.amount, 0n)).toBe(plan.reserveTarget);
        expect(fin.next.reserved).toBe(0n);
        for (const p of fin.next.payees) expect(p.payable).toBe(payouts.get(p.institutionId) ?? 0n);
        expect(reserveTargetOf(fin.next.payees)).toBe(0n);
      }),
    );
  });

  it('statusOf: awaiting exactly while under-reserved, then held / provisional / final / not earned', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 0n, max: 100n }), fc.nat(3), (earned, reserved, target, open) => {
        const status = statusOf({ earned, reserved, reserveTarget: target, openObjections: open });
        if (reserved < target) expect(status).toBe('awaiting_funds');
        else if (target > 0n) expect(status).toBe(open > 0 ? 'held' : 'provisional');
        else expect(status).toBe(earned ? 'final' : 'not_earned');
      }),
    );
  });
});
