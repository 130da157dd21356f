/**
 * Window date ranges (SETTLEMENT.md §4). A window `{from, to}` is read relative to the
 * child's birth date according to the rule version's `age_basis`; the result is a
 * half-open range of day numbers `[start, end)`.
 */
import { addMonthsCivil, daysFromCivil, daysInMonth, parseIsoDate, type CivilDate } from './dates.js';
import type { AgeBasis, IsoDate } from './types.js';

/** Half-open `[start, end)` in day numbers (see dates.ts). */
export interface DayRange {
  readonly start: number;
  readonly end: number;
}

/** Month and day of a season start, parsed from `"MM-DD"`. */
export interface SeasonStart {
  readonly month: number;
  readonly day: number;
}

const SEASON_START = /^(\d{2})-(\d{2})$/;

/**
 * Parses `"MM-DD"`. 02-29 is accepted (it is a real date in leap years); in other years that
 * season starts on 28 February, clamped like month arithmetic (§4).
 */
export function parseSeasonStart(text: string): SeasonStart {
  const match = SEASON_START.exec(text);
  if (match) {
    const month = Number(match[1]);
    const day = Number(match[2]);
    // 2000 is a leap year, so this accepts exactly the days that exist in some year.
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(2000, month)) return { month, day };
  }
  throw new RangeError(`invalid season_start: ${JSON.stringify(text)} (expected MM-DD)`);
}

function seasonStartIn(year: number, season: SeasonStart): number {
  return daysFromCivil(year, season.month, Math.min(season.day, daysInMonth(year, season.month)));
}

/** Day number of the start of the season containing `date`: the latest MM-DD on or before it. */
export function seasonStartOn(date: CivilDate, season: SeasonStart): number {
  const sameYear = seasonStartIn(date.year, season);
  return sameYear <= daysFromCivil(date.year, date.month, date.day) ? sameYear : seasonStartIn(date.year - 1, season);
}

function civilDayNumber(date: CivilDate): number {
  return daysFromCivil(date.year, date.month, date.day);
}

/**
 * Boundary `age` of a window for a child born on `birth`:
 * - months: B + age months (clamped to month end);
 * - calendar_years: 1 January of year(B) + age;
 * - seasons: start of the season containing the birthday B + 12·age months.
 */
export function windowBoundary(basis: AgeBasis, birth: CivilDate, age: number, season: SeasonStart | null): number {
  switch (basis) {
    case 'months':
      return civilDayNumber(addMonthsCivil(birth, age));
    case 'calendar_years':
      if (!Number.isInteger(age)) throw new RangeError(`window bound must be an integer: ${age}`);
      return daysFromCivil(birth.year + age, 1, 1);
    case 'seasons':
      if (season === null) throw new RangeError('age_basis "seasons" requires season_start');
      return seasonStartOn(addMonthsCivil(birth, 12 * age), season);
    default:
      throw new RangeError(`unknown age_basis: ${String(basis satisfies never)}`);
  }
}

/** The window `[boundary(from), boundary(to))`. */
export function windowRange(
  basis: AgeBasis,
  birth: CivilDate,
  window: { readonly from: number; readonly to: number },
  season: SeasonStart | null = null,
): DayRange {
  return {
    start: windowBoundary(basis, birth, window.from, season),
    end: windowBoundary(basis, birth, window.to, season),
  };
}

/** Convenience form taking ISO strings, e.g. for callers outside the core. */
export function windowRangeForBirthDate(
  basis: AgeBasis,
  birthDate: IsoDate,
  window: { readonly from: number; readonly to: number },
  seasonStart: string | null = null,
): DayRange {
  const season = basis === 'seasons' && seasonStart !== null ? parseSeasonStart(seasonStart) : null;
  return windowRange(basis, parseIsoDate(birthDate), window, season);
}

/** |D_w|: the number of days in a range (0 for an empty or inverted one). */
export function rangeLength(range: DayRange): number {
  return Math.max(0, range.end - range.start);
}
