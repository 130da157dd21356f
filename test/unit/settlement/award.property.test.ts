/**
 * Property tests of computeAward against a deliberately naive reference: a loop over every
 * day of every window (what §5 literally says), exact rationals, and a plain successor walk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeAward,
  fromDayNumber,
  rational as q,
  toDayNumber,
  windowRangeForBirthDate,
  type AwardInput,
  type AwardResult,
  type EnrolmentFacts,
  type InstitutionFacts,
  type Rational,
  type RuleVersionSpec,
} from '../../../src/settlement/index.js';

const KINDS = ['vuggestue', 'boernehave', 'skole'] as const;
const CODES = ['A-1', 'A-2', 'B-1', 'b-1', 'C-7', 'Ø-1'] as const;
const BASE_DAY = toDayNumber('2000-01-01');

const arbInstitutions: fc.Arbitrary<Map<string, InstitutionFacts>> = fc
  .tuple(
    ...CODES.map(() =>
      fc.record({
        kind: fc.constantFrom(...KINDS),
        // About one institution in four is closed (by day offset from 2000-01-01), before or after measured_on.
        closedOn: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 6000 }), weight: 1 }),
        // Successors are drawn at random, so chains and cycles both occur.
        successor: fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: fc.constantFrom(...CODES), weight: 2 }),
      }),
    ),
  )
  .map(
    (facts) =>
      new Map(
        CODES.map((code, index) => {
          const fact = facts[index]!;
          return [
            code,
            {
              id: code,
              code,
              kind: fact.kind,
              closed_on: fact.closedOn === null ? null : fromDayNumber(BASE_DAY + fact.closedOn),
              successor_id: fact.successor,
            },
          ];
        }),
      ),
  );

const arbVersion: fc.Arbitrary<RuleVersionSpec> = fc
  .record({
    basis: fc.constantFrom('months', 'calendar_years', 'seasons' as const),
    seasonStart: fc.constantFrom('01-01', '08-01', '02-29', '12-31', '03-15'),
    windows: fc.array(
      fc.record({
        from: fc.integer({ min: 0, max: 6 }),
        length: fc.integer({ min: 1, max: 3 }),
        weight: fc.integer({ min: 0, max: 100 }),
        kinds: fc.subarray([...KINDS], { minLength: 1 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    shareTotal: fc.integer({ min: 0, max: 10000 }),
    unattributed: fc.constantFrom('retain', 'redistribute' as const),
    fixedOre: fc.integer({ min: 0, max: 2_000_000_000 }),
  })
  .map(({ basis, seasonStart, windows, shareTotal, unattributed, fixedOre }) => {
    // Scale random weights to shares summing to at most 10000 bp.
    const weightSum = windows.reduce((sum, item) => sum + item.weight, 0) || 1;
    const scale = basis === 'months' ? 12 : 1; // months windows in whole years keep spans comparable
    return {
      effective_from: '2000-01-01',
      predicate: { op: 'eq', value: true },
      amount: { fixed_ore: fixedOre },
      multipliers: [],
      age_basis: basis,
      season_start: basis === 'seasons' ? seasonStart : null,
      windows: windows.map((item) => ({
        from: item.from * scale,
        to: (item.from + item.length) * scale,
        share_bp: Math.floor((item.weight * shareTotal) / weightSum),
        kinds: item.kinds,
      })),
      unattributed,
      review_days: 30,
    } satisfies RuleVersionSpec;
  });

/** An enrolment as day offsets from the child's birth, so that most of them meet some window. */
const arbEnrolmentOffsets = fc.record({
  institution: fc.constantFrom(...CODES),
  start: fc.integer({ min: -200, max: 3000 }),
  length: fc.option(fc.integer({ min: 1, max: 1500 }), { freq: 5 }),
});

