import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';

/**
 * The outcome summary (`outcome_facts`, `outcome_counts`) is kept from change marks (migration
 * 0028, DECISIONS D199): the award writes and the registry's changes only mark (child, rule) pairs
 * or children, and the summary's writer computes exactly those rows again. After every kind of
 * change the kept tables must equal ones built afresh from the awards (`rebuildAll`). Fails if a
 * trigger misses a change (the kept row would lag) or if the writer computes a row differently from
 * a full build.
 */
let t: TestApp;
let fundId: string;
let ruleId: string;
const children: string[] = [];
const measurements: string[] = [];
const N = 12;

beforeAll(async () => {
  // The worker's background pass stays away (a day): each test decides when the writer runs.
  t = await createTestApp({ env: { FORECAST_REFRESH_MS: '86400000' } });
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] }));
  fundId = ok(await t.call('POST', '/v1/funds', { name: 'Outcome summary' }), 201).id;
  ok(await t.call('POST', `/v1/funds/${fundId}/deposits`, { amount_ore: 1_000_000_000, funder: 'LBF' }), 201);
  for (const [code, kind, municipality] of [
    ['V-1', 'vuggestue', 'Odense'],
    ['V-2', 'vuggestue', 'Aarhus'],
    ['D-1', 'dagpleje', 'Vejle'],
    ['B-1', 'boernehave', 'Odense'],
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
    const child = ok(
      await t.call('POST', '/v1/children', { birth_date: `${2019 + (i % 2)}-0${(i % 9) + 1}-01`, attributes: { restgruppe_origin: i % 3 === 0 } }),
      201,
    );
    children.push(child.id);
    ok(
      await t.call('POST', '/v1/enrolments', {
        child: child.id,
        institution: ['V-1', 'V-2', 'D-1'][i % 3],
        start: `${2019 + (i % 2)}-12-01`,
        end: `${2022 + (i % 2)}-01-01`,
      }),
      201,
    );
    if (i < N - 2) measurements.push((await measure(i, i % 4 === 0 ? 'saerlig' : 'generel', 201)).measurement.id);
  }
  await t.settled();
}, 180_000);
afterAll(async () => t?.close());

async function measure(i: number, value: string, status: number) {
  return ok(
    await t.call('POST', '/v1/measurements', {
      child_id: children[i],
      kind: 'sprogvurdering',
      period: 'age-4',
      value,
      measured_on: i % 2 === 0 ? '2023-04-20' : '2024-04-20',
    }),
    status,
  );
}

