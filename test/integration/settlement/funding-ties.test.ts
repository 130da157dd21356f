/**
 * Ties of funding place (SETTLEMENT.md §6): two awards with the same place — here two rules paying
 * on one measurement — are funded in the order their rules were created. Award ids are random, so
 * before `rules.ordinal` (migration 0017, DECISIONS D139) the walk broke such ties by chance: each
 * world below would have come out right half the time, all six about one run in 64.
 *
 * Each world: rule A (created first, 1 000 000 øre) and rule B (created second, 600 000 øre) on a
 * kind of its own; one child enrolled for the whole window; the measurement is settled while the
 * fund is empty, so both awards wait; then exactly 1 000 000 øre arrives. A first: A is funded and
 * B waits (0 left). B first would fund B and leave A waiting with 400 000 øre available.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';
import { expectLedgerInvariants } from './invariants.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.settled();
  await expectLedgerInvariants(t.ctx.db);
});
afterAll(async () => t?.close());

const rule = (fundId: string, kind: string, name: string, ore: number) => ({
  fund_id: fundId,
  kind,
  name,
  versions: [
    {
      effective_from: '2020-01-01',
      predicate: { op: 'eq', value: 'generel' },
      amount: { fixed_ore: ore },
      windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
      review_days: 30,
    },
  ],
});

async function world(n: number) {
  const kind = `tie-${n}`;
  ok(await t.call('POST', '/v1/measurement-kinds', { key: kind, type: 'enum', values: ['generel', 'saerlig'] }), 201);
  const fundId = ok(await t.call('POST', '/v1/funds', { name: `ties ${n}` }), 201).id as string;
  const inst = ok(await t.call('POST', '/v1/institutions', { code: `tie-vug-${n}`, kind: 'vuggestue' }), 201);
  const a = ok(await t.call('POST', '/v1/rules', rule(fundId, kind, `A ${n}`, 1_000_000)), 201).id as string;
  const b = ok(await t.call('POST', '/v1/rules', rule(fundId, kind, `B ${n}`, 600_000)), 201).id as string;
  const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201).id as string;
  ok(await t.call('POST', '/v1/enrolments', { child, institution: inst.code, start: '2019-03-15', end: null }), 201);
  const m = await t.call('POST', '/v1/measurements', { child_id: child, kind, period: 'age-4', value: 'generel', measured_on: '2023-04-01' });
  expect(m.status, JSON.stringify(m.body)).toBeLessThan(300);
  await t.settled();
  return { fundId, a, b };
}

const awardsOf = async (fundId: string) =>
  ok(await t.call('GET', `/v1/awards?fund_id=${fundId}`)).items as Array<{ rule_id: string; amount_ore: number; awaiting_funds: boolean }>;

describe('ties of funding place', () => {
  it('fund the award of the rule created first, in every one of six worlds', async () => {
    for (let n = 1; n <= 6; n++) {
      const w = await world(n);
      const waiting = await awardsOf(w.fundId);
      expect(waiting.map((x) => [x.amount_ore, x.awaiting_funds]).sort()).toEqual(
        [
          [1_000_000, true],
          [600_000, true],
        ].sort(),
      );
      ok(await t.call('POST', `/v1/funds/${w.fundId}/deposits`, { amount_ore: 1_000_000, funder: 'Landsbyggefonden' }), 201);
      await t.settled();
      const after = new Map((await awardsOf(w.fundId)).map((x) => [x.rule_id, x.awaiting_funds]));
      expect({ world: n, a: after.get(w.a), b: after.get(w.b) }).toEqual({ world: n, a: false, b: true });
      const balances = ok(await t.call('GET', `/v1/funds/${w.fundId}/balances`));
      expect(balances.available_ore).toBe(0);
    }
  }, 120_000);
});