const arbInput: fc.Arbitrary<AwardInput> = fc
  .record({
    version: arbVersion,
    institutions: arbInstitutions,
    enrolments: fc.array(arbEnrolmentOffsets, { minLength: 1, maxLength: 7 }),
    birth: fc.integer({ min: 0, max: 700 }),
    measuredAfterBirth: fc.integer({ min: 0, max: 4000 }),
  })
  .map(({ version, institutions, enrolments, birth, measuredAfterBirth }) => {
    const born = BASE_DAY + birth;
    return {
      version,
      institutions,
      enrolments: enrolments.map(({ institution, start, length }): EnrolmentFacts => ({
        institution_id: institution,
        start: fromDayNumber(born + start),
        end: length === null ? null : fromDayNumber(born + start + length),
      })),
      child: { birth_date: fromDayNumber(born), attributes: {} },
      measurement: { value: true, measured_on: fromDayNumber(born + measuredAfterBirth) },
    };
  });

/** §5 read literally: per window, per day, per covering enrolment. Returns exact øre per payee and retained. */
function referenceSplit(input: AwardInput): { payees: Map<string, Rational>; retained: Rational; windowTotals: Rational[]; windowShares: Rational[] } {
  const amount = BigInt((input.version.amount as { fixed_ore: number }).fixed_ore);
  const cutoff = toDayNumber(input.measurement.measured_on);
  const byInstitution = new Map<string, Rational>();
  const windowTotals: Rational[] = [];
  const windowShares: Rational[] = [];
  for (const spec of input.version.windows) {
    const range = windowRangeForBirthDate(input.version.age_basis, input.child.birth_date, spec, input.version.season_start ?? null);
    const length = range.end - range.start;
    const days = new Map<string, Rational>();
    let attributed = 0;
    for (let day = range.start; day < range.end && day < cutoff; day++) {
      const covering = input.enrolments.filter((item) => {
        const kind = input.institutions.get(item.institution_id)!.kind;
        return spec.kinds.includes(kind) && toDayNumber(item.start) <= day && (item.end === null || day < toDayNumber(item.end));
      });
      if (covering.length > 0) attributed += 1;
      for (const item of covering) {
        days.set(item.institution_id, q.add(days.get(item.institution_id) ?? q.ZERO, q.rational(1n, BigInt(covering.length))));
      }
    }
    const divisor = input.version.unattributed === 'redistribute' ? attributed : length;
    const windowShare = q.rational(amount * BigInt(spec.share_bp), 10000n);
    windowShares.push(windowShare);
    let total = q.ZERO;
    if (divisor > 0) {
      for (const [id, dayCount] of days) {
        const exact = q.div(q.mul(windowShare, dayCount), q.fromInteger(divisor));
        byInstitution.set(id, q.add(byInstitution.get(id) ?? q.ZERO, exact));
        total = q.add(total, exact);
      }
    }
    windowTotals.push(total);
  }
  const payees = new Map<string, Rational>();
  let paid = q.ZERO;
  for (const [id, exact] of byInstitution) {
    let current = input.institutions.get(id)!;
    const seen = new Set<string>();
    let payee: string | null = current.id;
    while (current.closed_on !== null && current.closed_on <= input.measurement.measured_on) {
      seen.add(current.id);
      if (current.successor_id === null || seen.has(current.successor_id)) {
        payee = null;
        break;
      }
      current = input.institutions.get(current.successor_id)!;
      payee = current.id;
    }
    if (payee === null) continue;
    payees.set(payee, q.add(payees.get(payee) ?? q.ZERO, exact));
    paid = q.add(paid, exact);
  }
  return { payees, retained: q.sub(q.fromInteger(amount), paid), windowTotals, windowShares };
}

function isFloorOrCeil(amount: bigint, exact: Rational): boolean {
  return amount === q.floor(exact) || amount === q.ceil(exact);
}

/** The figures that leave the core: what is paid and what is retained. */
function money(result: AwardResult) {
  return { amount: result.amount_ore, payouts: result.payouts, retained: result.retained_ore };
}

