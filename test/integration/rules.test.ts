import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { count, expectProblem, ok } from './registry/helpers.js';

let t: TestApp;
let fundId: string;
beforeAll(async () => {
  t = await createTestApp();
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] }), 200);
  ok(await t.call('POST', '/v1/measurement-kinds', { key: 'reading', type: 'number', min: 1, max: 100 }), 201);
  fundId = ok(await t.call('POST', '/v1/funds', { name: 'F' }), 201).id;
});
afterAll(async () => t?.close());

const version = (over: Record<string, unknown> = {}) => ({
  effective_from: '2020-01-01',
  predicate: { op: 'eq', value: 'generel' },
  amount: { fixed_ore: 1_000_000 },
  windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
  ...over,
});
const rule = (versions: unknown[], over: Record<string, unknown> = {}) => ({ fund_id: fundId, kind: 'sprogvurdering', versions, ...over });

describe('rule validation (§3) rejects bad rules and stores nothing', () => {
  // Bodies are built lazily: the fund exists only once beforeAll has run.
  const cases: Array<[string, () => unknown, number, string]> = [
    [
      'shares over 10000',
      () =>
        rule([
          version({
            windows: [
              { from: 0, to: 12, share_bp: 6000, kinds: ['vuggestue'] },
              { from: 12, to: 36, share_bp: 4001, kinds: ['vuggestue'] },
            ],
          }),
        ]),
      422,
      'body.versions.0.windows',
    ],
    ['empty kinds', () => rule([version({ windows: [{ from: 0, to: 36, share_bp: 10000, kinds: [] }] })]), 400, 'body.versions.0.windows.0.kinds'],
    ['to ≤ from', () => rule([version({ windows: [{ from: 36, to: 36, share_bp: 10000, kinds: ['vuggestue'] }] })]), 422, 'body.versions.0.windows.0.to'],
    [
      'an unknown institution kind',
      () => rule([version({ windows: [{ from: 0, to: 36, share_bp: 100, kinds: ['circus'] }] })]),
      422,
      'body.versions.0.windows.0.kinds.0',
    ],
    [
      'a bound over 1,200 months',
      () => rule([version({ windows: [{ from: 0, to: 1201, share_bp: 100, kinds: ['vuggestue'] }] })]),
      400,
      'body.versions.0.windows.0.to',
    ],
    [
      'a bound over 100 calendar years',
      () => rule([version({ age_basis: 'calendar_years', windows: [{ from: 16, to: 101, share_bp: 100, kinds: ['vuggestue'] }] })]),
      422,
      'body.versions.0.windows.0.to',
    ],
    [
      'a from over 100 seasons',
      () => rule([version({ age_basis: 'seasons', season_start: '08-01', windows: [{ from: 101, to: 102, share_bp: 100, kinds: ['vuggestue'] }] })]),
      422,
      'body.versions.0.windows.0.from',
    ],
    [
      'a negative bound',
      () => rule([version({ windows: [{ from: -1, to: 12, share_bp: 100, kinds: ['vuggestue'] }] })]),
      400,
      'body.versions.0.windows.0.from',
    ],
    ['an unknown measurement kind', () => rule([version()], { kind: 'height' }), 422, 'body.kind'],
    ['an enum value the kind does not have', () => rule([version({ predicate: { op: 'eq', value: 'excellent' } })]), 422, 'body.versions.0.predicate'],
    ['gt on an enum kind', () => rule([version({ predicate: { op: 'gt', value: 3 } })]), 422, 'body.versions.0.predicate.op'],
    ['value_bp on an enum kind', () => rule([version({ amount: { value_bp: 500 } })]), 422, 'body.versions.0.amount.value_bp'],
    ['seasons without a season start', () => rule([version({ age_basis: 'seasons' })]), 422, 'body.versions.0.season_start'],
    [
      'versions out of order',
      () => rule([version({ effective_from: '2021-01-01' }), version({ effective_from: '2020-01-01' })]),
      422,
      'body.versions.1.effective_from',
    ],
    ['an impossible date', () => rule([version({ effective_from: '2023-02-30' })]), 400, 'body.versions.0.effective_from'],
    ['a negative amount', () => rule([version({ amount: { fixed_ore: -1 } })]), 400, 'body.versions.0.amount.fixed_ore'],
    ['an unknown fund', () => rule([version()], { fund_id: '00000000-0000-4000-8000-000000000000' }), 422, 'body.fund_id'],
  ];
  for (const [name, body, status, field] of cases) {
    it(name, async () => {
      const before = await count(t, 'rules');
      const res = await t.call('POST', '/v1/rules', body());
      expectProblem(res, status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await count(t, 'rules')).toBe(before);
    });
  }
});

