import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';

/**
 * The forecast's summary (migration 0023) is kept from change marks: a changed child is taken out
 * as it was counted and put in as it is now. After every kind of change the kept summary must
 * equal one built afresh from the registry — integers exactly, the squares (floats) to 1e-9.
 * Fails if a trigger misses a change (the kept summary would lag) or if taking a child out does
 * not undo putting it in.
 */
const NOW = new Date('2024-06-15T12:00:00Z');
let t: TestApp;
let fund: string;
let sprog: string;
const kids: Array<{ id: string; birth: string }> = [];

beforeAll(async () => {
  t = await createTestApp({ clock: () => NOW });
  fund = ok(await t.call('POST', '/v1/funds', { name: 'Summary fund' }), 201).id;
  ok(await t.call('POST', `/v1/funds/${fund}/deposits`, { amount_ore: 100_000_000, funder: 'LBF' }), 201);
  for (const [code, kind] of [
    ['V-1', 'vuggestue'],
    ['V-2', 'vuggestue'],
    ['S-1', 'skole'],
  ])
    ok(await t.call('POST', '/v1/institutions', { code, kind, name: code }), 201);
  sprog = ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fund,
      name: 'Language at 3',
      kind: 'sprogvurdering',
      periods: ['age-3'],
      versions: [
        {
          effective_from: '2015-01-01',
          predicate: { op: 'eq', value: 'generel' },
          amount: { fixed_ore: 1_000_000 },
          multipliers: [{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }],
          windows: [
            { from: 0, to: 18, share_bp: 4000, kinds: ['vuggestue'] },
            { from: 18, to: 36, share_bp: 6000, kinds: ['vuggestue'] },
          ],
          review_days: 30,
        },
      ],
    }),
    201,
  ).id;
  ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fund,
      name: 'No cash benefits at 21',
      kind: 'kontanthjaelp',
      periods: ['age-21'],
      versions: [
        {
          effective_from: '2000-01-01',
          predicate: { op: 'eq', value: false },
          amount: { fixed_ore: 5_000_000 },
          age_basis: 'calendar_years',
          windows: [
            { from: 6, to: 10, share_bp: 4000, kinds: ['skole'] },
            { from: 10, to: 16, share_bp: 4000, kinds: ['skole'] },
          ],
          review_days: 30,
        },
      ],
    }),
    201,
  );
  const births = ['2008-03-01', '2012-09-30', '2016-05-05', '2020-01-20', '2021-07-01', '2021-07-01', '2022-02-28', '2022-11-11', '2023-04-30', '2024-01-31'];
  for (const [i, birth] of births.entries()) {
    const id = ok(await t.call('POST', '/v1/children', { birth_date: birth, attributes: { restgruppe_origin: i % 3 === 0 } }), 201).id;
    kids.push({ id, birth });
  }
  const enrol = async (k: number, institution: string, start: string, end?: string) =>
    ok(await t.call('POST', '/v1/enrolments', { child: kids[k]!.id, institution, start, ...(end ? { end } : {}) }), 201).id as string;
  await enrol(0, 'S-1', '2014-08-01');
  await enrol(1, 'S-1', '2018-08-01', '2023-06-30');
  await enrol(2, 'V-1', '2016-11-01', '2019-05-05');
  await enrol(3, 'V-1', '2020-08-01', '2022-01-01');
  await enrol(3, 'V-2', '2022-03-01');
  await enrol(4, 'V-1', '2022-01-01');
  await enrol(5, 'V-1', '2022-02-01', '2023-01-01');
  await enrol(6, 'V-2', '2022-09-01');
  await enrol(7, 'V-1', '2023-05-01');
  ok(
    await t.call('POST', '/v1/measurements', { child_id: kids[2]!.id, kind: 'sprogvurdering', period: 'age-3', value: 'generel', measured_on: '2019-05-10' }),
    201,
  );
  await t.settled();
}, 120_000);
afterAll(async () => t?.close());

/** The summary's tables in a comparable form (cohorts by key, not by id). */
async function dump() {
  const db = t.ctx.db;
  const cohorts = (
    await sql<{ id: number; k: string; children: number; known_final: string; sq_final: number }>`
    SELECT id, rule_id || '|' || period || '|' || birth_date || '|' || attrs AS k, children, array_to_string(known_final, ',') AS known_final, sq_final FROM forecast_cohorts`.execute(
      db,
    )
  ).rows;
  const keyOf = new Map(cohorts.map((c) => [c.id, c.k]));
  const trim = (list: string) => list.replace(/(,0)+$/, '');
  const known = (
    await sql<{
      cohort_id: number;
      win: number;
      day: number;
      alpha: string;
      beta: string;
    }>`SELECT cohort_id, win, day, alpha::text, beta::text FROM forecast_known_events`.execute(db)
  ).rows;
  const squares = (
    await sql<{ cohort_id: number; day: number; a: number; b: number; c: number }>`SELECT cohort_id, day, a, b, c FROM forecast_square_events`.execute(db)
  ).rows;
  const profile = (
    await sql<{
      k: string;
      covered: string;
    }>`SELECT rule_id || '|' || period || '|' || birth_date AS k, array_to_string(covered, ',') AS covered FROM forecast_profile`.execute(db)
  ).rows;
  const births = (await sql<{ birth_date: string; children: number }>`SELECT birth_date::text, children FROM forecast_birth_dates`.execute(db)).rows;
  const snapshots = (
    await sql<{ child_id: string; s: string }>`SELECT child_id, (birth_date, attributes, spans, decided)::text AS s FROM forecast_children`.execute(db)
  ).rows;
  const exact = {
    cohorts: Object.fromEntries(cohorts.map((c) => [c.k, [c.children, trim(c.known_final)]])),
    known: Object.fromEntries(known.map((e) => [`${keyOf.get(e.cohort_id)}|${e.win}|${e.day}`, [e.alpha, e.beta]])),
    profile: Object.fromEntries(profile.map((p) => [p.k, trim(p.covered)])),
    births: Object.fromEntries(births.map((b) => [b.birth_date, b.children])),
    snapshots: Object.fromEntries(snapshots.map((s) => [s.child_id, s.s])),
  };
  const floats = new Map<string, number>();
  for (const c of cohorts) floats.set(`${c.k}|final`, c.sq_final);
  for (const e of squares)
    for (const [n, v] of [
      ['a', e.a],
      ['b', e.b],
      ['c', e.c],
    ] as const)
      floats.set(`${keyOf.get(e.cohort_id)}|${e.day}|${n}`, v);
  return { exact, floats };
}