describe('computeAward properties', () => {
  it('matches the day-by-day reference, conserves the amount and rounds each part to floor or ceiling', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = computeAward(input);
        const reference = referenceSplit(input);

        const paid = result.payouts.reduce((sum, payout) => sum + payout.amount_ore, 0n);
        expect(paid + result.retained_ore).toBe(result.amount_ore);

        // Exact shares agree with the reference, payee by payee (zero-share payees aside).
        const explained = new Map(result.explanation.payees.map((payee) => [payee.institution_id, q.parseFraction(payee.exact_ore.fraction)]));
        for (const [id, exact] of reference.payees) {
          if (!q.isZero(exact)) expect(explained.get(id)).toEqual(exact);
        }
        for (const [id, exact] of explained) expect(exact).toEqual(reference.payees.get(id) ?? q.ZERO);
        expect(q.parseFraction(result.explanation.retained.exact_ore.fraction)).toEqual(reference.retained);

        for (const payout of result.payouts) {
          expect(payout.amount_ore).not.toBe(0n);
          expect(isFloorOrCeil(payout.amount_ore, reference.payees.get(payout.institution_id) ?? q.ZERO)).toBe(true);
        }
        for (const [id, exact] of reference.payees) {
          const payout = result.payouts.find((item) => item.institution_id === id)?.amount_ore ?? 0n;
          expect(isFloorOrCeil(payout, exact)).toBe(true);
        }
        expect(isFloorOrCeil(result.retained_ore, reference.retained)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never gives a window more than its share', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = computeAward(input);
        result.explanation.windows.forEach((window, index) => {
          const windowShare = q.rational(result.amount_ore * BigInt(window.share_bp), 10000n);
          let total = q.ZERO;
          for (const entry of window.institutions) {
            const exact = q.parseFraction(entry.exact_share_ore.fraction);
            expect(q.compare(exact, windowShare)).toBeLessThanOrEqual(0);
            total = q.add(total, exact);
          }
          expect(q.compare(total, windowShare)).toBeLessThanOrEqual(0);
          expect(total).toEqual(referenceSplit(input).windowTotals[index]);
          expect(q.compare(q.parseFraction(window.attributed_days.fraction), q.fromInteger(window.attributable_days))).toBeLessThanOrEqual(0);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('ignores everything on or after measured_on (changing enrolments there changes nothing)', () => {
    // Offsets from measured_on, biased towards the boundary day itself.
    const arbOffset = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2000 }));
    const arbChange = fc.record({
      extensions: fc.array(fc.option(arbOffset), { minLength: 7, maxLength: 7 }),
      extra: fc.array(fc.record({ institution: fc.constantFrom(...CODES), offset: arbOffset, length: fc.option(fc.integer({ min: 1, max: 900 })) }), {
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(arbInput, arbChange, (input, change) => {
        const cutoff = toDayNumber(input.measurement.measured_on);
        // Re-end every enrolment still running on measured_on anywhere from measured_on on (or never).
        const moved = input.enrolments.map((item, index) => {
          const runsPast = item.end === null || toDayNumber(item.end) > cutoff;
          if (!runsPast || toDayNumber(item.start) >= cutoff) return item;
          const extension = change.extensions[index] ?? null;
          return { ...item, end: extension === null ? null : fromDayNumber(cutoff + extension) };
        });
        // And add enrolments that start on or after measured_on.
        const added = change.extra.map((extra) => ({
          institution_id: extra.institution,
          start: fromDayNumber(cutoff + extra.offset),
          end: extra.length === null ? null : fromDayNumber(cutoff + extra.offset + extra.length),
        }));
        expect(money(computeAward({ ...input, enrolments: [...moved, ...added] }))).toEqual(money(computeAward(input)));
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic and independent of the order of enrolments and institutions', () => {
    const arbShuffled = arbInput.chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.shuffledSubarray(input.enrolments, { minLength: input.enrolments.length, maxLength: input.enrolments.length }),
        fc.shuffledSubarray([...input.institutions.values()], { minLength: input.institutions.size, maxLength: input.institutions.size }),
      ),
    );
    fc.assert(
      fc.property(arbShuffled, ([input, enrolments, institutions]) => {
        const first = computeAward(input);
        expect(computeAward(input)).toEqual(first);
        const reordered = computeAward({ ...input, enrolments, institutions: new Map(institutions.map((item) => [item.id, item])) });
        expect(reordered).toEqual(first);
      }),
      { numRuns: 150 },
    );
  });
});
