import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodes, rational as q, roundLargestRemainder } from '../../../src/settlement/index.js';

const r = (num: bigint, den = 1n) => q.rational(num, den);

describe('compareCodes', () => {
  it('is byte order, not UTF-16 order', () => {
    // U+FF5E is one UTF-16 unit greater than a surrogate (0xD83D…), but smaller as UTF-8 bytes.
    const bmp = '\uFF5E';
    const astral = '\u{1F600}';
    expect(bmp < astral).toBe(false); // what a plain `<` would say
    expect(compareCodes(bmp, astral)).toBeLessThan(0);
    expect(compareCodes('B-10', 'B-9')).toBeLessThan(0);
    expect(compareCodes('Z', 'a')).toBeLessThan(0);
    expect(compareCodes('ø', 'z')).toBeGreaterThan(0);
    expect(compareCodes('K-A', 'K-A')).toBe(0);
  });
});

describe('roundLargestRemainder', () => {
  it('gives each its floor and the missing øre to the largest remainders', () => {
    const { payees, retained } = roundLargestRemainder(
      10n,
      [
        { code: 'A', exact: r(37n, 10n) }, // 3.7
        { code: 'B', exact: r(21n, 10n) }, // 2.1
      ],
      r(42n, 10n), // 4.2
    );
    expect(payees.map((part) => part.amount)).toEqual([4n, 2n]);
    expect(retained.amount).toBe(4n);
    // Σ floors = 9, so one øre is missing: it goes to the largest remainder (A's 0.7).
    expect(payees.map((part) => part.adjustment)).toEqual([1n, 0n]);
  });

  it('breaks a tie between a payee and the retained part in favour of the payee', () => {
    const { payees, retained } = roundLargestRemainder(1n, [{ code: 'V-101', exact: r(1n, 2n) }], r(1n, 2n));
    expect(payees[0]?.amount).toBe(1n);
    expect(retained.amount).toBe(0n);
  });

  it('breaks ties between payees by ascending code in byte order', () => {
    const third = r(1n, 3n);
    const { payees, retained } = roundLargestRemainder(
      1n,
      // Listed out of order on purpose: the tie-break is by code, not position.
      [
        { code: 'b', exact: third },
        { code: 'B', exact: third },
      ],
      third,
    );
    expect(payees.map((part) => part.amount)).toEqual([0n, 1n]); // 'B' (0x42) < 'b' (0x62)
    expect(retained.amount).toBe(0n);

    const two = roundLargestRemainder(
      2n,
      [
        { code: '\u{1F600}', exact: r(2n, 3n) },
        { code: '\uFF5E', exact: r(2n, 3n) },
      ],
      r(2n, 3n),
    );
    expect(two.payees.map((part) => part.amount)).toEqual([1n, 1n]);
    expect(two.retained.amount).toBe(0n);

    const one = roundLargestRemainder(
      1n,
      [
        { code: '\u{1F600}', exact: r(1n, 2n) },
        { code: '\uFF5E', exact: r(1n, 2n) },
      ],
      q.ZERO,
    );
    expect(one.payees.map((part) => part.amount)).toEqual([0n, 1n]); // U+FF5E is smaller in UTF-8
  });

  it('leaves exact amounts alone', () => {
    const { payees, retained } = roundLargestRemainder(100n, [{ code: 'A', exact: r(60n) }], r(40n));
    expect(payees[0]).toMatchObject({ amount: 60n, adjustment: 0n });
    expect(retained).toMatchObject({ amount: 40n, adjustment: 0n });
  });

  it('refuses shares that do not add up to the total', () => {
    expect(() => roundLargestRemainder(10n, [{ code: 'A', exact: r(3n) }], r(6n))).toThrow(RangeError);
  });

  it('always sums to the total with every part its floor or ceiling', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 1n, max: 10n ** 6n })), { minLength: 1, maxLength: 8 }),
        (total, raw) => {
          // Cut `total` into exact parts proportional to random weights; the last part is the retained one.
          const weights = raw.map(([num]) => num + 1n);
          const weightSum = weights.reduce((a, b) => a + b, 0n);
          const exacts = weights.map((weight) => r(total * weight, weightSum));
          const payees = exacts.slice(0, -1).map((exact, index) => ({ code: `C${String(index).padStart(2, '0')}`, exact }));
          const retained = exacts[exacts.length - 1] ?? q.ZERO;
          const result = roundLargestRemainder(total, payees, retained);
          const parts = [...result.payees, result.retained];
          expect(parts.reduce((sum, part) => sum + part.amount, 0n)).toBe(total);
          for (const part of parts) {
            expect(part.amount === q.floor(part.exact) || part.amount === q.ceil(part.exact)).toBe(true);
          }
        },
      ),
    );
  });
});
