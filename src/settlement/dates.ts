/**
 * Calendar dates (SETTLEMENT.md §4) without JS `Date`.
 *
 * A `Date` is an instant, not a calendar date: its time zone and time of day can move a date
 * by one, and its parser accepts impossible dates such as 2023-02-30 (rolling them over).
 * Here a date is either an ISO `YYYY-MM-DD` string or an integer day number (days since
 * 1970-01-01 in the proleptic Gregorian calendar), and all arithmetic is on integers.
 */
import type { IsoDate } from './types.js';

export interface CivilDate {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number; // 1–31
}

/**
 * Four-digit years only: that keeps ISO strings fixed-width, so they sort chronologically. From
 * year 1: PostgreSQL has no year 0 (it is 1 BC there), so `0000-01-01` is not a date anyone can
 * store, and is refused naming its field like any other impossible date.
 */
const MIN_YEAR = 1;
const MAX_YEAR = 9999;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Integer division rounding towards −∞ (exact for the small integers used here). */
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isValidCivil(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= MIN_YEAR &&
    year <= MAX_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Parses a strict ISO `YYYY-MM-DD`; throws RangeError on anything else, e.g. 2023-02-30. */
export function parseIsoDate(iso: string): CivilDate {
  const match = ISO_DATE.exec(iso);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (isValidCivil(year, month, day)) return { year, month, day };
  }
  throw new RangeError(`invalid calendar date: ${JSON.stringify(iso)} (expected YYYY-MM-DD)`);
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  return match !== null && isValidCivil(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function formatIsoDate(date: CivilDate): IsoDate {
  const { year, month, day } = date;
  if (!isValidCivil(year, month, day)) {
    throw new RangeError(`date out of range: ${year}-${month}-${day}`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Day number of a civil date: days since 1970-01-01 (negative before).
 * Howard Hinnant's `days_from_civil`: counts in 400-year eras of 146097 days, with years
 * starting on 1 March so that the leap day is the last day of the year.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yearOfEra = y - era * 400; // [0, 399]
  const dayOfYear = floorDiv(153 * (month > 2 ? month - 3 : month + 9) + 2, 5) + day - 1; // [0, 365]
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of {@link daysFromCivil} (Hinnant's `civil_from_days`). */
export function civilFromDays(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = floorDiv(z, 146097);
  const dayOfEra = z - era * 146097; // [0, 146096]
  const yearOfEra = floorDiv(dayOfEra - floorDiv(dayOfEra, 1460) + floorDiv(dayOfEra, 36524) - floorDiv(dayOfEra, 146096), 365); // [0, 399]
  const dayOfYear = dayOfEra - (365 * yearOfEra + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100));
  const mp = floorDiv(5 * dayOfYear + 2, 153); // month counted from March, [0, 11]
  const day = dayOfYear - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function toDayNumber(iso: IsoDate): number {
  const { year, month, day } = parseIsoDate(iso);
  return daysFromCivil(year, month, day);
}

export function fromDayNumber(dayNumber: number): IsoDate {
  return formatIsoDate(civilFromDays(dayNumber));
}

/**
 * Adds whole months, keeping the day of month and clamping it to the target month's last
 * day (§4: 2020-02-29 + 12 months = 2021-02-28; 2019-01-31 + 1 month = 2019-02-28).
 * Always computed from the original date, so B + 24 months is not (B + 12) + 12.
 */
export function addMonthsCivil(date: CivilDate, months: number): CivilDate {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer: ${months}`);
  const monthIndex = date.year * 12 + (date.month - 1) + months;
  const year = floorDiv(monthIndex, 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(date.day, daysInMonth(year, month));
  if (year < MIN_YEAR || year > MAX_YEAR) throw new RangeError(`date out of range: year ${year}`);
  return { year, month, day };
}

export function addMonths(iso: IsoDate, months: number): IsoDate {
  return formatIsoDate(addMonthsCivil(parseIsoDate(iso), months));
}

/**
 * Chronological order of two valid ISO dates. Four-digit, zero-padded ISO dates sort
 * lexicographically in date order, so no parsing is needed.
 */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) <= 0 ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) >= 0 ? a : b;
}
