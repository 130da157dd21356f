import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rational as q } from '../../../src/settlement/index.js';

describe('rational', () => {
  it('normalises sign and common factors', () => {
    expect(q.rational(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(q.rational(0n, 7n)).toEqual({ num: 0n, den: 1n });
    expect(q.toFraction(q.rational(10n, 4n))).toBe('5/2');
    expect(() => q.rational(1n, 0n)).toThrow(RangeError);
  });

  it('does exact arithmetic', () => {
    const third = q.rational(1n, 3n);
    const sixth = q.rational(1n, 6n);
    expect(q.add(third, sixth)).toEqual(q.rational(1n, 2n));
    expect(q.sub(third, sixth)).toEqual(sixth);
    expect(q.mul(third, q.fromInteger(3))).toEqual(q.ONE);
    expect(q.div(sixth, third)).toEqual(q.rational(1n, 2n));
    expect(() => q.div(third, q.ZERO)).toThrow(RangeError);
  });

  it('floors towards −∞ and splits off the fractional part', () => {
    expect(q.floor(q.rational(7n, 2n))).toBe(3n);
    expect(q.floor(q.rational(-7n, 2n))).toBe(-4n);
    expect(q.ceil(q.rational(-7n, 2n))).toBe(-3n);
    expect(q.fractionalPart(q.rational(-7n, 2n))).toEqual(q.rational(1n, 2n));
    expect(q.floorDiv(-1n, 10000n)).toBe(-1n);
  });

  it('compares by value', () => {
    expect(q.compare(q.rational(1n, 3n), q.rational(333333n, 1000000n))).toBe(1);
    expect(q.compare(q.rational(-1n, 3n), q.rational(-1n, 2n))).toBe(1);
    expect(q.compare(q.rational(2n, 4n), q.rational(1n, 2n))).toBe(0);
  });

  it('renders decimals truncated towards zero', () => {
    expect(q.toDecimal(q.rational(2n, 3n))).toBe('0.666666');
    expect(q.toDecimal(q.rational(-2n, 3n))).toBe('-0.666666');
    expect(q.toDecimal(q.rational(-1n, 10000000n))).toBe('0.000000');
    expect(q.toDecimal(q.fromInteger(5), 2)).toBe('5.00');
    expect(q.toDecimal(q.rational(1234567n, 10n), 0)).toBe('123456');
  });

  it('parses what toFraction prints', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 30n }), (num, den) => {
        const value = q.rational(num, den);
        expect(q.parseFraction(q.toFraction(value))).toEqual(value);
        expect(q.floor(value) * value.den <= value.num).toBe(true);
        expect((q.floor(value) + 1n) * value.den > value.num).toBe(true);
      }),
    );
  });
});
