import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';

/**
 * A composite rule in the liability forecast (SETTLEMENT.md §11; DECISIONS D138): one award per
 * child, expected when its *last* requirement is typically measured plus the review window, and
 * decided once the child has the rule's award — whichever requirement it was settled from. Checked
 * against a reference written child by child, as forecast.test.ts does for single-kind rules.
 */
const NOW = new Date('2024-06-15T12:00:00Z');
const TODAY = '2024-06-15';
const AMOUNT = 1_000_000;
const DAY = 86_400_000;
let t: TestApp;
let fund: string;
let rule: string;
const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY);
const addDays = (iso: string, n: number) => new Date(Date.parse(iso) + n * DAY).toISOString().slice(0, 10);
const addMonths = (iso: string, n: number) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const last = new Date(Date.UTC(Math.floor(total / 12), (total % 12) + 1, 0)).getUTCDate();
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};
const min = (...d: string[]) => d.reduce((a, b) => (a < b ? a : b));
const max = (...d: string[]) => d.reduce((a, b) => (a > b ? a : b));

interface Kid {
  birth: string;
  enrolment: [string, string | null] | null;
  sprog?: string;
  parents?: string;
  id?: string;
}
// The language assessment is typically at 36 months, the parents' questionnaire at 48: the latter dates the award.
const kids: Kid[] = [
  { birth: '2019-01-10', enrolment: ['2019-07-01', '2021-12-01'], sprog: '2022-01-15', parents: '2023-01-12' }, // decided
  { birth: '2020-05-05', enrolment: ['2020-11-01', '2023-05-05'], sprog: '2023-05-10' }, // pending: overdue, expected now
  { birth: '2022-03-01', enrolment: ['2022-09-01', null] }, // pending, partly known
  { birth: '2023-08-01', enrolment: null }, // pending, nothing known
];

beforeAll(async () => {
  t = await createTestApp({ clock: () => NOW });
  ok(
    await t.call('POST', '/v1/measurement-kinds', {
      key: 'cx-sprog',
      type: 'enum',
      values: ['generel', 'fokuseret'],
      periods: [{ period: 'age-3', basis: 'age', from_months: 30, to_months: 48, typical_months: 36 }],
    }),
    201,
  );
  ok(
    await t.call('POST', '/v1/measurement-kinds', {
      key: 'cx-parents',
      type: 'number',
      min: 0,
      max: 100,
      periods: [{ period: 'age-4', basis: 'age', from_months: 42, to_months: 60, typical_months: 48 }],
    }),
    201,
  );
  fund = ok(await t.call('POST', '/v1/funds', { name: 'Composite fund' }), 201).id;
  ok(await t.call('POST', `/v1/funds/${fund}/deposits`, { amount_ore: 10_000_000, funder: 'LBF' }), 201);
  ok(await t.call('POST', '/v1/institutions', { code: 'CV-1', kind: 'vuggestue', name: 'CV1' }), 201);
  rule = ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fund,
      name: 'Language and parents',
      requires: { sprog: { kind: 'cx-sprog', period: 'age-3' }, parents: { kind: 'cx-parents', period: 'age-4' } },
      versions: [
        {
          effective_from: '2015-01-01',
          predicates: { sprog: { op: 'in', values: ['generel'] }, parents: { op: 'gte', value: 60 } },
          amount: { fixed_ore: AMOUNT },
          windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
          review_days: 30,
        },
      ],
    }),
    201,
  ).id;
  for (const k of kids) {
    k.id = ok(await t.call('POST', '/v1/children', { birth_date: k.birth, attributes: {} }), 201).id;
    if (k.enrolment)
      ok(
        await t.call('POST', '/v1/enrolments', { child: k.id, institution: 'CV-1', start: k.enrolment[0], ...(k.enrolment[1] ? { end: k.enrolment[1] } : {}) }),
        201,
      );
    if (k.sprog)
      ok(await t.call('POST', '/v1/measurements', { child_id: k.id, kind: 'cx-sprog', period: 'age-3', value: 'generel', measured_on: k.sprog }), 201);
    if (k.parents)
      ok(await t.call('POST', '/v1/measurements', { child_id: k.id, kind: 'cx-parents', period: 'age-4', value: 70, measured_on: k.parents }), 201);
  }
  await t.settled();
}, 120_000);
afterAll(async () => t?.close());

