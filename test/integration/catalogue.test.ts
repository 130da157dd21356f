import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { count, expectProblem, ok } from './registry/helpers.js';
import { installCatalogue } from '../../src/services/catalogue.js';
import { CATALOGUE_VERSION, INDICATORS, type CatalogueKind } from '../../src/catalogue/indicators.js';

/**
 * Issue 12, items 4 and 5: the indicator catalogue is installed on start, once, without
 * overwriting an administrator's edits; administrators add and replace kinds and periods; a
 * measurement outside its kind's periods, or dated outside the period's age or grade range, is
 * refused naming the field and nothing is stored.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const periodCount = () => INDICATORS.reduce((n, k) => n + k.periods.length, 0);

describe('the catalogue on first start', () => {
  it('installs every kind with its metadata and periods, and remembers each entry', async () => {
    const sprog = ok(await t.call('GET', '/v1/measurement-kinds/sprogvurdering'));
    expect(sprog).toMatchObject({ type: 'enum', values: ['generel', 'fokuseret', 'saerlig'], source: 'municipality', family: 'language', origin: 'catalogue' });
    expect(sprog.periods.map((p: { period: string }) => p.period)).toEqual(['age-2', 'age-3', 'age-4', 'grade-0']);
    expect(sprog.periods[1]).toMatchObject({ basis: 'age', grade: null, from_months: 30, to_months: 48, typical_months: 36, origin: 'catalogue' });

    const tests = ok(await t.call('GET', '/v1/measurement-kinds?family=national_test&limit=100')).items;
    expect(tests.map((k: { key: string }) => k.key).sort()).toEqual(
      INDICATORS.filter((k) => k.family === 'national_test')
        .map((k) => k.key)
        .sort(),
    );
    const math = tests.find((k: { key: string }) => k.key === 'national_test.adaptive.mathematics');
    expect(math).toMatchObject({ valid_from: '2009-08-01', valid_to: '2022-08-01', unit: 'percentile' });
    expect(math.periods.find((p: { period: string }) => p.period === 'grade-8')).toMatchObject({
      basis: 'grade',
      grade: 8,
      valid_from: '2017-08-01',
      early_years: 1,
      late_years: 2,
    });

    expect(await count(t, 'catalogue_entries')).toBe(INDICATORS.length + periodCount());
    expect(await count(t, 'measurement_kind_periods')).toBe(periodCount());
  });

  it('is idempotent: installing again changes nothing', async () => {
    const before = [
      await count(t, 'measurement_kinds'),
      await count(t, 'measurement_kind_periods'),
      await count(t, 'catalogue_entries'),
      await count(t, 'audit_log'),
    ];
    expect(await installCatalogue(t.ctx.db)).toEqual({ version: CATALOGUE_VERSION, installed: [], kept: [] });
    expect([
      await count(t, 'measurement_kinds'),
      await count(t, 'measurement_kind_periods'),
      await count(t, 'catalogue_entries'),
      await count(t, 'audit_log'),
    ]).toEqual(before);
  });

  it("a later version adds what is missing and never overwrites an administrator's edits", async () => {
    // The administrator replaces one catalogue kind and creates, before the catalogue ships it, a kind of the same key.
    ok(await t.call('PUT', '/v1/measurement-kinds/neet', { type: 'boolean', description: 'our own NEET' }));
    ok(await t.call('POST', '/v1/measurement-kinds', { key: 'ocn.mentor', type: 'boolean', family: 'ocn' }), 201);
    const v2: CatalogueKind[] = [
      ...INDICATORS.map((k) =>
        k.key === 'neet' || k.key === 'elevfremmoede'
          ? {
              ...k,
              periods: [
                ...k.periods,
                { period: 'age-22', basis: 'age' as const, from_months: 264, to_months: 276, typical_months: 270, description: 'new in v2' },
              ],
            }
          : k,
      ),
      { key: 'ocn.mentor', type: 'enum', values: ['x'], unit: null, source: 'municipality', family: 'ocn', description: 'v2', periods: [], since: 2 },
      {
        key: 'ocn.new',
        type: 'boolean',
        unit: null,
        source: 'municipality',
        family: 'ocn',
        description: 'v2',
        since: 2,
        periods: [{ period: 'age-18', basis: 'age', from_months: 216, to_months: 228, typical_months: 220, description: 'd' }],
      },
    ];
    const out = await installCatalogue(t.ctx.db, v2, CATALOGUE_VERSION + 1);
    expect(out.installed.sort()).toEqual(['kind:ocn.new', 'period:elevfremmoede/age-22', 'period:ocn.new/age-18']);
    expect(out.kept.sort()).toEqual(['kind:ocn.mentor', 'period:neet/age-22']);
    // The replaced kind keeps the administrator's definition: no periods put back, none added.
    expect(ok(await t.call('GET', '/v1/measurement-kinds/neet'))).toMatchObject({ description: 'our own NEET', origin: 'api', periods: [] });
    expect(ok(await t.call('GET', '/v1/measurement-kinds/ocn.mentor'))).toMatchObject({ type: 'boolean', origin: 'api' });
    expect(ok(await t.call('GET', '/v1/measurement-kinds/elevfremmoede')).periods.map((p: { period: string }) => p.period)).toContain('age-22');
    expect(ok(await t.call('GET', '/v1/measurement-kinds?family=ocn')).items.map((k: { key: string }) => k.key)).toEqual(['ocn.mentor', 'ocn.new']);
    // Handled entries are never handled again, even if removed meanwhile.
    await t.ctx.db.deleteFrom('measurement_kind_periods').where('kind_key', '=', 'ocn.new').execute();
    expect(await installCatalogue(t.ctx.db, v2, CATALOGUE_VERSION + 1)).toMatchObject({ installed: [], kept: [] });
    expect(ok(await t.call('GET', '/v1/measurement-kinds/ocn.new')).periods).toEqual([]);
  });
});

describe('kinds and periods through the API', () => {
  it('creates a kind with metadata and periods, adds a period, and refuses inconsistent periods naming the field', async () => {
    const body = {
      key: 'ocn.school_club',
      type: 'boolean',
      family: 'ocn',
      source: 'municipality',
      unit: null,
      valid_from: '2020-01-01',
      periods: [{ period: 'grade-7', basis: 'grade', grade: 7, from_months: 0, to_months: 12, typical_months: 10, early_years: 1, late_years: 1 }],
    };
    const kind = ok(await t.call('POST', '/v1/measurement-kinds', body), 201);
    expect(kind).toMatchObject({ key: 'ocn.school_club', family: 'ocn', valid_from: '2020-01-01', valid_to: null, origin: 'api' });
    expect(kind.periods).toEqual([
      {
        period: 'grade-7',
        basis: 'grade',
        grade: 7,
        from_months: 0,
        to_months: 12,
        typical_months: 10,
        early_years: 1,
        late_years: 1,
        valid_from: null,
        valid_to: null,
        description: null,
        origin: 'api',
      },
    ]);
    const added = ok(
      await t.call('POST', '/v1/measurement-kinds/ocn.school_club/periods', { period: 'age-15', basis: 'age', from_months: 180, to_months: 192 }),
      201,
    );
    expect(added).toMatchObject({ period: 'age-15', typical_months: 180, grade: null });

    const before = [await count(t, 'measurement_kinds'), await count(t, 'measurement_kind_periods')];
    const addPeriod = (p: unknown) => t.call('POST', '/v1/measurement-kinds/ocn.school_club/periods', p);
    expectProblem(await addPeriod({ period: 'age-15', basis: 'age', from_months: 0, to_months: 1 }), 409, 'body.period');
    expectProblem(await addPeriod({ period: 'x', basis: 'age', from_months: 5, to_months: 5 }), 422, 'body.to_months');
    expectProblem(await addPeriod({ period: 'x', basis: 'grade', from_months: 0, to_months: 12 }), 422, 'body.grade');
    expectProblem(await addPeriod({ period: 'x', basis: 'age', grade: 2, from_months: 0, to_months: 12 }), 422, 'body.grade');
    expectProblem(await addPeriod({ period: 'x', basis: 'age', from_months: 0, to_months: 12, typical_months: 12 }), 422, 'body.typical_months');
    expectProblem(await addPeriod({ period: 'x', basis: 'age', from_months: 0, to_months: 12, late_years: 1 }), 422, 'body.late_years');
    expectProblem(await addPeriod({ period: 'Bad', basis: 'age', from_months: 0, to_months: 12 }), 400, 'body.period');
    expectProblem(await t.call('POST', '/v1/measurement-kinds/nope/periods', { period: 'x', basis: 'age', from_months: 0, to_months: 12 }), 404, 'params.key');
    expectProblem(
      await t.call('POST', '/v1/measurement-kinds', { ...body, key: 'k2', periods: [body.periods[0], body.periods[0]] }),
      422,
      'body.periods.1.period',
    );
    expectProblem(await t.call('POST', '/v1/measurement-kinds', { ...body, key: 'k2', valid_to: '2019-01-01' }), 422, 'body.valid_to');
    expect([await count(t, 'measurement_kinds'), await count(t, 'measurement_kind_periods')]).toEqual(before);
  });

  it('PUT replaces a whole kind while nothing uses it; 409 once measurements or a rule do; 404 for an unknown kind', async () => {
    ok(
      await t.call('POST', '/v1/measurement-kinds', {
        key: 'swap',
        type: 'boolean',
        periods: [{ period: 'age-1', basis: 'age', from_months: 12, to_months: 24 }],
      }),
      201,
    );
    const replaced = ok(await t.call('PUT', '/v1/measurement-kinds/swap', { type: 'number', min: 0, max: 5 }));
    expect(replaced).toMatchObject({ key: 'swap', type: 'number', min: 0, max: 5, periods: [] });
    expectProblem(await t.call('PUT', '/v1/measurement-kinds/never-created', { type: 'boolean' }), 404, 'params.key');

    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2015-01-01' }), 201);
    ok(await t.call('POST', '/v1/measurements', { child_id: child.id, kind: 'swap', period: 'anything', value: 3, measured_on: '2020-01-01' }), 201);
    const before = await count(t, 'measurement_kinds');
    expectProblem(await t.call('PUT', '/v1/measurement-kinds/swap', { type: 'boolean' }), 409, 'params.key');
    expect(ok(await t.call('GET', '/v1/measurement-kinds/swap')).type).toBe('number');

    ok(await t.call('POST', '/v1/measurement-kinds', { key: 'ruled', type: 'boolean' }), 201);
    const fund = ok(await t.call('POST', '/v1/funds', { name: 'F' }), 201);
    const version = {
      effective_from: '2020-01-01',
      predicate: { op: 'eq', value: true },
      amount: { fixed_ore: 100 },
      windows: [{ from: 0, to: 12, share_bp: 100, kinds: ['skole'] }],
    };
    ok(await t.call('POST', '/v1/rules', { fund_id: fund.id, kind: 'ruled', versions: [version] }), 201);
    expectProblem(await t.call('PUT', '/v1/measurement-kinds/ruled', { type: 'number' }), 409, 'params.key');
    expect(await count(t, 'measurement_kinds')).toBe(before + 1);
  });

  it('a rule on a kind with periods may name only those periods', async () => {
    const fund = ok(await t.call('POST', '/v1/funds', { name: 'F2' }), 201);
    const version = {
      effective_from: '2020-01-01',
      predicate: { op: 'eq', value: false },
      amount: { fixed_ore: 100 },
      windows: [{ from: 72, to: 192, share_bp: 100, kinds: ['skole'] }],
    };
    const before = await count(t, 'rules');
    expectProblem(
      await t.call('POST', '/v1/rules', { fund_id: fund.id, kind: 'kontanthjaelp', periods: ['age-21', 'age-22'], versions: [version] }),
      422,
      'body.periods.1',
    );
    ok(await t.call('POST', '/v1/rules', { fund_id: fund.id, kind: 'kontanthjaelp', periods: ['age-21'], versions: [version] }), 201);
    expect(await count(t, 'rules')).toBe(before + 1);
  });
});

describe('plausible periods (item 5)', () => {
  let child: string; // born 2015-06-01: school start August 2021, grade 2 in 2023/24
  beforeAll(async () => {
    child = ok(await t.call('POST', '/v1/children', { birth_date: '2015-06-01', external_ref: 'plaus-1' }), 201).id;
  });
  const m = (over: Record<string, unknown>) => ({
    child_id: child,
    kind: 'sprogvurdering',
    period: 'age-3',
    value: 'generel',
    measured_on: '2018-07-01',
    ...over,
  });

  it('accepts a measurement of a declared period inside its age or grade range', async () => {
    ok(await t.call('POST', '/v1/measurements', m({})), 201);
    ok(await t.call('POST', '/v1/measurements', m({ kind: 'national_test.transition.reading', period: 'grade-2', value: 71, measured_on: '2023-10-02' })), 201);
    ok(await t.call('POST', '/v1/measurements', m({ kind: 'elevfremmoede', period: 'grade-1', value: 96.5, measured_on: '2023-06-30' })), 201);
  });

  it('refuses an undeclared period or a date outside the range, naming the field; nothing stored', async () => {
    await t.settled();
    const before = [await count(t, 'measurements'), await count(t, 'measurement_revisions'), await count(t, 'outbox')];
    expectProblem(await t.call('POST', '/v1/measurements', m({ period: 'age-7' })), 422, 'body.period');
    expectProblem(await t.call('POST', '/v1/measurements', m({ period: 'age-4', measured_on: '2021-06-01' })), 422, 'body.measured_on');
    // grade 6 of the transition test measured in grade 2's school year: more than a year early.
    expectProblem(
      await t.call('POST', '/v1/measurements', m({ kind: 'national_test.transition.reading', period: 'grade-6', value: 50, measured_on: '2023-10-02' })),
      422,
      'body.measured_on',
    );
    // An adaptive test after its regime ended.
    expectProblem(
      await t.call('POST', '/v1/measurements', m({ kind: 'national_test.adaptive.reading', period: 'grade-2', value: 50, measured_on: '2023-03-01' })),
      422,
      'body.measured_on',
    );
    const res = await t.call('POST', '/v1/measurements', m({ period: 'age-4', measured_on: '2021-06-01' }));
    expect(res.body.errors[0].message).toBe('is outside the age range of period age-4 for this child: expected 2018-12-01 ≤ measured_on < 2020-06-01');
    expect([await count(t, 'measurements'), await count(t, 'measurement_revisions'), await count(t, 'outbox')]).toEqual(before);
  });

  it('a correction is checked too', async () => {
    expectProblem(await t.call('POST', '/v1/measurements', m({ measured_on: '2019-12-01' })), 422, 'body.measured_on');
    expect(ok(await t.call('GET', `/v1/measurements?child_id=${child}&kind=sprogvurdering`)).items[0]).toMatchObject({ measured_on: '2018-07-01' });
  });

  it('a batch answers per item: plausible items stored, the others rejected naming period or measured_on', async () => {
    const before = await count(t, 'measurements');
    const res = ok(
      await t.call('POST', '/v1/measurements/batch', [
        m({ period: 'age-2', measured_on: '2017-06-01' }),
        m({ period: 'age-9' }),
        m({ kind: 'kontanthjaelp', period: 'age-16', value: false, measured_on: '2020-01-01' }),
        m({ kind: 'foraeldredeltagelse', period: 'age-4', value: 80, measured_on: '2019-07-31' }),
      ]),
    );
    expect(
      res.results.map((r: { outcome: string; problem?: { errors: Array<{ field: string }> } }) =>
        r.outcome === 'rejected' ? r.problem!.errors[0]!.field : r.outcome,
      ),
    ).toEqual(['accepted', 'period', 'measured_on', 'accepted']);
    expect(await count(t, 'measurements')).toBe(before + 2);
  });

  it('a kind without periods (replaced by an administrator, as a vector declares it) accepts any period at any age', async () => {
    ok(await t.call('PUT', '/v1/measurement-kinds/youth_education.admission', { type: 'enum', values: ['stx', 'none'] }));
    ok(await t.call('POST', '/v1/measurements', m({ kind: 'youth_education.admission', period: 'whenever', value: 'stx', measured_on: '2015-06-02' })), 201);
  });
});
