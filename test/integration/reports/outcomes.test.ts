import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createKey, expectProblem, ok } from '../registry/helpers.js';

/**
 * GET /v1/reports/outcomes on a small world whose answers follow from how it is built:
 * 30 children, the first 8 of restgruppe origin; child i is at vuggestue V-1 (i < 20), V-2
 * (20 ≤ i < 27) or dagpleje D-1 (27 ≤ i < 30), every one at school S-1 (a kind the rule does not
 * pay); child i earns when i % 3 ≠ 0. The rule pays vuggestue and dagpleje 10,000 DKK.
 */
const N = 30;
const restgruppe = (i: number) => i < 8;
const earns = (i: number) => i % 3 !== 0;
const daycare = (i: number) => (i < 20 ? 'V-1' : i < 27 ? 'V-2' : 'D-1');

let t: TestApp;
let fundId: string;
let ruleId: string;
const children: string[] = [];
const measurements: string[] = [];

function expected(filter: (i: number) => boolean) {
  const idx = [...Array(N).keys()].filter(filter);
  return { measured: idx.length, earned: idx.filter(earns).length };
}

beforeAll(async () => {
  t = await createTestApp();
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] }));
  fundId = ok(await t.call('POST', '/v1/funds', { name: 'F' }), 201).id;
  ok(await t.call('POST', `/v1/funds/${fundId}/deposits`, { amount_ore: 1_000_000_000, funder: 'LBF' }), 201);
  for (const [code, kind, municipality] of [
    ['V-1', 'vuggestue', 'Odense'],
    ['V-2', 'vuggestue', 'Aarhus'],
    ['D-1', 'dagpleje', 'Odense'],
    ['S-1', 'skole', 'Odense'],
  ]) {
    ok(await t.call('POST', '/v1/institutions', { code, kind, name: code, municipality }), 201);
  }
  ruleId = ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fundId,
      name: 'Language',
      kind: 'sprogvurdering',
      versions: [
        {
          effective_from: '2015-01-01',
          predicate: { op: 'eq', value: 'generel' },
          amount: { fixed_ore: 1_000_000 },
          windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue', 'dagpleje'] }],
        },
      ],
    }),
    201,
  ).id;
  for (let i = 0; i < N; i++) {
    const birth = `2019-${String((i % 12) + 1).padStart(2, '0')}-01`;
    const child = ok(
      await t.call('POST', '/v1/children', { birth_date: i < 15 ? birth : birth.replace('2019', '2020'), attributes: { restgruppe_origin: restgruppe(i) } }),
      201,
    );
    children.push(child.id);
    ok(
      await t.call('POST', '/v1/enrolments', {
        child: child.id,
        institution: daycare(i),
        start: i < 15 ? '2019-12-01' : '2020-12-01',
        end: i < 15 ? '2022-01-01' : '2023-01-01',
      }),
      201,
    );
    ok(await t.call('POST', '/v1/enrolments', { child: child.id, institution: 'S-1', start: i < 15 ? '2025-08-10' : '2026-08-10' }), 201);
    const m = ok(
      await t.call('POST', '/v1/measurements', {
        child_id: child.id,
        kind: 'sprogvurdering',
        period: 'age-4',
        value: earns(i) ? 'generel' : 'saerlig',
        measured_on: i < 15 ? '2023-04-20' : '2024-04-20',
      }),
      201,
    );
    measurements.push(m.measurement.id);
  }
  await t.settled();
}, 180_000);
afterAll(async () => t?.close());

const report = async (query: string, key?: string) => ok(await t.call('GET', `/v1/reports/outcomes?${query}`, undefined, key));

