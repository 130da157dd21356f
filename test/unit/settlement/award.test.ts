import { describe, expect, it } from 'vitest';
import { computeAward, resolvePayee } from '../../../src/settlement/index.js';
import { awardInput, enrolment, institution, institutionMap, payoutsByCode, version, window } from './helpers.js';

/** A one-year window: child born 2010-01-01, calendar year 2020 (366 days, a leap year). */
const YEAR_2020 = { child: { birth_date: '2010-01-01', attributes: {} } };
const year2020 = (kinds: string[], share_bp = 10000) =>
  version({ age_basis: 'calendar_years', windows: [window(10, 11, share_bp, kinds)], amount: { fixed_ore: 366000 } });

describe('earning and the amount', () => {
  const institutions = institutionMap(institution('V-101', 'vuggestue'));
  const enrolled = [enrolment('V-101', '2019-03-15', null)];

  it('earns nothing when the predicate is not met, but still explains why', () => {
    const result = computeAward(
      awardInput({
        institutions,
        enrolments: enrolled,
        version: version({ predicate: { op: 'in', values: ['generel'] } }),
        measurement: { value: 'saerlig', measured_on: '2023-04-20' },
      }),
    );
    expect(result).toMatchObject({ earned: false, reason: 'predicate_not_met', amount_ore: 0n, payouts: [], retained_ore: 0n });
    expect(result.explanation).toMatchObject({
      earned: false,
      reason: 'predicate_not_met',
      amount_ore: 0,
      measurement: { value: 'saerlig', measured_on: '2023-04-20' },
    });
    expect(() => JSON.stringify(result.explanation)).not.toThrow();
  });

  it('value_bp takes a share of the value, rounded down to whole øre', () => {
    const feeVersion = version({ predicate: { op: 'gt', value: 0 }, amount: { value_bp: 333 } });
    const result = computeAward(
      awardInput({ institutions, enrolments: enrolled, version: feeVersion, measurement: { value: 12345, measured_on: '2023-04-20' } }),
    );
    expect(result.amount_ore).toBe(411n); // 12345 × 333 / 10000 = 411.0885
    expect(result.explanation.base_amount_ore).toBe(411);
  });

  it.each([
    ['a fraction', 1.5],
    ['a negative number', -100],
    ['a string', '100'],
    ['an unsafe integer', 2 ** 60],
  ])('value_bp with %s as the value is not earned (value_not_ore)', (_label, value) => {
    const feeVersion = version({ predicate: { op: 'in', values: [value] }, amount: { value_bp: 500 } });
    const result = computeAward(awardInput({ institutions, enrolments: enrolled, version: feeVersion, measurement: { value, measured_on: '2023-04-20' } }));
    expect(result).toMatchObject({ earned: false, reason: 'value_not_ore', amount_ore: 0n, payouts: [], retained_ore: 0n });
  });

  it('applies only the first multiplier whose attribute strictly equals, rounding down', () => {
    const multiplied = version({
      amount: { fixed_ore: 1000001 },
      multipliers: [
        { attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 },
        { attribute: 'area', equals: 'vollsmose', factor_bp: 20000 },
      ],
    });
    const run = (attributes: Record<string, unknown>) =>
      computeAward(awardInput({ institutions, enrolments: enrolled, version: multiplied, child: { birth_date: '2019-03-15', attributes } }));

    const both = run({ restgruppe_origin: true, area: 'vollsmose' });
    expect(both.amount_ore).toBe(1500001n); // floor(1000001 × 1.5), the second multiplier ignored
    expect(both.explanation.multiplier).toMatchObject({
      attribute: 'restgruppe_origin',
      factor_bp: 15000,
      amount_before_ore: 1000001,
      amount_after_ore: 1500001,
    });
    expect(run({ restgruppe_origin: false, area: 'vollsmose' }).amount_ore).toBe(2000002n);
    expect(run({ restgruppe_origin: 'true' }).amount_ore).toBe(1000001n); // strict: a string is not `true`
    expect(run({}).amount_ore).toBe(1000001n);
    expect(run({}).explanation.multiplier).toBeNull();
  });

  it('refuses window shares over 10000 bp', () => {
    const tooMuch = version({ windows: [window(0, 12, 6000, ['vuggestue']), window(12, 24, 5000, ['vuggestue'])] });
    expect(() => computeAward(awardInput({ institutions, enrolments: enrolled, version: tooMuch }))).toThrow(RangeError);
  });
});

