import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { parseCsv } from '../../support/csv.js';
import { createKey, expectProblem, ok } from '../registry/helpers.js';

/**
 * GET /v1/funds/{id}/forecast against a reference written here child by child (the service works
 * per cohort in SQL): the same method (docs/FORECAST.md) with floating point, so the figures must
 * agree to the øre. The population is small enough to follow by hand: five decided children (their
 * windows have ended, so they make the attribution profile), six pending, one never enrolled.
 */
const NOW = new Date('2024-06-15T12:00:00Z');
const TODAY = '2024-06-15';
let t: TestApp;
let fund: any;
let language: any;
let cash: any;
const DAY = 86_400_000;
const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY);
const addMonths = (iso: string, n: number) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};
const addDays = (iso: string, n: number) => new Date(Date.parse(iso) + n * DAY).toISOString().slice(0, 10);
const min = (...d: string[]) => d.reduce((a, b) => (a < b ? a : b));
const max = (...d: string[]) => d.reduce((a, b) => (a > b ? a : b));

interface Kid {
  birth: string;
  restgruppe: boolean;
  enrolments: Array<[string, string | null]>;
  value?: string;
}
// Decided: measured at age 3 before today. Pending: born later; one never enrolled.
const decidedKids: Kid[] = [
  { birth: '2019-02-01', restgruppe: false, enrolments: [['2019-08-01', '2022-02-01']], value: 'generel' },
  { birth: '2019-05-01', restgruppe: false, enrolments: [['2019-11-01', '2022-05-01']], value: 'saerlig' },
  { birth: '2019-09-10', restgruppe: true, enrolments: [['2020-03-10', '2022-09-10']], value: 'generel' },
  { birth: '2020-01-20', restgruppe: true, enrolments: [['2020-06-01', null]], value: 'fokuseret' },
  { birth: '2020-03-03', restgruppe: false, enrolments: [['2020-09-01', '2023-03-03']], value: 'generel' },
];
const pendingKids: Kid[] = [
  { birth: '2021-07-01', restgruppe: false, enrolments: [['2022-01-01', null]] },
  {
    birth: '2021-11-15',
    restgruppe: true,
    enrolments: [
      ['2022-05-01', '2023-01-01'],
      ['2023-03-01', null],
    ],
  },
  { birth: '2022-02-28', restgruppe: false, enrolments: [] },
  { birth: '2022-08-08', restgruppe: true, enrolments: [['2023-02-01', '2024-01-01']] },
  { birth: '2023-04-30', restgruppe: false, enrolments: [['2023-10-01', null]] },
  { birth: '2024-01-31', restgruppe: true, enrolments: [] },
];
const LANG_ORE = 1_000_000;
const CASH_ORE = 5_000_000;

beforeAll(async () => {
  t = await createTestApp({ clock: () => NOW });
  fund = ok(await t.call('POST', '/v1/funds', { name: 'Forecast fund' }), 201);
  ok(await t.call('POST', `/v1/funds/${fund.id}/deposits`, { amount_ore: 10_000_000, funder: 'LBF' }), 201);
  ok(await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue', name: 'V1' }), 201);
  language = ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fund.id,
      name: 'Language at 3',
      kind: 'sprogvurdering',
      periods: ['age-3'],
      versions: [
        {
          effective_from: '2015-01-01',
          predicate: { op: 'eq', value: 'generel' },
          amount: { fixed_ore: LANG_ORE },
          multipliers: [{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }],
          windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
          review_days: 30,
        },
      ],
    }),
    201,
  );
  cash = ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fund.id,
      name: 'No cash benefits at 21',
      kind: 'kontanthjaelp',
      periods: ['age-21'],
      versions: [
        {
          effective_from: '2015-01-01',
          predicate: { op: 'eq', value: false },
          amount: { fixed_ore: CASH_ORE },
          age_basis: 'calendar_years',
          windows: [{ from: 6, to: 16, share_bp: 8000, kinds: ['skole'] }],
          review_days: 30,
        },
      ],
    }),
    201,
  );
  for (const k of [...decidedKids, ...pendingKids]) {
    const child = ok(await t.call('POST', '/v1/children', { birth_date: k.birth, attributes: { restgruppe_origin: k.restgruppe } }), 201);
    (k as any).id = child.id;
    for (const [start, end] of k.enrolments) ok(await t.call('POST', '/v1/enrolments', { child: child.id, institution: 'V-1', start, end }), 201);
    if (k.value)
      ok(
        await t.call('POST', '/v1/measurements', {
          child_id: child.id,
          kind: 'sprogvurdering',
          period: 'age-3',
          value: k.value,
          measured_on: addMonths(k.birth, 36),
        }),
        201,
      );
  }
  await t.settled();
}, 120_000);
afterAll(async () => t?.close());

