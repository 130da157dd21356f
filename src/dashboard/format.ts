import { formatKroner } from '../domain/money.js';

/**
 * What the dashboard's templates print: Danish amounts from integer øre ("1.234.567,89 kr."),
 * rates as percentages with the decimal comma, counts with thousands points. Pure.
 */
export const kr = (ore: bigint | number | string | null | undefined): string =>
  ore === null || ore === undefined ? '–' : formatKroner(typeof ore === 'bigint' ? ore : BigInt(ore));

export const count = (n: number | bigint | null | undefined): string =>
  n === null || n === undefined ? '–' : n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** 0.7012 → "70,1 %" (a statistic, not money: a double is fine). */
export const percent = (rate: number | null | undefined, decimals = 1): string =>
  rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(decimals).replace('.', ',')} %`;

/** Percentage points with a sign: 4.25 → "+4,3 pp". */
export const points = (pp: number | null | undefined): string =>
  pp === null || pp === undefined ? '–' : `${pp > 0 ? '+' : ''}${pp.toFixed(1).replace('.', ',')} pp`;

export const date = (d: Date | string | null | undefined): string =>
  d === null || d === undefined ? '–' : d instanceof Date ? d.toISOString().slice(0, 10) : d.slice(0, 10);

/** Basis points as a percentage with two decimals, in integers (3333 → '33,33'): a rule's shares are exact. */
export const bp = (basisPoints: number): string => `${Math.trunc(basisPoints / 100)},${String(Math.abs(basisPoints) % 100).padStart(2, '0')}`;
export const helpers = { kr, count, percent, points, date, bp };
export type Helpers = typeof helpers;
