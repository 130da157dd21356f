/**
 * Early finalisation (`POST /v1/awards/finalise`) takes away the institutions' remaining time to
 * object, so it must be explicit: one fund, optionally only some awards or those whose review
 * window ends by a date, and a reason — kept in the audit log with the key that acted and the
 * awards finalised. Issue 10: `{}` used to finalise every provisional award of every fund.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createKey, expectProblem, ok } from '../registry/helpers.js';
import { expectLedgerInvariants } from './invariants.js';

let now = new Date('2026-01-10T12:00:00Z');
let t: TestApp;
let admin: { key: string; id: string };
const fund: Record<'A' | 'B', string> = { A: '', B: '' };
/** Awards by label: A1 (review ends 2026-02-09 13:00 Copenhagen), A2 (2026-02-10 00:30 Copenhagen), A3 (2026-02-19), B1 (other fund). */
const award: Record<string, string> = {};

const statusOf = async (id: string) => ok(await t.call('GET', `/v1/awards/${id}`)).status as string;
const finalise = (body: unknown) => t.call('POST', '/v1/awards/finalise', body, admin.key);

async function settledAward(fundKey: 'A' | 'B', kind: string, at: Date): Promise<string> {
  now = at;
  const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201).id;
  ok(await t.call('POST', '/v1/enrolments', { child, institution: 'FE-1', start: '2019-09-01', end: '2022-03-01' }), 201);
  const m = ok(await t.call('POST', '/v1/measurements', { child_id: child, kind, period: 'age-4', value: 'generel', measured_on: '2023-04-20' }), 201);
  await t.settled();
  const items = ok(await t.call('GET', `/v1/awards?measurement_id=${m.measurement.id}`)).items;
  expect(items).toMatchObject([{ fund_id: fund[fundKey], status: 'provisional' }]);
  return items[0].id;
}

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  const created = ok(await t.call('POST', '/v1/api-keys', { name: 'operations', role: 'admin' }), 201);
  admin = { key: created.key, id: created.id };
  ok(await t.call('POST', '/v1/institutions', { code: 'FE-1', kind: 'vuggestue' }), 201);
  for (const f of ['A', 'B'] as const) {
    fund[f] = ok(await t.call('POST', '/v1/funds', { name: `fund ${f}` }), 201).id;
    ok(await t.call('POST', `/v1/funds/${fund[f]}/deposits`, { amount_ore: 10_000_000, funder: 'LBF' }), 201);
    ok(await t.call('POST', '/v1/measurement-kinds', { key: `sprog_${f.toLowerCase()}`, type: 'enum', values: ['generel'] }), 201);
    const version = {
      effective_from: '2015-01-01',
      predicate: { op: 'eq', value: 'generel' },
      amount: { fixed_ore: 1_000_000 },
      windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
      review_days: 30,
    };
    ok(await t.call('POST', '/v1/rules', { fund_id: fund[f], kind: `sprog_${f.toLowerCase()}`, versions: [version] }), 201);
  }
  award.A1 = await settledAward('A', 'sprog_a', new Date('2026-01-10T12:00:00Z'));
  // 23:30 UTC is already the next day in Copenhagen: its window ends on 2026-02-10 there.
  award.A2 = await settledAward('A', 'sprog_a', new Date('2026-01-10T23:30:00Z'));
  award.A3 = await settledAward('A', 'sprog_a', new Date('2026-01-20T12:00:00Z'));
  award.B1 = await settledAward('B', 'sprog_b', new Date('2026-01-10T12:00:00Z'));
}, 120_000);
afterEach(async () => {
  await t.settled();
  await expectLedgerInvariants(t.ctx.db);
});
afterAll(async () => t?.close());