/** The reference: per child, as docs/FORECAST.md describes the method. */
function reference(horizon: number, shift = 0): Map<number, number> {
  const byYear = new Map<number, number>();
  const put = (payable: string, v: number) => {
    const y = Number(max(payable, TODAY).slice(0, 4));
    if (y < 2024 + horizon) byYear.set(y, (byYear.get(y) ?? 0) + v);
  };
  const decided = { other: { n: 0, k: 0 }, restgruppe: { n: 0, k: 0 } };
  for (const k of decidedKids) {
    const g = decided[k.restgruppe ? 'restgruppe' : 'other'];
    g.n++;
    if (k.value === 'generel') g.k++;
  }
  const rate = (g: { n: number; k: number }) => Math.min(1, Math.max(0, (g.k + 5) / (g.n + 10) + shift));
  // Language at 3: known days before min(window end, measured_on, today); days ahead per sixth of
  // the window at the rate that sixth was covered for the children whose window has ended.
  const sixths = (birth: string) => {
    const L = days(birth, addMonths(birth, 36));
    return [0, 1, 2, 3, 4, 5].map((s) => [addDays(birth, Math.floor((L * s) / 6)), addDays(birth, Math.floor((L * (s + 1)) / 6))] as const);
  };
  const covered = (k: Kid, a: string, b: string) =>
    Math.min(
      days(a, b),
      k.enrolments.reduce((sum, [s, e]) => sum + Math.max(0, days(max(s, a), min(e ?? b, b))), 0),
    );
  const profile = [0, 1, 2, 3, 4, 5].map((s) => {
    const past = [...decidedKids, ...pendingKids].filter((k) => addMonths(k.birth, 36) <= TODAY);
    const c = past.reduce((sum, k) => sum + covered(k, ...sixths(k.birth)[s]!), 0);
    return c / past.reduce((sum, k) => sum + days(...sixths(k.birth)[s]!), 0);
  });
  for (const k of pendingKids) {
    const m = addMonths(k.birth, 36);
    const L = days(k.birth, m);
    const known = covered(k, k.birth, max(k.birth, min(m, TODAY)));
    const ahead = sixths(k.birth).reduce((sum, [a, b], s) => sum + profile[s]! * Math.max(0, days(max(a, TODAY), min(b, m))), 0);
    const amount = k.restgruppe ? LANG_ORE * 1.5 : LANG_ORE;
    put(addDays(m, 30), amount * rate(decided[k.restgruppe ? 'restgruppe' : 'other']) * ((known + ahead) / L));
  }
  // Cash at 21: typical age 21 y 11 m; the school window lies wholly ahead (rho = 1), 80 % of it.
  for (const k of [...decidedKids, ...pendingKids]) {
    put(addDays(addMonths(k.birth, 12 * 21 + 11), 30), CASH_ORE * Math.min(1, Math.max(0, 0.5 + shift)) * 0.8);
  }
  return byYear;
}