/** outcome_facts equals what the awards, children and enrolments say now (kept from the triggers' change marks, D199). */
async function expectFactsFresh() {
  // Read directly, not through a report: the summary's writer takes the waiting marks first, as every reader does.
  await t.ctx.services.outcomeSummary.refresh();
  const { rows } = await sql<{ diff: number }>`
    WITH truth AS (
      SELECT a.child_id, a.rule_id, count(*)::int AS awards, (count(*) FILTER (WHERE a.earned))::int AS earned_awards, sum(a.amount_ore)::bigint AS amount_ore
      FROM awards a GROUP BY 1, 2),
    groups AS (SELECT * FROM outcome_groups(ARRAY(SELECT child_id FROM truth), ARRAY(SELECT rule_id FROM truth)))
    SELECT count(*)::int AS diff FROM (
      (SELECT t.*, g.restgruppe, g.birth_year, g.institution_ids, g.institution_kinds, g.municipalities FROM truth t JOIN groups g USING (child_id, rule_id)
       EXCEPT SELECT child_id, rule_id, awards, earned_awards, amount_ore, restgruppe, birth_year, institution_ids, institution_kinds, municipalities FROM outcome_facts)
      UNION ALL
      (SELECT child_id, rule_id, awards, earned_awards, amount_ore, restgruppe, birth_year, institution_ids, institution_kinds, municipalities FROM outcome_facts
       EXCEPT SELECT t.*, g.restgruppe, g.birth_year, g.institution_ids, g.institution_kinds, g.municipalities FROM truth t JOIN groups g USING (child_id, rule_id))
    ) d`.execute(t.ctx.db);
  expect(rows[0]!.diff).toBe(0);
  // The pre-aggregated counts equal an aggregation of the facts, and nothing is left pending.
  const counts = await sql<{ diff: number; pending: number }>`
    WITH truth AS (
      SELECT f.rule_id, d.dim, d.value, f.restgruppe, count(*)::bigint AS measured, (count(*) FILTER (WHERE f.earned_awards > 0))::bigint AS earned, sum(f.amount_ore)::bigint AS amount_ore
      FROM outcome_facts f CROSS JOIN LATERAL outcome_dims(f.birth_year, f.institution_ids, f.institution_kinds, f.municipalities) d
      WHERE f.awards > 0 GROUP BY 1, 2, 3, 4),
    published AS (SELECT rule_id, dim, value, restgruppe, measured, earned, amount_ore FROM outcome_counts WHERE measured > 0)
    SELECT (SELECT count(*) FROM ((SELECT * FROM truth EXCEPT SELECT * FROM published) UNION ALL (SELECT * FROM published EXCEPT SELECT * FROM truth)) d)::int AS diff,
           (SELECT count(*) FROM outcome_count_pending)::int + (SELECT count(*) FROM outcome_count_flush)::int AS pending`.execute(t.ctx.db);
  expect(counts.rows[0]).toEqual({ diff: 0, pending: 0 });
}

