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

/** Basis points as a percentage with two decimals, in integers (3333 → '33,33'): a rule's shares are exact. */
export const bp = (basisPoints: number): string => `${Math.trunc(basisPoints / 100)},${String(Math.abs(basisPoints) % 100).padStart(2, '0')}`;

type When = Date | string | null | undefined;
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The helpers, with instants shown in the business time zone (BUSINESS_TIME_ZONE): a timestamp's
 * UTC date is the day before Copenhagen's from 23:00 UTC (22:00 in summer).
 *  - `date`: a plain date ('YYYY-MM-DD') as it is; an instant as its business date;
 *  - `instant`: an instant as 'YYYY-MM-DD HH:MM' on the business clock.
 */
export function helpersFor(timeZone: string) {
  const clock = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const local = (d: Date | string): string => {
    const parts = Object.fromEntries(clock.formatToParts(typeof d === 'string' ? new Date(d) : d).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  };
  const date = (d: When): string => (d === null || d === undefined ? '–' : typeof d === 'string' && PLAIN_DATE.test(d) ? d : local(d).slice(0, 10));
  const instant = (d: When): string => (d === null || d === undefined ? '–' : local(d));
  return { kr, count, percent, points, date, instant, bp };
}
export type Helpers = ReturnType<typeof helpersFor>;