describe('GET /v1/funds/{id}/forecast', () => {
  it('equals the child-by-child reference in every year, and the years add up', async () => {
    const f = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast`));
    expect(f.as_of).toBe(TODAY);
    expect(f.years).toHaveLength(25);
    expect(f.years[0].year).toBe(2024);
    const ref = reference(25);
    for (const y of f.years) {
      expect(Math.abs(y.expected_ore - (ref.get(y.year) ?? 0)), `year ${y.year}`).toBeLessThanOrEqual(1);
      expect(y.lower_ore).toBeLessThanOrEqual(y.expected_ore);
      expect(y.upper_ore).toBeGreaterThanOrEqual(y.expected_ore);
      const sum = y.rules.reduce((s: number, r: any) => s + r.expected_ore, 0);
      expect(Math.abs(sum - y.expected_ore)).toBeLessThanOrEqual(y.rules.length);
    }
    expect(f.years.reduce((s: number, y: any) => s + y.pending_outcomes, 0)).toBe(pendingKids.length + decidedKids.length + pendingKids.length);
    const langRates = f.rates.filter((r: any) => r.rule_id === language.id);
    expect(langRates.map((r: any) => [r.group, r.decided, r.earned, r.rate])).toEqual([
      ['restgruppe', 2, 1, '0.5000'],
      ['other', 3, 2, '0.5385'],
    ]);
    expect(f.holdings.total_ore).toBe(f.holdings.available_ore + f.holdings.reserved_ore);
    expect(f.holdings.total_ore).toBe(10_000_000);
  });

  it('applies a scenario: every rate 5 points higher, or one rule’s rate set', async () => {
    const f = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast?scenario=%2B5`));
    const ref = reference(25, 0.05);
    for (const y of f.years) expect(Math.abs(y.expected_ore - (ref.get(y.year) ?? 0)), `year ${y.year}`).toBeLessThanOrEqual(1);
    const set = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast?scenario=${cash.id}:0`));
    expect(set.rules.find((r: any) => r.rule_id === cash.id).expected_ore).toBe(0);
    expect(set.rules.find((r: any) => r.rule_id === language.id).expected_ore).toBeGreaterThan(0);
  });

  it('says when the money runs out: committed plus cumulative expected payouts above the holdings', async () => {
    const f = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast?horizon=40`));
    expect(f.years).toHaveLength(40);
    const first = f.years.find((y: any) => y.cumulative_expected_ore > f.holdings.total_ore);
    expect(f.runs_out_in).toBe(first?.year ?? null);
    expect(f.runs_out_in).not.toBeNull();
    for (const y of f.years) expect(y.holdings_left_ore).toBe(f.holdings.total_ore - y.cumulative_expected_ore);
  });

  it('an assumed rate moves the prior of a rule without decided awards', async () => {
    const before = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast`)).rules.find((r: any) => r.rule_id === cash.id).expected_ore;
    ok(await t.call('PUT', `/v1/rules/${cash.id}/assumed-rate`, { rate: '0.25', note: 'STAR figures' }));
    const f = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast`));
    expect(f.rates.find((r: any) => r.rule_id === cash.id)).toMatchObject({ assumed_rate: '0.2500', assumed_rate_set: true, rate: '0.2500' });
    expect(f.rules.find((r: any) => r.rule_id === cash.id).expected_ore).toBe(before / 2);
    ok(await t.call('PUT', `/v1/rules/${cash.id}/assumed-rate`, { rate: null }));
    expectProblem(await t.call('PUT', `/v1/rules/${cash.id}/assumed-rate`, { rate: '1.5' }), 422, 'body.rate');
  });

  it('answers CSV with the JSON figures (by ?format=csv and by Accept)', async () => {
    const json = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast?horizon=30`));
    for (const how of [
      { url: `?horizon=30&format=csv`, headers: {} },
      { url: '?horizon=30', headers: { accept: 'text/csv' } },
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/funds/${fund.id}/forecast${how.url}`,
        headers: { authorization: `Bearer ${t.adminKey}`, ...how.headers },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parseCsv(res.body);
      expect(rows[0]).toEqual([
        'year',
        'rule_id',
        'rule_name',
        'expected_ore',
        'lower_ore',
        'upper_ore',
        'expected_awards',
        'pending_outcomes',
        'cumulative_expected_ore',
        'holdings_left_ore',
      ]);
      const totals = rows.slice(1).filter((r) => r[1] === 'total');
      expect(totals.map((r) => [Number(r[0]), Number(r[3]), Number(r[4]), Number(r[5]), Number(r[8])])).toEqual(
        json.years.map((y: any) => [y.year, y.expected_ore, y.lower_ore, y.upper_ore, y.cumulative_expected_ore]),
      );
      expect(
        rows
          .slice(1)
          .filter((r) => r[1] === language.id)
          .map((r) => Number(r[3])),
      ).toEqual(json.years.map((y: any) => y.rules.find((x: any) => x.rule_id === language.id).expected_ore));
    }
  });

  it('refuses bad input naming the field, unknown funds, and keys other than admin and auditor', async () => {
    expectProblem(await t.call('GET', `/v1/funds/${fund.id}/forecast?horizon=101`), 400, 'query.horizon');
    expectProblem(await t.call('GET', `/v1/funds/${fund.id}/forecast?horizon=0`), 400, 'query.horizon');
    expectProblem(await t.call('GET', `/v1/funds/${fund.id}/forecast?scenario=1.5`), 422, 'query.scenario');
    expectProblem(await t.call('GET', `/v1/funds/${fund.id}/forecast?scenario=-0.5x`), 422, 'query.scenario');
    expectProblem(await t.call('GET', `/v1/funds/${fund.id}/forecast?scenario=00000000-0000-4000-8000-000000000000:0.3`), 422, 'query.scenario');
    expectProblem(await t.call('GET', `/v1/funds/00000000-0000-4000-8000-000000000000/forecast`), 404);
    const auditor = await createKey(t, { role: 'auditor' });
    ok(await t.call('GET', `/v1/funds/${fund.id}/forecast`, undefined, auditor));
    const inst = await createKey(t, { role: 'institution', institution: 'V-1' });
    expectProblem(await t.call('GET', `/v1/funds/${fund.id}/forecast`, undefined, inst), 403);
    expectProblem(await t.call('PUT', `/v1/rules/${cash.id}/assumed-rate`, { rate: '0.3' }, auditor), 403);
  });

  it('keeps its basis while nothing changes, and sees a new child at once', async () => {
    const a = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast`));
    const b = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast`));
    expect(b.basis).toEqual(a.basis);
    ok(await t.call('POST', '/v1/children', { birth_date: '2023-06-01', attributes: {} }), 201);
    const c = ok(await t.call('GET', `/v1/funds/${fund.id}/forecast`));
    expect(c.basis.inputs_seq).not.toBe(a.basis.inputs_seq);
    expect(c.years.reduce((s: number, y: any) => s + y.pending_outcomes, 0)).toBe(a.years.reduce((s: number, y: any) => s + y.pending_outcomes, 0) + 2);
  });
});