describe('splitting days', () => {
  it('shares overlapping days equally between the enrolments covering them', () => {
    const institutions = institutionMap(institution('B-1', 'boernehave'), institution('B-2', 'boernehave'), institution('B-3', 'boernehave'));
    const result = computeAward(
      awardInput({
        ...YEAR_2020,
        institutions,
        version: year2020(['boernehave']),
        measurement: { value: true, measured_on: '2030-01-01' },
        enrolments: [
          enrolment('B-1', '2020-01-01', '2020-01-11'), // 10 days
          enrolment('B-2', '2020-01-06', '2020-01-16'), // 10 days, 5 shared with B-1
          enrolment('B-3', '2020-01-08', '2020-01-09'), // 1 day shared three ways
        ],
      }),
    );
    const [only] = result.explanation.windows;
    expect(only?.days).toBe(366);
    expect(only?.attributed_days.fraction).toBe('15/1');
    expect(only?.unattributed_days.fraction).toBe('351/1');
    // B-1: 5 alone + 1/3 + 4/2 = 22/3; B-2: 4/2 + 1/3 + 5 = 22/3; B-3: 1/3. Each day is worth 1000 øre.
    expect(only?.institutions.map((entry) => [entry.code, entry.days.fraction, entry.exact_share_ore.fraction])).toEqual([
      ['B-1', '22/3', '22000/3'],
      ['B-2', '22/3', '22000/3'],
      ['B-3', '1/3', '1000/3'],
    ]);
    // 7333.33, 7333.33, 333.33 and retained 351000: one øre is missing; ties go to B-1 (code order).
    expect(payoutsByCode(result.payouts)).toEqual({ 'B-1': 7334, 'B-2': 7333, 'B-3': 333 });
    expect(result.retained_ore).toBe(351000n);
  });

  it('only counts enrolments at eligible kinds (skole + sfo at once: skole keeps whole days)', () => {
    const institutions = institutionMap(institution('S-1', 'skole'), institution('F-1', 'sfo'));
    const result = computeAward(
      awardInput({
        ...YEAR_2020,
        institutions,
        version: year2020(['skole']),
        enrolments: [enrolment('S-1', '2020-01-01', '2020-01-11'), enrolment('F-1', '2020-01-01', '2020-01-11')],
      }),
    );
    expect(payoutsByCode(result.payouts)).toEqual({ 'S-1': 10000 });
  });

  it('never attributes days on or after measured_on, though the window keeps its length', () => {
    const institutions = institutionMap(institution('S-1', 'skole'));
    const result = computeAward(
      awardInput({
        ...YEAR_2020,
        institutions,
        version: year2020(['skole']),
        measurement: { value: true, measured_on: '2020-03-01' },
        enrolments: [enrolment('S-1', '2019-08-01', null)],
      }),
    );
    const [only] = result.explanation.windows;
    expect(only).toMatchObject({ days: 366, attributable_days: 60, attributed_days: { fraction: '60/1' } });
    expect(payoutsByCode(result.payouts)).toEqual({ 'S-1': 60000 });
    expect(result.retained_ore).toBe(306000n);
  });

  it('redistributes unattributed days within a window, but retains a window nobody attended', () => {
    const institutions = institutionMap(institution('S-1', 'skole'), institution('S-2', 'skole'));
    const twoYears = version({
      age_basis: 'calendar_years',
      amount: { fixed_ore: 1000000 },
      unattributed: 'redistribute',
      windows: [window(10, 11, 6000, ['skole']), window(11, 12, 3000, ['skole'])],
    });
    const result = computeAward(
      awardInput({
        ...YEAR_2020,
        institutions,
        version: twoYears,
        enrolments: [enrolment('S-1', '2020-01-01', '2020-01-04'), enrolment('S-2', '2020-06-01', '2020-06-02')],
      }),
    );
    // 2020 is split 3:1 over the attributed days; 2021 has none and 10 % was never shared out.
    expect(payoutsByCode(result.payouts)).toEqual({ 'S-1': 450000, 'S-2': 150000 });
    expect(result.retained_ore).toBe(400000n);
  });

  it('leaves zero payouts out and lists payouts in code order', () => {
    const institutions = institutionMap(institution('b', 'skole'), institution('B', 'skole'), institution('a', 'skole'));
    const result = computeAward(
      awardInput({
        ...YEAR_2020,
        institutions,
        version: version({ age_basis: 'calendar_years', windows: [window(10, 11, 10000, ['skole'])], amount: { fixed_ore: 1 }, unattributed: 'redistribute' }),
        enrolments: [enrolment('b', '2020-01-01', '2020-01-02'), enrolment('B', '2020-01-01', '2020-01-02'), enrolment('a', '2020-02-01', '2020-02-03')],
      }),
    );
    // Exact: a 2/3, B 1/6, b 1/6 (B and b share a day) → a gets the øre; B and b round to 0.
    expect(result.payouts.map((payout) => [payout.code, payout.amount_ore])).toEqual([['a', 1n]]);
    expect(result.explanation.payees.map((payee) => payee.code)).toEqual(['B', 'a', 'b']);
  });
});

