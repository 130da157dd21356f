import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDICATORS, catalogueKind } from '../../../src/catalogue/indicators.js';
import { RESTGRUPPE_MULTIPLIER, RULE_TEMPLATES } from '../../../src/catalogue/rule-templates.js';
import { percent, retainedShare, retainedTableRows, typicalAwardDate, typicalPathway } from '../../../src/catalogue/retained-share.js';
import { checkPredicate, checkWindows, MAX_BOUND } from '../../../src/domain/rule-spec.js';
import { computeAward } from '../../../src/settlement/index.js';
import * as q from '../../../src/settlement/rational.js';
import { addMonths, fromDayNumber, toDayNumber } from '../../../src/settlement/dates.js';
import { defaultRules } from '../../../src/seed/seed.js';

/** The institution kinds migration 0001 installs. */
const INSTITUTION_KINDS = new Set(['dagpleje', 'vuggestue', 'boernehave', 'skole', 'sfo', 'ungdomsuddannelse']);

describe('rule templates (data)', () => {
  it('have unique keys and §11 requirements: 1–20 names [a-z][a-z0-9_]*, distinct (kind, period) pairs', () => {
    expect(new Set(RULE_TEMPLATES.map((t) => t.key)).size).toBe(RULE_TEMPLATES.length);
    for (const t of RULE_TEMPLATES) {
      const names = Object.keys(t.requires);
      expect(names.length).toBeGreaterThanOrEqual(1);
      expect(names.length).toBeLessThanOrEqual(20);
      for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
      const pairs = Object.values(t.requires).map((r) => `${r.kind}\u0000${r.period}`);
      expect(new Set(pairs).size).toBe(pairs.length);
    }
  });

  it('require only kinds and periods the catalogue has', () => {
    for (const t of RULE_TEMPLATES) {
      for (const [name, r] of Object.entries(t.requires)) {
        const kind = catalogueKind(r.kind);
        expect(kind, `${t.key}.${name}: kind ${r.kind}`).toBeDefined();
        expect(
          kind!.periods.map((p) => p.period),
          `${t.key}.${name}`,
        ).toContain(r.period);
      }
    }
  });

  it('have versions whose predicates match the requirement names and fit their kinds, fixed amounts, valid windows and shares ≤ 10000', () => {
    for (const t of RULE_TEMPLATES) {
      expect(t.versions.length).toBeGreaterThan(0);
      t.versions.forEach((v, i) => {
        const path = `${t.key}.versions.${i}`;
        expect(Object.keys(v.predicates).sort(), path).toEqual(Object.keys(t.requires).sort());
        for (const [name, predicate] of Object.entries(v.predicates)) {
          const kind = catalogueKind(t.requires[name]!.kind)!;
          expect(checkPredicate(predicate as never, `${path}.predicates.${name}`, { value_type: kind.type, allowed_values: kind.values ?? null })).toEqual([]);
        }
        expect(Number.isSafeInteger(v.amount.fixed_ore) && v.amount.fixed_ore > 0).toBe(true);
        expect(checkWindows(v, path, INSTITUTION_KINDS)).toEqual([]);
        expect(v.windows.reduce((s, w) => s + w.share_bp, 0)).toBeLessThanOrEqual(10000);
        for (const w of v.windows) expect(w.to).toBeLessThanOrEqual(MAX_BOUND[v.age_basis]);
      });
    }
  });

  it('all carry the restgruppe multiplier', () => {
    for (const t of RULE_TEMPLATES) for (const v of t.versions) expect(v.multipliers).toContainEqual(RESTGRUPPE_MULTIPLIER);
  });

  it('fail the checks when they are wrong (the checks can fail)', () => {
    const v = RULE_TEMPLATES[2]!.versions[0]!;
    expect(checkWindows({ ...v, windows: [...v.windows, { from: 0, to: 1, share_bp: 1, kinds: ['skole'] }] }, 'x', INSTITUTION_KINDS)).toEqual([
      { field: 'x.windows', message: 'shares sum to 10001 bp, more than 10000' },
    ]);
    expect(checkWindows({ age_basis: 'calendar_years', windows: [{ from: 16, to: 101, share_bp: 1, kinds: ['skole'] }] }, 'x', INSTITUTION_KINDS)).toEqual([
      { field: 'x.windows.0.to', message: 'must be at most 100 (years, age_basis calendar_years)' },
    ]);
    expect(checkPredicate({ op: 'gte', value: 7 }, 'p', { value_type: 'enum', allowed_values: ['stx'] })).not.toEqual([]);
  });
});