describe('window bounds (§3): up to 100 years in the unit of the age basis', () => {
  it('accepts months up to 1,200 (a school window to 192, youth education to 264) and years or seasons up to 100', async () => {
    const school = [
      { from: 72, to: 192, share_bp: 6000, kinds: ['skole'] },
      { from: 192, to: 264, share_bp: 3000, kinds: ['ungdomsuddannelse'] },
      { from: 1199, to: 1200, share_bp: 1, kinds: ['skole'] },
    ];
    const created = ok(await t.call('POST', '/v1/rules', rule([version({ windows: school })])), 201);
    expect(created.versions[0].spec.windows.map((w: { to: number }) => w.to)).toEqual([192, 264, 1200]);
    ok(
      await t.call('POST', '/v1/rules', rule([version({ age_basis: 'calendar_years', windows: [{ from: 99, to: 100, share_bp: 1, kinds: ['skole'] }] })])),
      201,
    );
    ok(
      await t.call(
        'POST',
        '/v1/rules',
        rule([version({ age_basis: 'seasons', season_start: '08-01', windows: [{ from: 0, to: 100, share_bp: 1, kinds: ['skole'] }] })]),
      ),
      201,
    );
  });
});

describe('rule versions', () => {
  it('are immutable and a new one must start later', async () => {
    const created = ok(await t.call('POST', '/v1/rules', rule([version()])), 201);
    expect(created.versions).toHaveLength(1);
    expectProblem(await t.call('POST', `/v1/rules/${created.id}/versions`, version({ effective_from: '2019-12-31' })), 422, 'body.effective_from');
    const v2 = ok(await t.call('POST', `/v1/rules/${created.id}/versions`, version({ effective_from: '2024-01-01', amount: { fixed_ore: 2_000_000 } })), 201);
    expect(v2.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    await expect(t.ctx.db.updateTable('rule_versions').set({ effective_from: '2000-01-01' }).execute()).rejects.toThrow(/immutable/);
  });

  it('publishing a version re-settles the awards it now governs', async () => {
    await t.call('POST', '/v1/institutions', { code: 'V-9', kind: 'vuggestue', name: 'V9' });
    ok(await t.call('POST', `/v1/funds/${fundId}/deposits`, { amount_ore: 100_000_000, funder: 'LBF' }), 201);
    const kind = ok(await t.call('POST', '/v1/measurement-kinds', { key: 'sprog2', type: 'enum', values: ['generel'] }), 201);
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201);
    ok(await t.call('POST', '/v1/enrolments', { child: child.id, institution: 'V-9', start: '2019-03-15', end: '2022-03-15' }), 201);
    const r = ok(await t.call('POST', '/v1/rules', rule([version()], { kind: kind.key })), 201);
    ok(await t.call('POST', '/v1/measurements', { child_id: child.id, kind: kind.key, period: 'age-4', value: 'generel', measured_on: '2024-06-01' }), 201);
    await t.settled();
    const before = ok(await t.call('GET', `/v1/awards?rule_id=${r.id}`)).items[0];
    expect(before.amount_ore).toBe(1_000_000);
    ok(await t.call('POST', `/v1/rules/${r.id}/versions`, version({ effective_from: '2024-01-01', amount: { fixed_ore: 3_000_000 } })), 201);
    await t.settled();
    const after = ok(await t.call('GET', `/v1/awards?rule_id=${r.id}`)).items[0];
    expect(after.id).toBe(before.id);
    expect(after.amount_ore).toBe(3_000_000);
    expect(after.revision).toBe(2);
  });
});
