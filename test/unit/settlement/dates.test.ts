import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  civilFromDays,
  compareDates,
  daysFromCivil,
  fromDayNumber,
  isIsoDate,
  isLeapYear,
  maxDate,
  minDate,
  parseIsoDate,
  toDayNumber,
} from '../../../src/settlement/index.js';

/** Oracle for tests only: UTC milliseconds carry no time zone, and years ≥ 1000 avoid Date's 0–99 quirk. */
function utcDayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

describe('parseIsoDate / isIsoDate', () => {
  it('accepts real calendar dates', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
    expect(parseIsoDate('0001-01-01')).toEqual({ year: 1, month: 1, day: 1 });
    expect(isIsoDate('1999-12-31')).toBe(true);
  });

  it.each([
    '2023-02-30',
    '2023-02-29', // not a leap year
    '1900-02-29', // century, not a leap year
    '2023-04-31',
    '2023-13-01',
    '2023-00-10',
    '2023-01-00',
    '2023-1-01',
    '23-01-01',
    '2023-01-01T00:00:00Z',
    ' 2023-01-01',
    '2023/01/01',
    '',
  ])('rejects %j', (text) => {
    expect(() => parseIsoDate(text)).toThrow(RangeError);
    expect(isIsoDate(text)).toBe(false);
  });

  it('rejects non-strings in the guard', () => {
    expect(isIsoDate(20230101)).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('leap years', () => {
  it('follows the Gregorian rule', () => {
    expect([1900, 2000, 2004, 2023, 2024, 2100, 2400].map(isLeapYear)).toEqual([false, true, true, false, true, false, true]);
  });
});

describe('day numbers', () => {
  it('counts from 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1970-01-02')).toBe(1);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01')).toBe(11017);
  });

  it('gets across century years right (1900 no leap day, 2000 a leap day)', () => {
    expect(toDayNumber('1900-03-01') - toDayNumber('1900-02-28')).toBe(1);
    expect(toDayNumber('2000-03-01') - toDayNumber('2000-02-28')).toBe(2);
    expect(toDayNumber('2100-03-01') - toDayNumber('2100-02-28')).toBe(1);
    expect(toDayNumber('1901-01-01') - toDayNumber('1900-01-01')).toBe(365);
    expect(toDayNumber('2001-01-01') - toDayNumber('2000-01-01')).toBe(366);
    expect(toDayNumber('1900-01-01')).toBe(-25567);
    expect(toDayNumber('2000-01-01')).toBe(10957);
    expect(fromDayNumber(-25567)).toBe('1900-01-01');
    expect(fromDayNumber(toDayNumber('2000-02-29'))).toBe('2000-02-29');
  });

  it('agrees with a UTC oracle and round-trips, for every valid date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const valid = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
        expect(isIsoDate(iso)).toBe(valid);
        if (!valid) return;
        expect(toDayNumber(iso)).toBe(utcDayNumber(year, month, day));
        expect(fromDayNumber(toDayNumber(iso))).toBe(iso);
      }),
    );
  });

  it('civilFromDays inverts daysFromCivil over many eras, negative ones included', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800_000, max: 2_900_000 }), (dayNumber) => {
        const civil = civilFromDays(dayNumber);
        expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(dayNumber);
        expect(civilFromDays(dayNumber + 1)).not.toEqual(civil);
      }),
    );
  });
});

describe('addMonths', () => {
  it('keeps the day of month', () => {
    expect(addMonths('2019-03-15', 36)).toBe('2022-03-15');
    expect(addMonths('2019-03-15', 0)).toBe('2019-03-15');
    expect(addMonths('2019-03-15', -3)).toBe('2018-12-15');
    expect(addMonths('2019-11-30', 3)).toBe('2020-02-29');
  });

  it('clamps to the end of the month (§4 examples)', () => {
    expect(addMonths('2020-02-29', 12)).toBe('2021-02-28');
    expect(addMonths('2019-01-31', 1)).toBe('2019-02-28');
    expect(addMonths('2020-01-31', 1)).toBe('2020-02-29');
    expect(addMonths('2019-01-31', 3)).toBe('2019-04-30');
    expect(addMonths('2019-03-31', -1)).toBe('2019-02-28');
    expect(addMonths('1900-01-31', 1)).toBe('1900-02-28');
    expect(addMonths('2000-01-31', 1)).toBe('2000-02-29');
  });

  it('always counts from the original date (no drift through short months)', () => {
    expect(addMonths('2020-02-29', 48)).toBe('2024-02-29');
    expect(addMonths('2019-01-31', 2)).toBe('2019-03-31');
  });

  it('is monotone and lands in the right month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1800 * 12, max: 2200 * 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: -240, max: 240 }),
        (monthIndex, day, months) => {
          const year = Math.floor(monthIndex / 12);
          const month = (monthIndex % 12) + 1;
          const start = fromDayNumber(daysFromCivil(year, month, 1) + day - 1); // may spill into next month
          const shifted = addMonths(start, months);
          const startDate = parseIsoDate(start);
          const target = startDate.year * 12 + startDate.month - 1 + months;
          const shiftedDate = parseIsoDate(shifted);
          expect(shiftedDate.year * 12 + shiftedDate.month - 1).toBe(target);
          expect(shiftedDate.day).toBeLessThanOrEqual(startDate.day);
          expect(compareDates(addMonths(start, months), addMonths(start, months + 1))).toBe(-1);
        },
      ),
    );
  });
});

describe('compare / min / max', () => {
  it('orders chronologically', () => {
    expect(compareDates('2019-12-31', '2020-01-01')).toBe(-1);
    expect(compareDates('2020-01-01', '2020-01-01')).toBe(0);
    expect(compareDates('2020-10-01', '2020-09-30')).toBe(1);
    expect(minDate('2020-10-01', '2020-09-30')).toBe('2020-09-30');
    expect(maxDate('2020-10-01', '2020-09-30')).toBe('2020-10-01');
  });
});
