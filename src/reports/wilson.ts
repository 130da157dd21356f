/**
 * The Wilson score interval for a proportion (Wilson 1927): with `earned` of `measured` children,
 * the interval of the true earn rate at the confidence whose normal quantile is `z`. Unlike the
 * plain p ± z·√(p(1−p)/n) it never leaves [0, 1] and stays sensible for rates near 0 or 1 and
 * for small n. Inputs are exact integers; the interval is a statistic, not money, so it is a
 * double (rounded for display by the caller).
 */

/** The standard normal quantile for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

export function wilsonInterval(earned: number, measured: number, z: number = Z_95): Interval {
  if (!Number.isSafeInteger(earned) || !Number.isSafeInteger(measured)) throw new RangeError('wilsonInterval: counts must be integers');
  if (measured <= 0 || earned < 0 || earned > measured) throw new RangeError('wilsonInterval: need 0 ≤ earned ≤ measured and measured > 0');
  if (!(z > 0)) throw new RangeError('wilsonInterval: z must be positive');
  const n = measured;
  const p = earned / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At p = 0 (or 1) the bound is exactly 0 (or 1); rounding must not push it past.
  const low = earned === 0 ? 0 : Math.max(0, centre - half);
  const high = earned === measured ? 1 : Math.min(1, centre + half);
  if (!(low <= p && p <= high)) throw new Error('wilsonInterval: the interval must contain the observed rate');
  return { low, high };
}
