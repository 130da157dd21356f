import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDayNumber, parseSeasonStart, toDayNumber, windowRangeForBirthDate, type AgeBasis } from '../../../src/settlement/index.js';

function isoRange(basis: AgeBasis, birth: string, from: number, to: number, season: string | null = null) {
  const range = windowRangeForBirthDate(basis, birth, { from, to }, season);
  return [fromDayNumber(range.start), fromDayNumber(range.end), range.end - range.start] as const;
}

describe('months', () => {
  it('is [B + from months, B + to months)', () => {
    expect(isoRange('months', '2019-03-15', 0, 36)).toEqual(['2019-03-15', '2022-03-15', 1096]);
    expect(isoRange('months', '2017-02-10', 36, 72)).toEqual(['2020-02-10', '2023-02-10', 1096]);
  });

  it('clamps at month ends', () => {
    expect(isoRange('months', '2020-02-29', 12, 24)).toEqual(['2021-02-28', '2022-02-28', 365]);
    expect(isoRange('months', '2019-01-31', 1, 2)).toEqual(['2019-02-28', '2019-03-31', 31]);
  });
});

describe('calendar_years', () => {
  it('runs from 1 January of the year the child turns `from` to 1 January of the year it turns `to`', () => {
    expect(isoRange('calendar_years', '2003-09-05', 6, 7)).toEqual(['2009-01-01', '2010-01-01', 365]);
    expect(isoRange('calendar_years', '2003-09-05', 16, 22)).toEqual(['2019-01-01', '2025-01-01', 2192]);
    expect(isoRange('calendar_years', '2001-04-22', 12, 13)).toEqual(['2013-01-01', '2014-01-01', 365]);
    expect(isoRange('calendar_years', '1999-12-31', 1, 2)).toEqual(['2000-01-01', '2001-01-01', 366]);
  });
});

describe('seasons', () => {
  it('starts each bound at the season containing the birthday', () => {
    // Birthday after the season start: that same year's season.
    expect(isoRange('seasons', '2015-10-10', 3, 6, '08-01')).toEqual(['2018-08-01', '2021-08-01', 1096]);
    // Birthday before the season start: the season that began the year before.
    expect(isoRange('seasons', '2015-05-10', 3, 6, '08-01')).toEqual(['2017-08-01', '2020-08-01', 1096]);
  });

  it('counts a birthday on the season start as in the new season (latest MM-DD ≤ d)', () => {
    expect(isoRange('seasons', '2015-08-01', 3, 4, '08-01')).toEqual(['2018-08-01', '2019-08-01', 365]);
    expect(isoRange('seasons', '2015-07-31', 3, 4, '08-01')).toEqual(['2017-08-01', '2018-08-01', 365]);
  });

  it('uses month-clamped birthdays for children born on 29 February', () => {
    // 1st birthday 2021-02-28 (clamped), before the 03-01 season start → season of 2020.
    expect(isoRange('seasons', '2020-02-29', 1, 4, '03-01')).toEqual(['2020-03-01', '2023-03-01', 1095]);
    // 4th birthday 2024-02-29 is itself after a 02-29 season start in a leap year.
    expect(isoRange('seasons', '2020-02-29', 4, 5, '02-29')).toEqual(['2024-02-29', '2025-02-28', 365]);
  });

  it('starts a 02-29 season on 28 February in common years', () => {
    expect(isoRange('seasons', '2019-06-01', 1, 2, '02-29')).toEqual(['2020-02-29', '2021-02-28', 365]);
  });

  it('with season_start 01-01 equals calendar_years', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber('1950-01-01'), max: toDayNumber('2030-12-31') }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 1, max: 10 }),
        (birth, from, length) => {
          const birthDate = fromDayNumber(birth);
          const window = { from, to: from + length };
          expect(windowRangeForBirthDate('seasons', birthDate, window, '01-01')).toEqual(windowRangeForBirthDate('calendar_years', birthDate, window));
        },
      ),
    );
  });

  it('requires a valid season_start', () => {
    expect(() => windowRangeForBirthDate('seasons', '2015-10-10', { from: 1, to: 2 }, null)).toThrow(RangeError);
    for (const bad of ['02-30', '13-01', '00-10', '8-1', '08-01-01']) expect(() => parseSeasonStart(bad)).toThrow(RangeError);
    expect(parseSeasonStart('02-29')).toEqual({ month: 2, day: 29 });
  });
});
