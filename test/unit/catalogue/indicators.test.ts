import { describe, expect, it } from 'vitest';
import { FAMILIES, INDICATORS, catalogueKind } from '../../../src/catalogue/indicators.js';
import { isIsoDate } from '../../../src/settlement/dates.js';

const KEY = /^[a-z][a-z0-9_.-]{0,62}$/;
const grades = (key: string) => catalogueKind(key)!.periods.map((p) => p.grade);

describe('indicator catalogue data', () => {
  it('has unique, well-formed keys, periods and families', () => {
    expect(new Set(INDICATORS.map((k) => k.key)).size).toBe(INDICATORS.length);
    for (const k of INDICATORS) {
      expect(k.key).toMatch(KEY);
      expect(Object.keys(FAMILIES)).toContain(k.family);
      expect(['municipality', 'stil', 'star', 'dst', 'institution']).toContain(k.source);
      expect(new Set(k.periods.map((p) => p.period)).size).toBe(k.periods.length);
      if (k.type === 'enum') expect(new Set(k.values).size).toBe(k.values!.length);
      else expect(k.values).toBeUndefined();
      if (k.valid_from && k.valid_to) expect(k.valid_from < k.valid_to).toBe(true);
      for (const p of k.periods) {
        expect(p.period).toMatch(KEY);
        expect(p.from_months).toBeLessThan(p.to_months);
        expect(p.typical_months).toBeGreaterThanOrEqual(p.from_months);
        expect(p.typical_months).toBeLessThan(p.to_months);
        expect(p.basis === 'grade').toBe(p.grade !== undefined);
        for (const d of [p.valid_from, p.valid_to]) if (d) expect(isIsoDate(d)).toBe(true);
      }
    }
  });

  it('holds what issue 12 lists', () => {
    expect(catalogueKind('sprogvurdering')!.periods.map((p) => p.period)).toEqual(expect.arrayContaining(['age-2', 'age-3']));
    // The adaptive tests until 2021/22: reading 2,4,6,8; mathematics 3,6; English 7; geography, biology, physics/chemistry 8.
    expect(grades('national_test.adaptive.reading')).toEqual([2, 4, 6, 8]);
    expect(grades('national_test.adaptive.mathematics')).toEqual(expect.arrayContaining([3, 6]));
    expect(grades('national_test.adaptive.english')).toEqual(expect.arrayContaining([7]));
    for (const s of ['geography', 'biology', 'physics_chemistry']) expect(grades(`national_test.adaptive.${s}`)).toEqual([8]);
    for (const regime of ['transition', 'skills']) {
      expect(grades(`national_test.${regime}.reading`)).toEqual([2, 3, 4, 6, 8]);
      expect(grades(`national_test.${regime}.mathematics`)).toEqual([2, 4, 6, 7, 8]);
    }
    expect(catalogueKind('national_test.adaptive.reading')!.valid_to).toBe('2022-08-01');
    expect(catalogueKind('national_test.transition.reading')).toMatchObject({ valid_from: '2022-08-01', valid_to: '2026-08-01' });
    expect(catalogueKind('national_test.skills.reading')!.valid_from).toBe('2026-08-01');
    expect(catalogueKind('elevfremmoede')).toMatchObject({ type: 'number', min: 0, max: 100 });
    expect(catalogueKind('exam.folkeskole_average')).toMatchObject({ type: 'number', min: -3, max: 12 });
    expect(catalogueKind('youth_education.admission')!.values).toEqual(expect.arrayContaining(['stx', 'hhx', 'htx', 'hf', 'eux', 'eud', 'fgu', 'epx']));
    for (const key of ['kontanthjaelp', 'neet']) {
      expect(catalogueKind(key)!.periods.map((p) => p.period)).toEqual(['age-16', 'age-17', 'age-18', 'age-19', 'age-20', 'age-21']);
    }
    expect(FAMILIES.ocn).toBeDefined();
  });

  it("keeps the seed's kinds compatible: same value types and values", () => {
    expect(catalogueKind('sprogvurdering')).toMatchObject({ type: 'enum', values: ['generel', 'fokuseret', 'saerlig'] });
    expect(catalogueKind('kontanthjaelp')!.type).toBe('boolean');
  });
});