describe('payees of closed institutions', () => {
  const measuredOn = '2023-02-14';

  it('follows successors transitively and aggregates shares per payee', () => {
    const institutions = institutionMap(
      institution('V-1', 'vuggestue', { closed_on: '2021-01-01', successor: 'V-2' }),
      institution('V-2', 'vuggestue', { closed_on: '2022-01-01', successor: 'V-3' }),
      institution('V-3', 'vuggestue'),
    );
    const result = computeAward(
      awardInput({
        ...YEAR_2020,
        institutions,
        version: year2020(['vuggestue']),
        measurement: { value: true, measured_on: measuredOn },
        enrolments: [enrolment('V-1', '2020-01-01', '2020-01-11'), enrolment('V-3', '2020-02-01', '2020-02-06')],
      }),
    );
    expect(payoutsByCode(result.payouts)).toEqual({ 'V-3': 15000 });
    expect(result.explanation.payees).toEqual([
      expect.objectContaining({
        code: 'V-3',
        amount_ore: 15000,
        redirected_from: [{ code: 'V-1', via: ['V-1', 'V-2', 'V-3'], exact_ore: { fraction: '10000/1', decimal: '10000.000000' } }],
      }),
    ]);
    expect(resolvePayee('V-1', institutions, measuredOn)).toEqual({ payeeId: 'V-3', path: ['V-1', 'V-2', 'V-3'] });
  });

  it('pays an institution that closes only after measured_on, and redirects one closing on it', () => {
    const institutions = institutionMap(
      institution('V-1', 'vuggestue', { closed_on: '2023-02-15', successor: 'V-2' }),
      institution('V-2', 'vuggestue', { closed_on: measuredOn, successor: 'V-3' }),
      institution('V-3', 'vuggestue'),
    );
    expect(resolvePayee('V-1', institutions, measuredOn).payeeId).toBe('V-1');
    expect(resolvePayee('V-2', institutions, measuredOn).payeeId).toBe('V-3');
  });

  it('retains the share of a closed institution without an open successor, including a successor cycle', () => {
    const institutions = institutionMap(
      institution('D-1', 'dagpleje', { closed_on: '2021-01-01' }),
      institution('V-1', 'vuggestue', { closed_on: '2021-01-01', successor: 'V-2' }),
      institution('V-2', 'vuggestue', { closed_on: '2021-06-01', successor: 'V-1' }),
      institution('V-9', 'vuggestue'),
    );
    const result = computeAward(
      awardInput({
        ...YEAR_2020,
        institutions,
        version: year2020(['vuggestue', 'dagpleje']),
        measurement: { value: true, measured_on: measuredOn },
        enrolments: [enrolment('D-1', '2020-01-01', '2020-01-03'), enrolment('V-1', '2020-02-01', '2020-02-04'), enrolment('V-9', '2020-03-01', '2020-03-02')],
      }),
    );
    expect(payoutsByCode(result.payouts)).toEqual({ 'V-9': 1000 });
    expect(result.retained_ore).toBe(365000n);
    expect(result.explanation.retained_from_closed).toEqual([
      { code: 'D-1', via: ['D-1'], exact_ore: { fraction: '2000/1', decimal: '2000.000000' } },
      { code: 'V-1', via: ['V-1', 'V-2'], exact_ore: { fraction: '3000/1', decimal: '3000.000000' } },
    ]);
    // A self-successor is a cycle too.
    const selfLoop = institutionMap(institution('X', 'vuggestue', { closed_on: '2020-01-01', successor: 'X' }));
    expect(resolvePayee('X', selfLoop, measuredOn)).toEqual({ payeeId: null, path: ['X'] });
  });

  it('rejects input that lacks an institution it refers to', () => {
    const institutions = institutionMap(institution('V-1', 'vuggestue', { closed_on: '2021-01-01', successor: 'V-404' }));
    expect(() =>
      computeAward(awardInput({ ...YEAR_2020, institutions, version: year2020(['vuggestue']), enrolments: [enrolment('V-1', '2020-01-01', '2020-01-03')] })),
    ).toThrow(/V-404/);
  });
});

