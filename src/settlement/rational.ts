/**
 * Exact rational numbers over bigint (SETTLEMENT.md §5: "all of the above is exact rational
 * arithmetic (no floating point)").
 *
 * A Rational is always normalised: `den > 0` and `gcd(|num|, den) = 1`, so two equal values
 * have equal fields and `toFraction` is canonical. Integer-only operands (den = 1, the common
 * case for whole days and øre) take a fast path that skips the gcd.
 */

export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export const ZERO: Rational = Object.freeze({ num: 0n, den: 1n });
export const ONE: Rational = Object.freeze({ num: 1n, den: 1n });

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Integer division rounding towards −∞ (bigint `/` truncates towards zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** The normalised rational num/den. */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError('rational with zero denominator');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (den === 1n) return { num, den };
  const g = gcd(num, den);
  return g === 1n ? { num, den } : { num: num / g, den: den / g };
}

export function fromInteger(n: bigint | number): Rational {
  return { num: BigInt(n), den: 1n };
}

export function add(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num + b.num, den: 1n };
  if (a.den === b.den) return rational(a.num + b.num, a.den);
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, { num: -b.num, den: b.den });
}

export function mul(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num * b.num, den: 1n };
  return rational(a.num * b.num, a.den * b.den);
}

export function div(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new RangeError('division by zero');
  return rational(a.num * b.den, a.den * b.num);
}

export function floor(r: Rational): bigint {
  return r.den === 1n ? r.num : floorDiv(r.num, r.den);
}

export function ceil(r: Rational): bigint {
  return -floorDiv(-r.num, r.den);
}

/** `r − floor(r)`, in [0, 1). */
export function fractionalPart(r: Rational): Rational {
  return r.den === 1n ? ZERO : { num: r.num - floor(r) * r.den, den: r.den };
}

export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  // Denominators are positive, so cross-multiplying keeps the order.
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

export function isZero(r: Rational): boolean {
  return r.num === 0n;
}

export function isInteger(r: Rational): boolean {
  return r.den === 1n;
}

/** Canonical `"n/d"` in lowest terms (`"n/1"` for integers), e.g. for explanations. */
export function toFraction(r: Rational): string {
  return `${r.num}/${r.den}`;
}

/** Parses `"n/d"` or `"n"` (integers only, any sign) back into a normalised Rational. */
export function parseFraction(text: string): Rational {
  const match = /^(-?\d+)(?:\/(-?\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a fraction: ${JSON.stringify(text)}`);
  return rational(BigInt(match[1] as string), match[2] === undefined ? 1n : BigInt(match[2]));
}

// Explanations render many decimals with the same number of places: reuse the power of ten.
const powersOfTen: bigint[] = [];
function powerOfTen(exponent: number): bigint {
  return (powersOfTen[exponent] ??= 10n ** BigInt(exponent));
}

/**
 * Decimal rendering for humans with exactly `places` digits after the point, **truncated
 * towards zero** (never rounded: a rendered value never overstates what was owed; the exact
 * value is the fraction). E.g. 2/3 → "0.666666", −2/3 → "-0.666666", 5 → "5.000000".
 */
export function toDecimal(r: Rational, places = 6): string {
  if (!Number.isInteger(places) || places < 0) throw new RangeError(`invalid decimal places: ${places}`);
  if (r.den === 1n) return places === 0 ? `${r.num}` : `${r.num}.${'0'.repeat(places)}`; // whole days and øre
  const negative = r.num < 0n;
  const scaled = (abs(r.num) * powerOfTen(places)) / r.den; // truncation of |r|
  const digits = scaled.toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places);
  const sign = negative && scaled !== 0n ? '-' : '';
  return places === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}
