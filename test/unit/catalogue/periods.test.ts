import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPeriod, gradeAnchor, periodRange, typicalDate, type KindPlausibility, type PeriodSpec } from '../../../src/domain/periods.js';
import { INDICATORS } from '../../../src/catalogue/indicators.js';
import { periodSpecOf } from '../../../src/catalogue/retained-share.js';
import { addMonths, fromDayNumber, toDayNumber } from '../../../src/settlement/dates.js';

const age = (period: string, from: number, to: number): PeriodSpec => ({
  period,
  basis: 'age',
  grade: null,
  from_months: from,
  to_months: to,
  typical_months: from,
  early_years: 0,
  late_years: 0,
  valid_from: null,
  valid_to: null,
});
const grade = (g: number, from: number, to: number, early = 1, late = 2): PeriodSpec => ({
  period: `grade-${g}`,
  basis: 'grade',
  grade: g,
  from_months: from,
  to_months: to,
  typical_months: from,
  early_years: early,
  late_years: late,
  valid_from: null,
  valid_to: null,
});
const kind = (periods: PeriodSpec[], valid: { from?: string; to?: string } = {}): KindPlausibility => ({
  key: 'k',
  valid_from: valid.from ?? null,
  valid_to: valid.to ?? null,
  periods: new Map(periods.map((p) => [p.period, p])),
});

describe('period ranges', () => {
  it('age: [B + from months, B + to months), month ends clamped as in §4', () => {
    expect(periodRange(age('age-3', 30, 48), '2019-03-15')).toEqual({ start: '2021-09-15', end: '2023-03-15' });
    expect(periodRange(age('age-2', 18, 30), '2020-08-31')).toEqual({ start: '2022-02-28', end: '2023-02-28' });
  });

  it('grade: 1 August of the year the child turns 6 + grade, widened by the tolerance', () => {
    expect(gradeAnchor('2015-12-31', 0)).toBe('2021-08-01');
    expect(gradeAnchor('2015-01-01', 2)).toBe('2023-08-01');
    // grade 2 of a child born in 2015: school year 2023/24; one year early, two late.
    expect(periodRange(grade(2, 0, 12), '2015-06-01')).toEqual({ start: '2022-08-01', end: '2026-08-01' });
    expect(periodRange(grade(2, 0, 12, 0, 0), '2015-06-01')).toEqual({ start: '2023-08-01', end: '2024-08-01' });
    // Status 15 months after grade 9: 1 August + 24..28 months after the grade-9 school year starts.
    expect(periodRange(grade(9, 24, 28, 0, 0), '2008-02-02')).toEqual({ start: '2025-08-01', end: '2025-12-01' });
  });
});

describe('checkPeriod', () => {
  const k = kind([age('age-3', 30, 48), grade(2, 0, 12)]);

  it('accepts a declared period inside its range', () => {
    expect(checkPeriod(k, 'age-3', '2022-04-15', '2019-03-15')).toBeNull();
    expect(checkPeriod(k, 'grade-2', '2024-03-15', '2015-06-01')).toBeNull();
  });

  it('refuses an undeclared period, naming period', () => {
    expect(checkPeriod(k, 'age-7', '2022-04-15', '2019-03-15')).toEqual({ field: 'period', message: expect.stringContaining('age-3, grade-2') });
  });

  it('refuses measured_on outside the age or grade range, naming measured_on and the range', () => {
    expect(checkPeriod(k, 'age-3', '2023-03-15', '2019-03-15')).toEqual({
      field: 'measured_on',
      message: 'is outside the age range of period age-3 for this child: expected 2021-09-15 ≤ measured_on < 2023-03-15',
    });
    expect(checkPeriod(k, 'age-3', '2023-03-14', '2019-03-15')).toBeNull();
    expect(checkPeriod(k, 'grade-2', '2026-08-01', '2015-06-01')?.field).toBe('measured_on');
    expect(checkPeriod(k, 'grade-2', '2022-07-31', '2015-06-01')?.message).toContain('grade 2 range');
  });

  it('a kind without periods accepts any period at any age (as a vector declares its kinds)', () => {
    expect(checkPeriod(kind([]), 'whatever', '2090-01-01', '2019-03-15')).toBeNull();
  });

  it("refuses measured_on outside the kind's or the period's validity dates", () => {
    const dated = kind([{ ...grade(8, 0, 12), valid_from: '2017-08-01' }], { from: '2009-08-01', to: '2022-08-01' });
    expect(checkPeriod(dated, 'grade-8', '2022-08-01', '2008-05-05')).toEqual({
      field: 'measured_on',
      message: expect.stringContaining('until before 2022-08-01'),
    });
    expect(checkPeriod(dated, 'grade-8', '2017-03-01', '2003-05-05')).toEqual({ field: 'measured_on', message: expect.stringContaining('from 2017-08-01') });
    expect(checkPeriod(dated, 'grade-8', '2018-03-01', '2004-05-05')).toBeNull();
  });
});

describe('the catalogue is consistent with the period check', () => {
  const all = INDICATORS.flatMap((k) => k.periods.map((p) => ({ kind: k, spec: periodSpecOf(k, p.period) })));

  it('every period has a non-empty range with its typical date inside, for any birth date', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1990-01-01'), max: toDayNumber('2040-12-31') }), (day) => {
        const birth = fromDayNumber(day);
        const bad = all.filter(({ spec }) => {
          const range = periodRange(spec, birth);
          const typical = typicalDate(spec, birth);
          return !(range.start < range.end && typical >= range.start && typical < range.end);
        });
        expect(bad.map(({ kind, spec }) => `${kind.key}/${spec.period}`)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("the seed's measurements are plausible under the catalogue's kinds (sprogvurdering a month after 3, kontanthjælp on each birthday 18–21)", () => {
    const plaus = (key: string): KindPlausibility => {
      const k = INDICATORS.find((x) => x.key === key)!;
      return {
        key,
        valid_from: k.valid_from ?? null,
        valid_to: k.valid_to ?? null,
        periods: new Map(k.periods.map((p) => [p.period, periodSpecOf(k, p.period)])),
      };
    };
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('2000-01-01'), max: toDayNumber('2025-12-31') }), (day) => {
        const birth = fromDayNumber(day);
        const at = (months: number) => addMonths(birth, months); // as src/seed/population.ts dates them
        expect(checkPeriod(plaus('sprogvurdering'), 'age-3', at(37), birth)).toBeNull();
        for (const n of [18, 19, 20, 21]) expect(checkPeriod(plaus('kontanthjaelp'), `age-${n}`, at(12 * n), birth)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