describe('GET /v1/institutions/{id}/pipeline', () => {
  it('lists the pending awards of its former children with the bonus if earned, the expected bonus and when — ids only', async () => {
    const v1 = (await t.ctx.db.selectFrom('institutions').select('id').where('code', '=', 'V-1').executeTakeFirstOrThrow()).id;
    const key = await createKey(t, { role: 'institution', institution: 'V-1' });
    const p = ok(await t.call('GET', `/v1/institutions/${v1}/pipeline`, undefined, key));
    // Pending language awards of the children V-1 had (the never-enrolled ones are not its children); the cash rule does not pay vuggestuer.
    const enrolledPending = pendingKids.filter((k) => k.enrolments.length);
    expect(p.items.map((i: any) => i.child_id).sort()).toEqual(enrolledPending.map((k: any) => k.id).sort());
    expect(p.rules).toEqual([expect.objectContaining({ rule_id: language.id, pending: enrolledPending.length })]);
    for (const item of p.items) {
      const k = pendingKids.find((x: any) => x.id === item.child_id)!;
      const m = addMonths(k.birth, 36);
      const own = Math.min(
        days(k.birth, m),
        k.enrolments.reduce((s, [a, e]) => s + Math.max(0, days(max(a, k.birth), min(e ?? m, m))), 0),
      );
      const ifEarned = (k.restgruppe ? LANG_ORE * 1.5 : LANG_ORE) * (own / days(k.birth, m));
      expect(item).toMatchObject({ rule_id: language.id, period: 'age-3', expected_measured_on: m, expected_payable_on: max(addDays(m, 30), TODAY) });
      expect(Math.abs(item.if_earned_ore - ifEarned)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(item.expected_ore - ifEarned * Number(item.rate))).toBeLessThanOrEqual(ifEarned * 0.0001 + 1); // the rate is shown to 4 places, truncated
    }
    expect(JSON.stringify(p)).not.toMatch(/cpr|hmac/i);
    expect(ok(await t.call('GET', `/v1/institutions/${v1}/pipeline`))).toEqual(p);
  });

  it('refuses another institution’s key and answers 404 for an unknown institution', async () => {
    const other = ok(await t.call('POST', '/v1/institutions', { code: 'V-2', kind: 'vuggestue', name: 'V2' }), 201);
    const key = await createKey(t, { role: 'institution', institution: 'V-2' });
    const v1 = (await t.ctx.db.selectFrom('institutions').select('id').where('code', '=', 'V-1').executeTakeFirstOrThrow()).id;
    expectProblem(await t.call('GET', `/v1/institutions/${v1}/pipeline`, undefined, key), 403);
    expect(ok(await t.call('GET', `/v1/institutions/${other.id}/pipeline`, undefined, key)).items).toEqual([]);
    expectProblem(await t.call('GET', '/v1/institutions/00000000-0000-4000-8000-000000000000/pipeline'), 404);
  });

  it('splits a day the child spent at two institutions between them, as the settlement does (§5)', async () => {
    const v3 = ok(await t.call('POST', '/v1/institutions', { code: 'V-3', kind: 'vuggestue', name: 'V3' }), 201).id;
    const v1 = (await t.ctx.db.selectFrom('institutions').select('id').where('code', '=', 'V-1').executeTakeFirstOrThrow()).id;
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2023-01-01', attributes: {} }), 201).id;
    ok(await t.call('POST', '/v1/enrolments', { child, institution: 'V-1', start: '2023-07-01', end: '2024-01-01' }), 201);
    ok(await t.call('POST', '/v1/enrolments', { child, institution: 'V-3', start: '2023-10-01' }), 201);
    const item = async (inst: string) => ok(await t.call('GET', `/v1/institutions/${inst}/pipeline`)).items.find((i: any) => i.child_id === child);
    // Window 2023-01-01 – 2026-01-01 (1,096 days). V-1: 92 days alone, 92 shared (46). V-3: 92 shared (46), then 731 alone until the assessment.
    const share = (days: number) => (Math.floor((days / 1096) * 1e6) / 1e6).toFixed(6); // shown truncated to 6 places
    expect(await item(v1)).toMatchObject({ share: share(138), if_earned_ore: Math.round((LANG_ORE * 138) / 1096) });
    expect(await item(v3)).toMatchObject({ share: share(777), if_earned_ore: Math.round((LANG_ORE * 777) / 1096) });
  });
});