describe('GET /v1/reports/outcomes', () => {
  it('by origin: measured, earned, rates with Wilson intervals, amounts and the gap', async () => {
    const r = await report('group_by=origin');
    expect(r.group_by).toBe('origin');
    const rule = r.rules.find((x: any) => x.rule_id === ruleId);
    const all = expected(() => true);
    expect(rule.total).toMatchObject({ measured: all.measured, earned: all.earned, suppressed: null, amount_ore: all.earned * 1_000_000 });
    const rg = expected(restgruppe);
    const other = expected((i) => !restgruppe(i));
    const byKey = Object.fromEntries(rule.groups.map((g: any) => [g.key, g]));
    expect(byKey.restgruppe).toMatchObject({ measured: rg.measured, earned: rg.earned, earn_rate: Number((rg.earned / rg.measured).toFixed(4)) });
    expect(byKey.other).toMatchObject({ measured: other.measured, earned: other.earned });
    expect(byKey.other.ci_low).toBeLessThan(byKey.other.earn_rate);
    expect(byKey.other.ci_high).toBeGreaterThan(byKey.other.earn_rate);
    expect(rule.gap_pp).toBeCloseTo((rg.earned / rg.measured - other.earned / other.measured) * 100, 2);
    await expectFactsFresh();
  });

  it('by institution: a child counts under its own institutions of the rule’s kinds; small cells suppressed, with a second one', async () => {
    const r = await report('group_by=institution');
    const rule = r.rules.find((x: any) => x.rule_id === ruleId);
    const byLabel = Object.fromEntries(rule.groups.map((g: any) => [g.label.split(' ')[0], g]));
    expect(Object.keys(byLabel).sort()).toEqual(['D-1', 'V-1', 'V-2']); // not the school: the rule does not pay skole
    expect(byLabel['D-1']).toMatchObject({ measured: null, earned: null, amount_ore: null, suppressed: 'primary' });
    // V-2 (7 children) is the smallest other cell: withheld so that D-1 = 30 − V-1 − V-2 cannot be worked out.
    expect(byLabel['V-2']).toMatchObject({ measured: null, suppressed: 'secondary' });
    expect(byLabel['V-1']).toMatchObject({ ...expected((i) => daycare(i) === 'V-1'), suppressed: null });
    expect(rule.total.measured).toBe(N);
  });

  it('by municipality, institution kind and birth year', async () => {
    const muni = (await report('group_by=municipality')).rules[0];
    expect(Object.fromEntries(muni.groups.map((g: any) => [g.key, g.measured]))).toEqual({ Aarhus: 7, Odense: 23 });
    const kind = (await report('group_by=institution_kind')).rules[0];
    expect(Object.fromEntries(kind.groups.map((g: any) => [g.key, g.suppressed ?? g.measured]))).toEqual({ dagpleje: 'primary', vuggestue: 'secondary' });
    const year = (await report('group_by=birth_year')).rules[0];
    expect(Object.fromEntries(year.groups.map((g: any) => [g.key, g.measured]))).toEqual({ 2019: 15, 2020: 15 });
  });

  it('follows corrections, attribute changes, enrolments and municipalities (the summary is kept by triggers)', async () => {
    // Child 1 earned; corrected to saerlig it no longer does.
    ok(
      await t.call('POST', '/v1/measurements', { child_id: children[1], kind: 'sprogvurdering', period: 'age-4', value: 'saerlig', measured_on: '2023-04-20' }),
      200,
    );
    // Child 9 (not restgruppe) becomes restgruppe origin.
    ok(await t.call('PATCH', `/v1/children/${children[9]}`, { attributes: { restgruppe_origin: true } }));
    // Child 2 also went to V-2 before V-1.
    ok(await t.call('POST', '/v1/enrolments', { child: children[2], institution: 'V-2', start: '2019-06-01', end: '2019-12-01' }), 201);
    // V-2 moves to Odense.
    const v2 = ok(await t.call('GET', '/v1/institutions?limit=100')).items.find((i: any) => i.code === 'V-2');
    ok(await t.call('PATCH', `/v1/institutions/${v2.id}`, { municipality: 'Odense' }));
    await t.settled();
    await expectFactsFresh();
    const origin = (await report('group_by=origin')).rules[0];
    const byKey = Object.fromEntries(origin.groups.map((g: any) => [g.key, g]));
    const rgNow = (i: number) => restgruppe(i) || i === 9;
    const earnsNow = (i: number) => earns(i) && i !== 1;
    const idx = [...Array(N).keys()];
    expect(byKey.restgruppe).toMatchObject({ measured: idx.filter(rgNow).length, earned: idx.filter((i) => rgNow(i) && earnsNow(i)).length });
    const inst = (await report('group_by=institution')).rules[0];
    // V-2 now has 8 children (child 2 too) and D-1 stays primary; V-2 is still the smallest other cell.
    expect(inst.total.measured).toBe(N);
    const muni = (await report('group_by=municipality')).rules[0];
    expect(Object.fromEntries(muni.groups.map((g: any) => [g.key, g.measured]))).toEqual({ Odense: N });
  }, 120_000);

  it('an institution key gets the report over its own former children, for the rules that pay it', async () => {
    const key = await createKey(t, { role: 'institution', institution: 'V-2' });
    const r = await report('group_by=origin', key);
    expect(r.institution_id).toBeTruthy();
    const rule = r.rules[0];
    // V-2: children 20–26 and child 2.
    expect(rule.total.measured).toBe(8);
    const school = await createKey(t, { role: 'institution', institution: 'S-1' });
    expect((await report('group_by=origin', school)).rules).toEqual([]);
    expectProblem(await t.call('GET', `/v1/reports/outcomes?rule_id=${ruleId}`, undefined, school), 422, 'query.rule_id');
  });

  it('refuses an unknown group-by, an unknown fund and unknown parameters, naming the field', async () => {
    expectProblem(await t.call('GET', '/v1/reports/outcomes?group_by=postcode'), 400, 'query.group_by');
    expectProblem(await t.call('GET', '/v1/reports/outcomes?fund_id=00000000-0000-4000-8000-000000000000'), 422, 'query.fund_id');
    expectProblem(await t.call('GET', '/v1/reports/outcomes?groupby=origin'), 400, 'query.groupby');
    const integration = await createKey(t, { role: 'integration', scope: { kinds: ['sprogvurdering'], institutions: null, enrolments: false } });
    expectProblem(await t.call('GET', '/v1/reports/outcomes', undefined, integration), 403);
  });
});