async function expectKeptEqualsFresh(what: string) {
  await t.settled();
  await t.ctx.services.forecast.summary.refresh();
  expect(Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM forecast_dirty`.execute(t.ctx.db)).rows[0]!.n)).toBe(0);
  const kept = await dump();
  await t.ctx.services.forecast.summary.rebuildAll();
  const fresh = await dump();
  expect(kept.exact, what).toEqual(fresh.exact);
  for (const key of new Set([...kept.floats.keys(), ...fresh.floats.keys()])) {
    const a = kept.floats.get(key) ?? 0;
    const b = fresh.floats.get(key) ?? 0;
    expect(Math.abs(a - b), `${what}: ${key}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  }
  expect(Object.keys(fresh.exact.cohorts).length, what).toBeGreaterThan(0);
}

describe('the forecast summary kept from change marks', () => {
  it('equals one built afresh after every kind of change', async () => {
    await expectKeptEqualsFresh('initial');
    ok(await t.call('PATCH', `/v1/children/${kids[4]!.id}`, { birth_date: '2021-07-01', attributes: { restgruppe_origin: true } }));
    await expectKeptEqualsFresh('attributes');
    ok(await t.call('PATCH', `/v1/children/${kids[8]!.id}`, { birth_date: '2023-03-30', attributes: {} }));
    await expectKeptEqualsFresh('birth date');
    const overlap = ok(await t.call('POST', '/v1/enrolments', { child: kids[4]!.id, institution: 'V-2', start: '2022-06-01', end: '2023-06-01' }), 201).id;
    await expectKeptEqualsFresh('an overlapping enrolment');
    ok(await t.call('PATCH', `/v1/enrolments/${overlap}`, { end: '2024-09-01' }));
    await expectKeptEqualsFresh('an enrolment corrected into the future');
    ok(await t.call('DELETE', `/v1/enrolments/${overlap}`), 204);
    await expectKeptEqualsFresh('an enrolment deleted');
    const v2 = (await t.ctx.db.selectFrom('institutions').select('id').where('code', '=', 'V-2').executeTakeFirstOrThrow()).id;
    ok(await t.call('PATCH', `/v1/institutions/${v2}`, { kind: 'dagpleje' }));
    await expectKeptEqualsFresh('an institution’s kind');
    ok(
      await t.call('POST', '/v1/measurements', {
        child_id: kids[3]!.id,
        kind: 'sprogvurdering',
        period: 'age-3',
        value: 'fokuseret',
        measured_on: '2023-01-25',
      }),
      201,
    );
    await expectKeptEqualsFresh('an award decides an outcome');
    ok(
      await t.call('POST', `/v1/rules/${sprog}/versions`, {
        effective_from: '2022-01-01',
        predicate: { op: 'eq', value: 'generel' },
        amount: { fixed_ore: 1_200_000 },
        multipliers: [{ attribute: 'kommune_tilskud', equals: true, factor_bp: 11000 }],
        windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue', 'dagpleje'] }],
        review_days: 45,
      }),
      201,
    );
    await expectKeptEqualsFresh('a new rule version (the unit summarised again)');
    const late = ok(await t.call('POST', '/v1/children', { birth_date: '2019-12-24', attributes: { kommune_tilskud: true } }), 201).id;
    ok(await t.call('POST', '/v1/enrolments', { child: late, institution: 'V-1', start: '2020-06-01', end: '2022-12-24' }), 201);
    await expectKeptEqualsFresh('a new child');
  });

  it('a forecast after a change reads the change (no rebuild needed)', async () => {
    const before = ok(await t.call('GET', `/v1/funds/${fund}/forecast`)).total.pending_outcomes;
    ok(await t.call('POST', '/v1/children', { birth_date: '2024-03-01', attributes: {} }), 201);
    const after = ok(await t.call('GET', `/v1/funds/${fund}/forecast`)).total.pending_outcomes;
    expect(after).toBe(before + 2);
  });
});