/** The reference: per pending child, as docs/FORECAST.md describes the method. */
function reference(): Map<number, number> {
  const decided = kids.filter((k) => k.sprog && k.parents);
  const pending = kids.filter((k) => !(k.sprog && k.parents));
  const rate = (decided.length + 5) / (decided.length + 10); // all decided earned; assumed rate 0.5, weight 10
  const sixths = (birth: string) => {
    const L = days(birth, addMonths(birth, 36));
    return [0, 1, 2, 3, 4, 5].map((s) => [addDays(birth, Math.floor((L * s) / 6)), addDays(birth, Math.floor((L * (s + 1)) / 6))] as const);
  };
  const covered = (k: Kid, a: string, b: string) => (k.enrolment ? Math.max(0, days(max(k.enrolment[0], a), min(k.enrolment[1] ?? b, b))) : 0);
  const profile = [0, 1, 2, 3, 4, 5].map((s) => {
    const past = kids.filter((k) => addMonths(k.birth, 36) <= TODAY);
    return past.reduce((sum, k) => sum + covered(k, ...sixths(k.birth)[s]!), 0) / past.reduce((sum, k) => sum + days(...sixths(k.birth)[s]!), 0);
  });
  const byYear = new Map<number, number>();
  for (const k of pending) {
    const m = addMonths(k.birth, 48); // the later requirement
    const end = addMonths(k.birth, 36);
    const L = days(k.birth, end);
    const known = covered(k, k.birth, max(k.birth, min(end, m, TODAY)));
    const ahead = sixths(k.birth).reduce((sum, [a, b], s) => sum + profile[s]! * Math.max(0, days(max(a, TODAY), min(b, m))), 0);
    const year = Number(max(addDays(m, 30), TODAY).slice(0, 4));
    byYear.set(year, (byYear.get(year) ?? 0) + AMOUNT * rate * ((known + ahead) / L));
  }
  return byYear;
}

describe('a composite rule in the liability forecast', () => {
  it('is forecast: one outcome per child not yet awarded, dated by its last requirement plus the review window', async () => {
    const f = ok(await t.call('GET', `/v1/funds/${fund}/forecast?horizon=5`));
    expect(f.not_forecast).toEqual([]);
    const r = f.rules.find((x: any) => x.rule_id === rule);
    expect(r.pending_outcomes).toBe(3);
    expect(f.rates.filter((x: any) => x.rule_id === rule).map((x: any) => [x.group, x.decided, x.earned])).toEqual([
      ['restgruppe', 0, 0],
      ['other', 1, 1],
    ]);
    const ref = reference();
    expect([...ref.keys()].sort()).toEqual([2024, 2026, 2027]);
    for (const y of f.years) expect(Math.abs(y.expected_ore - (ref.get(y.year) ?? 0)), `year ${y.year}`).toBeLessThanOrEqual(1);
    // The overdue child (its parents' questionnaire is late) is expected this year, the others a review window after 48 months.
    expect(f.years.find((y: any) => y.year === 2024).pending_outcomes).toBe(1);
  });

  it('an award settled from either requirement decides the child', async () => {
    const before = ok(await t.call('GET', `/v1/funds/${fund}/forecast?horizon=5`)).rules.find((x: any) => x.rule_id === rule).pending_outcomes;
    ok(await t.call('POST', '/v1/measurements', { child_id: kids[1]!.id, kind: 'cx-parents', period: 'age-4', value: 40, measured_on: '2024-06-01' }), 201);
    await t.settled();
    const f = ok(await t.call('GET', `/v1/funds/${fund}/forecast?horizon=5`));
    expect(f.rules.find((x: any) => x.rule_id === rule).pending_outcomes).toBe(before - 1);
    expect(f.rates.find((x: any) => x.rule_id === rule && x.group === 'other')).toMatchObject({ decided: 2, earned: 1 });
  });

  it('the institution’s pipeline lists the composite rule’s pending children', async () => {
    const cv = (await t.ctx.db.selectFrom('institutions').select('id').where('code', '=', 'CV-1').executeTakeFirstOrThrow()).id;
    const p = ok(await t.call('GET', `/v1/institutions/${cv}/pipeline`));
    expect(p.items.map((i: any) => i.child_id)).toEqual([kids[2]!.id]);
    expect(p.items[0]).toMatchObject({ rule_id: rule, period: null, expected_measured_on: addMonths(kids[2]!.birth, 48) });
  });
});