describe('POST /v1/awards/finalise', () => {
  it('refuses {} naming fund_id and reason, and finalises nothing', async () => {
    const res = await finalise({});
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.fund_id', 'body.reason']);
    for (const id of Object.values(award)) expect(await statusOf(id)).toBe('provisional');
  });

  it('refuses a missing or blank reason, a reason holding a CPR number, an empty id list and an impossible date — each naming its field', async () => {
    expectProblem(await finalise({ fund_id: fund.A }), 400, 'body.reason');
    expectProblem(await finalise({ fund_id: fund.A, reason: '   ' }), 400, 'body.reason');
    expectProblem(await finalise({ fund_id: fund.A, reason: 'asked by the parent of 150319-4123' }), 400, 'body.reason');
    expectProblem(await finalise({ fund_id: fund.A, reason: 'r', award_ids: [] }), 400, 'body.award_ids');
    expectProblem(await finalise({ fund_id: fund.A, reason: 'r', review_until_by: '2026-02-30' }), 400, 'body.review_until_by');
    for (const id of Object.values(award)) expect(await statusOf(id)).toBe('provisional');
  });

  it('refuses an unknown fund and an award of another fund (422), finalising nothing', async () => {
    expectProblem(await finalise({ fund_id: '00000000-0000-4000-8000-000000000000', reason: 'r' }), 422, 'body.fund_id');
    const res = await finalise({ fund_id: fund.A, award_ids: [award.A1, award.B1, '00000000-0000-4000-8000-000000000001'], reason: 'r' });
    expectProblem(res, 422, 'body.award_ids.1');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.award_ids.1', 'body.award_ids.2']);
    for (const id of Object.values(award)) expect(await statusOf(id)).toBe('provisional');
  });

  it('with a cut-off date finalises only the fund’s awards whose review window ends by then (business time zone)', async () => {
    const res = ok(await finalise({ fund_id: fund.A, review_until_by: '2026-02-09', reason: 'board decision 2026-01-21: pay before the audit' }));
    expect(res).toEqual({ finalised: 1 });
    expect(await statusOf(award.A1!)).toBe('final');
    expect(await statusOf(award.A2!)).toBe('provisional');
    expect(await statusOf(award.A3!)).toBe('provisional');
    expect(await statusOf(award.B1!)).toBe('provisional');
  });

  it('with ids finalises only those; with the fund alone, the rest of that fund and never another fund’s', async () => {
    expect(ok(await finalise({ fund_id: fund.A, award_ids: [award.A3], reason: 'objection period waived in writing' }))).toEqual({ finalised: 1 });
    expect(await statusOf(award.A2!)).toBe('provisional');
    expect(ok(await finalise({ fund_id: fund.A, reason: 'fund A closes its year' }))).toEqual({ finalised: 1 });
    expect(await statusOf(award.A2!)).toBe('final');
    expect(await statusOf(award.B1!)).toBe('provisional');
    // Nothing left to finalise is not an error, and is recorded too.
    expect(ok(await finalise({ fund_id: fund.A, reason: 'again, to be sure' }))).toEqual({ finalised: 0 });
  });

  it('writes who, why and which awards to the audit log, readable by an auditor', async () => {
    const auditor = await createKey(t, { role: 'auditor' });
    const log = ok(await t.call('GET', '/v1/audit-log?action=awards.finalise_early&limit=100', undefined, auditor)).items as Array<{
      actor_key_id: string;
      actor_role: string;
      target_type: string;
      target_id: string;
      details: { reason: string; finalised: number; award_ids: string[]; review_until_by?: string; award_ids_requested?: number };
    }>;
    const byReason = new Map(log.map((e) => [e.details.reason, e]));
    expect(log).toHaveLength(4);
    for (const e of log) expect(e).toMatchObject({ actor_key_id: admin.id, actor_role: 'admin', target_type: 'fund', target_id: fund.A });
    expect(byReason.get('board decision 2026-01-21: pay before the audit')!.details).toEqual({
      reason: 'board decision 2026-01-21: pay before the audit',
      review_until_by: '2026-02-09',
      finalised: 1,
      award_ids: [award.A1],
    });
    expect(byReason.get('objection period waived in writing')!.details).toMatchObject({ award_ids_requested: 1, finalised: 1, award_ids: [award.A3] });
    expect(byReason.get('fund A closes its year')!.details).toMatchObject({ finalised: 1, award_ids: [award.A2] });
    expect(byReason.get('again, to be sure')!.details).toMatchObject({ finalised: 0, award_ids: [] });
    // The ledger's finalise entries are still marked as early.
    const entries = ok(await t.call('GET', `/v1/ledger/entries?fund_id=${fund.A}&limit=100`, undefined, auditor)).items;
    expect(entries.filter((e: { kind: string }) => e.kind === 'finalise').map((e: { memo: string }) => e.memo)).toEqual(
      Array(3).fill('finalised early by an administrator'),
    );
  });
});