describe('explanation', () => {
  it('records everything needed to redo the award, as JSON', () => {
    const institutions = institutionMap(institution('V-101', 'vuggestue'));
    const result = computeAward(
      awardInput({
        institutions,
        version: version({ effective_from: '2015-01-01' }),
        measurement: { value: true, measured_on: '2023-04-20' },
        enrolments: [enrolment('V-101', '2020-01-15', '2022-01-15')],
      }),
    );
    const explanation = JSON.parse(JSON.stringify(result.explanation));
    expect(explanation).toMatchObject({
      rule_version: { effective_from: '2015-01-01' },
      amount_ore: 1000000,
      windows: [
        {
          start: '2019-03-15',
          end: '2022-03-15',
          days: 1096,
          attributable_days: 1096,
          // 1000000 øre × 731/1096 days, in lowest terms.
          institutions: [{ code: 'V-101', days: { fraction: '731/1' }, exact_share_ore: { fraction: '91375000/137', decimal: '666970.802919' } }],
        },
      ],
      payees: [{ code: 'V-101', floor_ore: 666970, rounding_adjustment_ore: 1, amount_ore: 666971 }],
      retained: { exact_ore: { fraction: '45625000/137' }, floor_ore: 333029, rounding_adjustment_ore: 0, amount_ore: 333029 },
    });
  });
});

describe('window bounds', () => {
  const institutions = institutionMap(institution('S-1', 'skole'));
  const enrolments = [enrolment('S-1', '2019-08-01', null)];

  it('retains the share of an empty window (from = to)', () => {
    const empty = version({
      age_basis: 'calendar_years',
      windows: [window(10, 10, 4000, ['skole']), window(10, 11, 6000, ['skole'])],
      amount: { fixed_ore: 1000 },
    });
    const result = computeAward(awardInput({ ...YEAR_2020, institutions, enrolments, version: empty }));
    expect(result.explanation.windows.map((item) => item.days)).toEqual([0, 366]);
    expect(payoutsByCode(result.payouts)).toEqual({ 'S-1': 600 });
    expect(result.retained_ore).toBe(400n);
  });

  it('refuses inverted windows and a seasons basis without season_start', () => {
    const inverted = version({ windows: [window(12, 0, 10000, ['skole'])] });
    expect(() => computeAward(awardInput({ ...YEAR_2020, institutions, enrolments, version: inverted }))).toThrow(RangeError);
    const seasons = version({ age_basis: 'seasons', season_start: null });
    expect(() => computeAward(awardInput({ ...YEAR_2020, institutions, enrolments, version: seasons }))).toThrow(/season_start/);
  });

  it('splits by seasons end to end', () => {
    // Born 2014-10-10, season from 08-01: ages 5–6 are the season starting 2019-08-01 (366 days).
    const seasons = version({ age_basis: 'seasons', season_start: '08-01', windows: [window(5, 6, 10000, ['skole'])], amount: { fixed_ore: 366 } });
    const result = computeAward(
      awardInput({
        child: { birth_date: '2014-10-10', attributes: {} },
        institutions,
        enrolments: [enrolment('S-1', '2019-08-01', '2019-09-01')],
        version: seasons,
      }),
    );
    expect(result.explanation.windows[0]).toMatchObject({ start: '2019-08-01', end: '2020-08-01', days: 366 });
    expect(payoutsByCode(result.payouts)).toEqual({ 'S-1': 31 });
  });
});