const marks = async () => Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM outcome_dirty`.execute(t.ctx.db)).rows[0]!.n);

/** Both tables in a comparable form (counter rows that are all zero left out: a kept counter can fall to zero and stay). */
async function dump() {
  const facts = await sql<{ row: string }>`
    SELECT (child_id, rule_id, awards, earned_awards, amount_ore, restgruppe, birth_year, institution_ids, institution_kinds, municipalities)::text AS row
    FROM outcome_facts ORDER BY child_id, rule_id`.execute(t.ctx.db);
  const counts = await sql<{ row: string }>`
    SELECT (rule_id, dim, value, restgruppe, measured, earned, amount_ore, awards, earned_awards)::text AS row FROM outcome_counts
    WHERE (measured, earned, amount_ore, awards, earned_awards) <> (0, 0, 0, 0, 0) ORDER BY rule_id, dim, value, restgruppe`.execute(t.ctx.db);
  return { facts: facts.rows.map((r) => r.row), counts: counts.rows.map((r) => r.row) };
}

async function expectKeptEqualsFresh(what: string) {
  await t.settled();
  await t.ctx.services.outcomeSummary.refresh();
  expect(await marks(), what).toBe(0);
  const kept = await dump();
  await t.ctx.services.outcomeSummary.rebuildAll();
  const fresh = await dump();
  expect(kept, what).toEqual(fresh);
  expect(fresh.facts.length, what).toBeGreaterThan(0);
  // Nothing left pending from the rebuild's own differences.
  const pending = await sql<{
    n: number;
  }>`SELECT ((SELECT count(*) FROM outcome_count_pending) + (SELECT count(*) FROM outcome_count_flush))::int AS n`.execute(t.ctx.db);
  expect(pending.rows[0]!.n, what).toBe(0);
  return fresh;
}

describe('the outcome summary kept from change marks', () => {
  it('settlement only marks: the summary changes when its writer takes the marks', async () => {
    await expectKeptEqualsFresh('initial');
    const before = await dump();
    await measure(N - 2, 'generel', 201);
    await t.settled();
    // The award is written, but its row is not: the worker's background pass runs every minute here.
    expect(await marks()).toBeGreaterThan(0);
    expect(await dump()).toEqual(before);
    const { marks: taken } = await t.ctx.services.outcomeSummary.refresh();
    expect(taken).toBeGreaterThan(0);
    expect((await dump()).facts.length).toBe(before.facts.length + 1);
  });

  it('equals one built afresh after every kind of change', async () => {
    await measure(N - 1, 'saerlig', 201);
    await expectKeptEqualsFresh('a new award, not earned');
    await measure(1, 'saerlig', 200);
    await expectKeptEqualsFresh('a correction: earned no longer');
    await measure(0, 'generel', 200);
    await expectKeptEqualsFresh('a correction: earned now');
    ok(
      await t.call('POST', `/v1/rules/${ruleId}/versions`, {
        effective_from: '2023-01-01',
        predicate: { op: 'eq', value: 'generel' },
        amount: { fixed_ore: 1_500_000 },
        windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue', 'dagpleje', 'boernehave'] }],
      }),
      201,
    );
    await expectKeptEqualsFresh('a new rule version: amounts and the kinds paid');
    ok(await t.call('PATCH', `/v1/children/${children[2]}`, { attributes: { restgruppe_origin: true } }));
    await expectKeptEqualsFresh('attributes');
    ok(await t.call('PATCH', `/v1/children/${children[4]}`, { birth_date: '2018-02-02' }));
    await expectKeptEqualsFresh('birth date');
    const added = ok(await t.call('POST', '/v1/enrolments', { child: children[5], institution: 'D-1', start: '2020-03-01', end: '2020-09-01' }), 201).id;
    await expectKeptEqualsFresh('an enrolment added');
    ok(await t.call('PATCH', `/v1/enrolments/${added}`, { institution: 'B-1' }));
    await expectKeptEqualsFresh('an enrolment corrected');
    ok(await t.call('DELETE', `/v1/enrolments/${added}`), 204);
    await expectKeptEqualsFresh('an enrolment deleted');
    const institution = async (code: string) => (await t.ctx.db.selectFrom('institutions').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    ok(await t.call('PATCH', `/v1/institutions/${await institution('V-2')}`, { municipality: 'Vejle' }));
    await expectKeptEqualsFresh('an institution’s municipality');
    ok(await t.call('PATCH', `/v1/institutions/${await institution('D-1')}`, { kind: 'boernehave' }));
    await expectKeptEqualsFresh('an institution’s kind');
    ok(await t.call('POST', '/v1/measurements/retract', { child_id: children[3], kind: 'sprogvurdering', period: 'age-4' }));
    await expectKeptEqualsFresh('a measurement retracted');
    // No route removes an award; an operator's delete (and any other) is marked like the rest.
    await t.ctx.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: string }>`SELECT id FROM awards WHERE child_id = ${children[6]}::uuid`.execute(trx);
      const ids = rows.map((r) => r.id);
      expect(ids.length).toBeGreaterThan(0);
      for (const table of ['award_payees', 'award_revisions', 'objections']) {
        await sql`DELETE FROM ${sql.table(table)} WHERE award_id = ANY(${ids}::uuid[])`.execute(trx);
      }
      await sql`DELETE FROM awards WHERE id = ANY(${ids}::uuid[])`.execute(trx);
    });
    const fresh = await expectKeptEqualsFresh('an award removed');
    expect(fresh.facts.some((row) => row.includes(children[6]!))).toBe(false);
  });

  it('a rule version leaves one mark for its rule; the writer expands it into every row of the rule (D209)', async () => {
    await expectKeptEqualsFresh('before');
    const ruleMarks = async () =>
      Number(
        (await sql<{ n: string }>`SELECT count(*)::text AS n FROM outcome_dirty WHERE child_id IS NULL AND rule_id = ${ruleId}::uuid`.execute(t.ctx.db))
          .rows[0]!.n,
      );
    ok(
      await t.call('POST', `/v1/rules/${ruleId}/versions`, {
        effective_from: '2024-01-01',
        predicate: { op: 'eq', value: 'generel' },
        amount: { fixed_ore: 1_500_000 },
        windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue', 'dagpleje', 'boernehave'] }],
      }),
      201,
    );
    // The admin's transaction wrote one mark for the rule, not one per row of it.
    expect(await ruleMarks()).toBe(1);
    await t.settled();
    // A row of the rule that no award change marks, put wrong behind the writer's back: only the
    // rule mark's expansion brings it back.
    const { rows } = await sql<{ child_id: string }>`
      UPDATE outcome_facts SET birth_year = 1900
      WHERE (child_id, rule_id) = (SELECT child_id, rule_id FROM outcome_facts WHERE rule_id = ${ruleId}::uuid ORDER BY child_id LIMIT 1)
      RETURNING child_id`.execute(t.ctx.db);
    expect(rows).toHaveLength(1);
    await expectKeptEqualsFresh('a rule version: every row of the rule recomputed');
    expect(await ruleMarks()).toBe(0);
  });

  it('a report and a forecast read every change committed before them (they take the marks first)', async () => {
    const measured = async () => ok(await t.call('GET', '/v1/reports/outcomes?group_by=origin')).rules[0].total.measured as number;
    const decided = async () =>
      (ok(await t.call('GET', `/v1/funds/${fundId}/forecast`)).rates as Array<{ decided: number }>).reduce((n, r) => n + r.decided, 0);
    const [m0, d0] = [await measured(), await decided()];
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-05-05', attributes: {} }), 201).id;
    ok(await t.call('POST', '/v1/enrolments', { child, institution: 'V-1', start: '2019-12-01', end: '2022-01-01' }), 201);
    children.push(child);
    await measure(children.length - 1, 'generel', 201);
    await t.settled();
    expect(await marks()).toBeGreaterThan(0);
    expect(await measured()).toBe(m0 + 1);
    expect(await marks()).toBe(0);
    await measure(children.length - 1, 'saerlig', 200);
    await t.settled();
    expect(await decided()).toBe(d0 + 1);
  });
});