describe('retained share (exact)', () => {
  const versionOf = (i: number) => RULE_TEMPLATES[i]!.versions[0]!;

  it('is 1 − Σ shares when every window has ended before the award date, and counts the cut days otherwise', () => {
    const v = { age_basis: 'months' as const, windows: [{ from: 0, to: 12, share_bp: 6000, kinds: ['skole'] }] };
    expect(retainedShare(v, '2020-01-01', '2021-01-01')).toEqual(q.rational(4n, 10n));
    // Cut after 183 of the window's 366 days (2020 is a leap year): 6000 bp × 183/366 paid.
    expect(retainedShare(v, '2020-01-01', '2020-07-02')).toEqual(q.sub(q.ONE, q.rational(6000n * 183n, 10000n * 366n)));
    expect(retainedShare(v, '2020-01-01', '2019-12-31')).toEqual(q.ONE);
  });

  it("reproduces issue 12's finding: the old school rule retains about 18 % for a child who completes youth education", () => {
    const old = {
      age_basis: 'calendar_years' as const,
      windows: [
        ...[6, 7, 8, 9].map((a) => ({ from: a, to: a + 1, share_bp: 500, kinds: ['skole'] })),
        ...[10, 11, 12, 13, 14, 15].map((a) => ({ from: a, to: a + 1, share_bp: 1000, kinds: ['skole'] })),
        { from: 16, to: 22, share_bp: 1000, kinds: ['ungdomsuddannelse'] },
      ],
    };
    expect(percent(retainedShare(old, '2003-09-05', '2024-09-05'))).toBe('10.53 %');
    expect(percent(retainedShare(old, '2003-09-05', '2024-09-05', typicalPathway('2003-09-05')))).toBe('18.26 %');
  });

  it("agrees with the settlement core: the core's retained øre is the exact share of the amount rounded (within 1 øre)", () => {
    const births = [toDayNumber('1995-01-01'), toDayNumber('2030-12-31')] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: RULE_TEMPLATES.length - 1 }), fc.integer({ min: births[0], max: births[1] }), fc.boolean(), (i, day, full) => {
        const template = RULE_TEMPLATES[i]!;
        const v = versionOf(i);
        const birth = fromDayNumber(day);
        const on = typicalAwardDate(template, birth);
        const pathway = typicalPathway(birth);
        // Full enrolment: one institution of every eligible kind from birth to long after the award.
        const spans = full ? [...new Set(v.windows.flatMap((w) => w.kinds))].map((kind) => ({ kind, start: birth, end: '2100-01-01' })) : pathway;
        const institutions = new Map(spans.map((s, n) => [`I${n}`, { id: `I${n}`, code: `I${n}`, kind: s.kind, closed_on: null, successor_id: null }]));
        const result = computeAward({
          version: {
            effective_from: v.effective_from,
            predicate: { op: 'eq', value: true },
            amount: v.amount,
            multipliers: [],
            age_basis: v.age_basis,
            season_start: null,
            windows: v.windows,
            unattributed: 'retain',
            review_days: 30,
          },
          measurement: { value: true, measured_on: on },
          child: { birth_date: birth, attributes: {} },
          enrolments: spans.map((s, n) => ({ institution_id: `I${n}`, start: s.start, end: s.end })),
          institutions,
        });
        const exact = q.mul(retainedShare(v, birth, on, full ? undefined : pathway), q.fromInteger(v.amount.fixed_ore));
        const diff = q.sub(q.fromInteger(result.retained_ore), exact);
        expect(q.compare(diff, q.fromInteger(-1)) > 0 && q.compare(diff, q.ONE) < 0).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('docs/SEED.md shows the computed figures', () => {
    const doc = readFileSync(new URL('../../../docs/SEED.md', import.meta.url), 'utf8');
    for (const row of retainedTableRows(RULE_TEMPLATES)) expect(doc).toContain(row);
  });

  it("docs/SEED.md's figures for the seed's current default rules are computed too", () => {
    const doc = readFileSync(new URL('../../../docs/SEED.md', import.meta.url), 'utf8');
    const birth = '2020-03-15';
    // When the seed measures: a month after the 3rd birthday, 15 March of grade 2, the 21st birthday.
    const on = [addMonths(birth, 37), '2029-03-15', addMonths(birth, 252)];
    const labels = ['1. `sprogvurdering` `age-3`', '2. `national_test.reading` `grade-2`', '3. `kontanthjaelp` `age-21`'];
    defaultRules('fund').forEach((rule, i) => {
      const v = rule.versions[0]!;
      const row = `| ${labels[i]} | ${on[i]} | ${percent(retainedShare(v, birth, on[i]!))} | ${percent(retainedShare(v, birth, on[i]!, typicalPathway(birth)))} |`;
      expect(doc).toContain(row);
    });
  });

  it('uses the catalogue for the award date: the latest requirement at its typical age', () => {
    expect(typicalAwardDate(RULE_TEMPLATES[3]!, '2020-03-15', INDICATORS)).toBe('2042-02-15'); // age-21 status, read 11 months into the year
  });
});
