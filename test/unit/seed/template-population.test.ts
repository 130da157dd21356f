/**
 * The seed's template mode (docs/SEED.md; DECISIONS D172–D174): every indicator the rule
 * templates read is generated, plausible under the catalogue for every birth date, under the test
 * regime in force, and only once it has happened — from a stream that leaves the benchmarks'
 * population as it is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDICATORS } from '../../../src/catalogue/indicators.js';
import { periodSpecOf } from '../../../src/catalogue/retained-share.js';
import { RULE_TEMPLATES } from '../../../src/catalogue/rule-templates.js';
import { checkPeriod, type KindPlausibility } from '../../../src/domain/periods.js';
import { population } from '../../../src/seed/population.js';
import { readingRegime } from '../../../src/seed/indicators.js';
import { fromDayNumber, toDayNumber } from '../../../src/settlement/dates.js';
import { requirementDue } from '../../support/seed-oracle.js';

const PLAUSIBILITY = new Map<string, KindPlausibility>(
  INDICATORS.map((k) => [
    k.key,
    {
      key: k.key,
      valid_from: k.valid_from ?? null,
      valid_to: k.valid_to ?? null,
      periods: new Map(k.periods.map((p) => [p.period, periodSpecOf(k, p.period)])),
    },
  ]),
);
const REQUIREMENTS = RULE_TEMPLATES.flatMap((t) => Object.values(t.requires));
const key = (kind: string, period: string) => `${kind} ${period}`;
/** A business date from 2024 to 2040: the færdighedstest before, in and long after its first year. */
const todays = fc.integer({ min: toDayNumber('2024-01-01'), max: toDayNumber('2040-12-31') }).map(fromDayNumber);

describe('the template-mode population', () => {
  it('measures only catalogue kinds, inside their periods and validity dates, never after today (many birth dates)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), todays, (seed, today) => {
        for (const p of population({ children: 40, seed, today, indicators: 'templates' })) {
          for (const m of p.measurements) {
            const kind = PLAUSIBILITY.get(m.kind);
            expect(kind, m.kind).toBeDefined();
            expect(
              checkPeriod(kind!, m.period, m.measured_on, p.child.birth_date),
              `${m.kind} ${m.period} ${m.measured_on} born ${p.child.birth_date}`,
            ).toBeNull();
            expect(m.measured_on <= today).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('has every template requirement whose standard period has passed, none that cannot have happened', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), todays, (seed, today) => {
        for (const p of population({ children: 40, seed, today, indicators: 'templates' })) {
          const have = new Set(p.measurements.map((m) => key(m.kind, m.period)));
          for (const r of REQUIREMENTS) {
            const due = requirementDue(r, p.child.birth_date, today);
            const label = `${r.kind} ${r.period} born ${p.child.birth_date}, today ${today}: ${due}`;
            if (due === 'due') expect(have.has(key(r.kind, r.period)), label).toBe(true);
            if (due === 'never') expect(have.has(key(r.kind, r.period)), label).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reads each grade under the regime in force in its school year, and no legacy period-free reading test', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), todays, (seed, today) => {
        for (const p of population({ children: 30, seed, today, indicators: 'templates' })) {
          const year = Number(p.child.birth_date.slice(0, 4));
          for (const m of p.measurements.filter((x) => x.kind.startsWith('national_test.'))) {
            const grade = Number(m.period.replace('grade-', ''));
            const regime = readingRegime(`${year + 6 + grade}-08-01`);
            expect(regime?.kind, `${m.kind} ${m.period} born ${p.child.birth_date}`).toBe(m.kind);
            expect(regime!.grades).toContain(grade);
          }
        }
      }),
      { numRuns: 40 },
    );
    expect(readingRegime('2021-08-01')?.kind).toBe('national_test.adaptive.reading');
    expect(readingRegime('2025-08-01')?.kind).toBe('national_test.transition.reading');
    expect(readingRegime('2026-08-01')?.kind).toBe('national_test.skills.reading');
    expect(readingRegime('2008-08-01')).toBeNull();
  });

  it('gives restgruppe children somewhat lower outcomes (docs/SEED.md)', () => {
    const by = { restgruppe: new Map<string, number[]>(), other: new Map<string, number[]>() };
    for (const p of population({ children: 6000, seed: 99, today: '2026-12-05', indicators: 'templates' })) {
      const group = p.child.attributes.restgruppe_origin ? by.restgruppe : by.other;
      for (const m of p.measurements) {
        const v = typeof m.value === 'number' ? m.value : m.value === 'generel' || m.value === false ? 1 : m.value === true ? 0 : 0;
        if (m.kind === 'youth_education.admission') continue;
        group.set(key(m.kind, m.period), [...(group.get(key(m.kind, m.period)) ?? []), v]);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    for (const r of REQUIREMENTS.filter((x) => x.kind !== 'youth_education.admission' && x.kind !== 'national_test.skills.reading')) {
      const k = key(r.kind, r.period);
      expect(by.restgruppe.get(k)?.length, k).toBeGreaterThan(20);
      expect(mean(by.restgruppe.get(k)!), k).toBeLessThan(mean(by.other.get(k)!));
    }
  });

  it('draws the extra indicators from a stream of their own: the main stream is the same with or without them', () => {
    // The single-kind population (the benchmarks') emits only its three kinds.
    const base = [...population({ children: 300, seed: 7, today: '2026-11-22' })];
    expect(new Set(base.flatMap((p) => p.measurements.map((m) => m.kind)))).toEqual(new Set(['sprogvurdering', 'national_test.reading', 'kontanthjaelp']));
    // Over the same birth years, the template mode has the same children, enrolments and age-3
    // language assessments: its extra draws never shift the main stream.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), todays, (seed, today) => {
        const plain = [...population({ children: 60, seed, today, years: 23 })];
        const templated = [...population({ children: 60, seed, today, indicators: 'templates' })];
        const sprog3 = (ps: typeof plain) => ps.flatMap((p) => p.measurements.filter((m) => m.kind === 'sprogvurdering' && m.period === 'age-3'));
        expect(templated.map((p) => p.child)).toEqual(plain.map((p) => p.child));
        expect(templated.map((p) => p.enrolments)).toEqual(plain.map((p) => p.enrolments));
        expect(sprog3(templated)).toEqual(sprog3(plain));
      }),
      { numRuns: 30 },
    );
  });
});
