import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../src/reports/wilson.js';

describe('wilsonInterval', () => {
  it('matches published values (Newcombe 1998, table I, method 3)', () => {
    // 81/263: 0.2553–0.3662; 15/148: 0.0624–0.1605; 0/20: 0–0.1611; 1/29: 0.0061–0.1718.
    const cases: Array<[number, number, number, number]> = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [e, n, low, high] of cases) {
      const ci = wilsonInterval(e, n);
      expect(ci.low).toBeCloseTo(low, 4);
      expect(ci.high).toBeCloseTo(high, 4);
    }
  });

  it('is exactly 1 at the top when everyone earned', () => {
    expect(wilsonInterval(20, 20).high).toBe(1);
    expect(wilsonInterval(20, 20).low).toBeCloseTo(1 - 0.1611, 4);
  });

  it('always lies in [0, 1], contains the observed rate and narrows as n grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const e = Math.floor(share * n);
        const ci = wilsonInterval(e, n);
        expect(ci.low).toBeGreaterThanOrEqual(0);
        expect(ci.high).toBeLessThanOrEqual(1);
        expect(ci.low).toBeLessThanOrEqual(e / n);
        expect(ci.high).toBeGreaterThanOrEqual(e / n);
        const wider = wilsonInterval(e, n);
        const narrower = wilsonInterval(e * 4, n * 4);
        expect(narrower.high - narrower.low).toBeLessThanOrEqual(wider.high - wider.low + 1e-12);
      }),
    );
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(1, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0.5, 2)).toThrow(RangeError);
  });
});
