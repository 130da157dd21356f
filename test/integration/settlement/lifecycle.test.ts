/**
 * The lifecycle of an award and its money (SETTLEMENT.md §6), end to end through the HTTP API
 * with real keys (admin, an auditor, institution keys), on real PostgreSQL with the workers
 * running. The clock is controlled so review windows and posting dates can be stepped through.
 *
 * Every test builds its own "world": a fund with one rule on a measurement kind of its own (so
 * no other test's measurements trigger it), its institutions and money. After each test every
 * ledger invariant is checked over the whole database.
 *
 * Numbers used throughout: children are born 2019-03-15, so the rule's window [0, 36) months is
 * [2019-03-15, 2022-03-15) = 1096 days; measurements are taken on 2023-04-01, after it.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { verifyChain } from '../../../src/ledger/hash-chain.js';
import { parseJob, runJob, type Job } from '../../../src/queue/types.js';
import { createHandlers } from '../../../workers/handlers.js';
import { sealAll, sealPending } from '../../../src/services/ledger-sealer.js';
import * as ledgerRepo from '../../../src/repositories/ledger.js';
import { accountCode, available, funders } from '../../../src/ledger/accounts.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createKey, expectProblem, ok } from '../registry/helpers.js';
import { chainEntries, expectAppendOnly, expectLedgerInvariants, journalCount, referenceViolations } from './invariants.js';

const DAY_MS = 86_400_000;
const BIRTH = '2019-03-15';
const WINDOW_END = '2022-03-15';
const MEASURED_ON = '2023-04-01';

let now = new Date('2026-01-10T12:00:00Z');
/** The business date of `now` (noon UTC is the same calendar day in Copenhagen). */
const today = () => now.toISOString().slice(0, 10);
const advanceDays = (days: number) => {
  now = new Date(now.getTime() + days * DAY_MS);
};

let t: TestApp;
let auditor: string;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  auditor = await createKey(t, { role: 'auditor' });
});
afterEach(async () => {
  await t.settled();
  await expectLedgerInvariants(t.ctx.db);
});
afterAll(async () => t?.close());

// ---------------------------------------------------------------------------------------------
// A world: one fund, one rule, its institutions.

interface Institution {
  id: string;
  code: string;
}

interface World {
  fundId: string;
  kind: string;
  inst: Record<string, Institution>;
}

let worlds = 0;

/**
 * `fixed` rule: an enum kind, earned on 'generel', 1 000 000 øre. `value` rule: a number kind
 * whose value is the amount in øre (value_bp 10000), earned for any value ≥ 1. Either way the
 * whole amount goes to the vuggestue/dagpleje days of the child's first 36 months.
 */
async function newWorld(opts: {
  rule: 'fixed' | 'value';
  institutions: Record<string, 'vuggestue' | 'dagpleje'>;
  deposit?: number;
  reviewDays?: number;
}): Promise<World> {
  const n = ++worlds;
  const kind = `${opts.rule}-${n}`;
  const kindBody =
    opts.rule === 'fixed' ? { key: kind, type: 'enum', values: ['generel', 'saerlig'] } : { key: kind, type: 'number', min: 0, max: 100_000_000 };
  ok(await t.call('POST', '/v1/measurement-kinds', kindBody), 201);
  const fundId = ok(await t.call('POST', '/v1/funds', { name: `world ${n}` }), 201).id as string;
  const inst: Record<string, Institution> = {};
  for (const [label, instKind] of Object.entries(opts.institutions)) {
    const created = ok(await t.call('POST', '/v1/institutions', { code: `${label}-${n}`, kind: instKind }), 201);
    inst[label] = { id: created.id, code: created.code };
  }
  ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fundId,
      kind,
      versions: [
        {
          effective_from: '2020-01-01',
          predicate: opts.rule === 'fixed' ? { op: 'eq', value: 'generel' } : { op: 'gte', value: 1 },
          amount: opts.rule === 'fixed' ? { fixed_ore: 1_000_000 } : { value_bp: 10000 },
          windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue', 'dagpleje'] }],
          review_days: opts.reviewDays ?? 30,
        },
      ],
    }),
    201,
  );
  const world = { fundId, kind, inst };
  if (opts.deposit) await deposit(world, opts.deposit);
  return world;
}

async function deposit(w: World, amount: number) {
  ok(await t.call('POST', `/v1/funds/${w.fundId}/deposits`, { amount_ore: amount, funder: 'Landsbyggefonden' }), 201);
  await t.settled();
}

/** A child born on BIRTH with these enrolments [institution label, start, end]. */
async function addChild(w: World, enrolments: Array<[string, string, string | null]>): Promise<string> {
  const child = ok(await t.call('POST', '/v1/children', { birth_date: BIRTH }), 201).id as string;
  for (const [label, start, end] of enrolments) await enrol(w, child, label, start, end);
  return child;
}

async function enrol(w: World, child: string, label: string, start: string, end: string | null) {
  const e = ok(await t.call('POST', '/v1/enrolments', { child, institution: w.inst[label]!.code, start, end }), 201);
  await t.settled();
  return e.id as string;
}

async function measure(w: World, child: string, value: string | number, measuredOn = MEASURED_ON) {
  const res = await t.call('POST', '/v1/measurements', { child_id: child, kind: w.kind, period: 'age-4', value, measured_on: measuredOn });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  await t.settled();
  return res.body as { outcome: string; measurement: { id: string; revision: number } };
}

async function retract(w: World, child: string) {
  const body = ok(await t.call('POST', '/v1/measurements/retract', { child_id: child, kind: w.kind, period: 'age-4' }));
  await t.settled();
  return body as { outcome: string };
}

/** The one award of this child in this world. */
async function awardOf(w: World, child: string) {
  const items = ok(await t.call('GET', `/v1/awards?fund_id=${w.fundId}&child_id=${child}`)).items;
  expect(items).toHaveLength(1);
  return items[0];
}

const payoutsOf = (award: { payouts: Array<{ code: string; amount_ore: number }> }) =>
  Object.fromEntries(award.payouts.filter((p) => p.amount_ore !== 0).map((p) => [p.code, p.amount_ore]));

async function finaliseEarly(w: World): Promise<number> {
  const { finalised } = ok(await t.call('POST', '/v1/awards/finalise', { fund_id: w.fundId, reason: 'test: skip the review window' }));
  await t.settled();
  return finalised;
}

const fundBalances = async (w: World) => ok(await t.call('GET', `/v1/funds/${w.fundId}/balances`, undefined, auditor));
const payableOf = async (w: World, label: string): Promise<number> =>
  ok(await t.call('GET', `/v1/institutions/${w.inst[label]!.id}/balances`, undefined, auditor)).payable_ore;

/** Account codes as the ledger names them, for reading entries. */
const account = (w: World, type: 'available' | 'reserved' | 'paid_out' | 'payable', label?: string) =>
  type === 'payable' ? `fund:${w.fundId}:payable:${w.inst[label!]!.id}` : `fund:${w.fundId}:${type}`;

type Entry = { kind: string; memo: string | null; lines: Record<string, number> };

/** The journal as an auditor reads it, once everything posted so far is sealed. */
async function entries(query: string): Promise<Entry[]> {
  await sealAll(t.ctx.db);
  const items = ok(await t.call('GET', `/v1/ledger/entries?${query}&limit=1000`, undefined, auditor)).items;
  return items.map((e: { kind: string; memo: string | null; lines: Array<{ account: string; amount_ore: number }> }) => ({
    kind: e.kind,
    memo: e.memo,
    lines: Object.fromEntries(e.lines.map((l) => [l.account, l.amount_ore])),
  }));
}
const awardEntries = (awardId: string) => entries(`award_id=${awardId}`);
const fundEntries = (w: World) => entries(`fund_id=${w.fundId}`);

async function paymentRun(w: World) {
  return ok(await t.call('POST', `/v1/funds/${w.fundId}/payment-runs`, { cutoff_on: today() }), 201);
}
const confirmRun = async (runId: string) => ok(await t.call('POST', `/v1/payment-runs/${runId}/confirm`));
const runLines = (run: { lines: Array<{ code: string; amount_ore: number; status: string }> }) => run.lines.map((l) => [l.code, l.amount_ore, l.status]);

// ---------------------------------------------------------------------------------------------

describe('review window', () => {
  it('keeps an earned award provisional for review_days; the due finalisation then moves reserved → payable', async () => {
    const w = await newWorld({ rule: 'fixed', institutions: { V: 'vuggestue' }, deposit: 5_000_000, reviewDays: 30 });
    const child = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    await measure(w, child, 'generel');
    const reviewUntil = new Date(now.getTime() + 30 * DAY_MS);

    expect(await awardOf(w, child)).toMatchObject({
      status: 'provisional',
      earned: true,
      amount_ore: 1_000_000,
      reserved_ore: 1_000_000,
      review_until: reviewUntil.toISOString(),
      finalised_at: null,
    });
    expect(await fundBalances(w)).toMatchObject({ available_ore: 4_000_000, reserved_ore: 1_000_000, payable_ore: 0 });

    // What the 'finalise-due' job does.
    const finaliseDue = () => t.ctx.services.settlement.finalise({ early: false });
    await finaliseDue();
    expect((await awardOf(w, child)).status).toBe('provisional');
    now = new Date(reviewUntil.getTime() - 60_000);
    await finaliseDue();
    expect((await awardOf(w, child)).status).toBe('provisional');
    expect(await fundBalances(w)).toMatchObject({ reserved_ore: 1_000_000, payable_ore: 0 });

    now = reviewUntil;
    await finaliseDue();
    const award = await awardOf(w, child);
    expect(award).toMatchObject({ status: 'final', reserved_ore: 0, finalised_at: reviewUntil.toISOString() });
    expect(award.payouts).toEqual([{ institution_id: w.inst.V!.id, code: w.inst.V!.code, amount_ore: 1_000_000, payable_ore: 1_000_000 }]);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 4_000_000, reserved_ore: 0, payable_ore: 1_000_000 });
    expect(await payableOf(w, 'V')).toBe(1_000_000);
    expect((await awardEntries(award.id)).map((e) => [e.kind, e.memo])).toEqual([
      ['reserve', 'award funded'],
      ['finalise', 'review window passed'],
    ]);
  });
});

describe('objections', () => {
  it('hold an institution’s own award through early finalisation until an admin resolves them', async () => {
    const w = await newWorld({ rule: 'fixed', institutions: { V1: 'vuggestue', V2: 'vuggestue' }, deposit: 5_000_000 });
    const mine = await addChild(w, [['V1', BIRTH, WINDOW_END]]);
    const theirs = await addChild(w, [['V2', BIRTH, WINDOW_END]]);
    await measure(w, mine, 'generel');
    await measure(w, theirs, 'generel');
    const [own, other] = [await awardOf(w, mine), await awardOf(w, theirs)];
    const v1Key = await createKey(t, { role: 'institution', institution: w.inst.V1!.code });

    const objection = ok(await t.call('POST', `/v1/awards/${own.id}/objections`, { reason: 'the child started in May' }, v1Key), 201);
    expect(objection).toMatchObject({ award_id: own.id, institution_id: w.inst.V1!.id, status: 'open' });
    expect(await awardOf(w, mine)).toMatchObject({ status: 'held', open_objections: 1 });

    expectProblem(await t.call('POST', '/v1/awards/finalise', { fund_id: w.fundId, reason: 'test' }, auditor), 403);
    const { finalised } = ok(await t.call('POST', '/v1/awards/finalise', { fund_id: w.fundId, award_ids: [own.id, other.id], reason: 'test: these two now' }));
    expect(finalised).toBe(1);
    expect(await awardOf(w, mine)).toMatchObject({ status: 'held', reserved_ore: 1_000_000 });
    expect((await awardOf(w, theirs)).status).toBe('final');
    expect(await payableOf(w, 'V1')).toBe(0);

    const resolved = ok(await t.call('POST', `/v1/objections/${objection.id}/resolve`, { outcome: 'rejected', resolution: 'enrolment confirmed' }));
    expect(resolved).toMatchObject({ status: 'rejected', resolution: 'enrolment confirmed' });
    expect(await awardOf(w, mine)).toMatchObject({ status: 'provisional', open_objections: 0 });
    expectProblem(await t.call('POST', `/v1/objections/${objection.id}/resolve`, { outcome: 'upheld' }), 409);

    expect(await finaliseEarly(w)).toBe(1);
    expect((await awardOf(w, mine)).status).toBe('final');
    expect(await payableOf(w, 'V1')).toBe(1_000_000);
  });

  it('are invisible across institutions: another institution’s award answers 404 and cannot be held', async () => {
    const w = await newWorld({ rule: 'fixed', institutions: { V1: 'vuggestue', V2: 'vuggestue' }, deposit: 5_000_000 });
    const mine = await addChild(w, [['V1', BIRTH, WINDOW_END]]);
    const theirs = await addChild(w, [['V2', BIRTH, WINDOW_END]]);
    await measure(w, mine, 'generel');
    await measure(w, theirs, 'generel');
    const [own, other] = [await awardOf(w, mine), await awardOf(w, theirs)];
    const v1Key = await createKey(t, { role: 'institution', institution: w.inst.V1!.code });

    expect(ok(await t.call('GET', `/v1/awards/${own.id}`, undefined, v1Key)).explanation).toBeTruthy();
    expect(ok(await t.call('GET', '/v1/awards', undefined, v1Key)).items.map((a: { id: string }) => a.id)).toEqual([own.id]);
    expectProblem(await t.call('GET', `/v1/awards/${other.id}`, undefined, v1Key), 404);
    expectProblem(await t.call('GET', `/v1/awards/${other.id}/objections`, undefined, v1Key), 404);
    expectProblem(await t.call('POST', `/v1/awards/${other.id}/objections`, { reason: 'ours' }, v1Key), 404);
    expect(await awardOf(w, theirs)).toMatchObject({ status: 'provisional', open_objections: 0 });
    expect(await finaliseEarly(w)).toBe(2);
  });
});

describe('money after an award changes', () => {
  it('a correction lowering a finalised award moves the difference payable → available', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' }, deposit: 5_000_000 });
    const child = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    await measure(w, child, 1_000_000);
    await finaliseEarly(w);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 4_000_000, payable_ore: 1_000_000 });

    expect((await measure(w, child, 700_000)).outcome).toBe('corrected');
    const award = await awardOf(w, child);
    expect(award).toMatchObject({ status: 'final', amount_ore: 700_000, revision: 2 });
    expect(award.payouts).toMatchObject([{ code: w.inst.V!.code, amount_ore: 700_000, payable_ore: 700_000 }]);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 4_300_000, reserved_ore: 0, payable_ore: 700_000 });
    expect((await awardEntries(award.id)).at(-1)).toEqual({
      kind: 'payable_adjustment',
      memo: expect.any(String),
      lines: { [account(w, 'payable', 'V')]: -300_000, [account(w, 'available')]: 300_000 },
    });
  });

  it('a retraction releases the reservation and leaves a zero award', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' }, deposit: 5_000_000 });
    const child = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    await measure(w, child, 500_000);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 4_500_000, reserved_ore: 500_000 });

    expect((await retract(w, child)).outcome).toBe('retracted');
    const award = await awardOf(w, child);
    expect(award).toMatchObject({ status: 'not_earned', earned: false, amount_ore: 0, retained_ore: 0, reserved_ore: 0, payouts: [] });
    expect(await fundBalances(w)).toMatchObject({ available_ore: 5_000_000, reserved_ore: 0, payable_ore: 0 });
    expect((await awardEntries(award.id)).map((e) => e.kind)).toEqual(['reserve', 'release']);
    const audit = ok(await t.call('GET', `/v1/audit-log?action=measurement.retract&target_id=${award.measurement_id}`)).items;
    expect(audit).toMatchObject([{ action: 'measurement.retract', target_type: 'measurement', target_id: award.measurement_id }]);

    const before = await journalCount(t.ctx.db);
    expect((await retract(w, child)).outcome).toBe('unchanged');
    expect(await journalCount(t.ctx.db)).toBe(before);
  });

  it('a payment run pays every positive payable; its file gives øre and DKK; confirming marks it paid', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue', D: 'dagpleje', Q: 'vuggestue' }, deposit: 5_000_000 });
    await measure(w, await addChild(w, [['V', BIRTH, WINDOW_END]]), 700_000);
    await measure(w, await addChild(w, [['D', BIRTH, WINDOW_END]]), 123_456);
    await addChild(w, [['Q', BIRTH, WINDOW_END]]); // enrolled, never measured: owed nothing
    await finaliseEarly(w);

    const run = await paymentRun(w);
    const [d, v] = [w.inst.D!.code, w.inst.V!.code];
    expect(run).toMatchObject({ status: 'created', cutoff_on: today(), total_ore: 823_456 });
    expect(run.reference).toMatch(/^PR-\d{8}-[0-9A-F]{8}$/);
    expect(runLines(run)).toEqual([
      [d, 123_456, 'pending'],
      [v, 700_000, 'pending'],
    ]);
    expect(await fundBalances(w)).toMatchObject({ payable_ore: 0, paid_out_ore: 823_456 });

    const file = await t.call('GET', `/v1/payment-runs/${run.id}/file`, undefined, auditor);
    expect(file.status).toBe(200);
    expect(String(file.headers['content-type'])).toMatch(/^text\/csv/);
    // No payee details were approved for these institutions: the lines say so (empty columns).
    expect(String(file.body).split('\r\n')).toEqual([
      'reference,fund_id,cutoff_on,institution_code,institution_name,amount_ore,amount_dkk,status,line_reference,payee_details_version,cvr,ean,account',
      `${run.reference},${w.fundId},${today()},${d},${d},123456,1234.56,pending,${run.reference}-0001,,,,`,
      `${run.reference},${w.fundId},${today()},${v},${v},700000,7000.00,pending,${run.reference}-0002,,,,`,
      '',
    ]);

    const confirmed = await confirmRun(run.id);
    expect(confirmed.status).toBe('confirmed');
    expect(runLines(confirmed)).toEqual([
      [d, 123_456, 'paid'],
      [v, 700_000, 'paid'],
    ]);
    expectProblem(await t.call('POST', `/v1/payment-runs/${run.id}/confirm`), 409);
    expectProblem(await t.call('POST', `/v1/funds/${w.fundId}/payment-runs`, { cutoff_on: today() }), 409, 'body.cutoff_on');
    expect(await fundBalances(w)).toMatchObject({ available_ore: 5_000_000 - 823_456, reserved_ore: 0, payable_ore: 0, paid_out_ore: 823_456 });
  });

  it('a correction lowering a paid award claws back; later runs net it and pay only once the balance is positive', async () => {
    const w = await newWorld({ rule: 'value', institutions: { X: 'vuggestue', Y: 'dagpleje' }, deposit: 10_000_000 });
    const first = await addChild(w, [['X', BIRTH, WINDOW_END]]);
    await measure(w, first, 1_000_000);
    await finaliseEarly(w);
    await confirmRun((await paymentRun(w)).id);

    await measure(w, first, 600_000);
    expect(await payableOf(w, 'X')).toBe(-400_000);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 9_400_000, payable_ore: -400_000, paid_out_ore: 1_000_000 });

    await measure(w, await addChild(w, [['X', BIRTH, WINDOW_END]]), 300_000);
    await measure(w, await addChild(w, [['Y', BIRTH, WINDOW_END]]), 123_456);
    await finaliseEarly(w);
    expect(await payableOf(w, 'X')).toBe(-100_000);
    const second = await confirmRun((await paymentRun(w)).id);
    expect(runLines(second)).toEqual([[w.inst.Y!.code, 123_456, 'paid']]);
    expect(await payableOf(w, 'X')).toBe(-100_000);

    await measure(w, await addChild(w, [['X', BIRTH, WINDOW_END]]), 250_000);
    await finaliseEarly(w);
    const third = await confirmRun((await paymentRun(w)).id);
    expect(runLines(third)).toEqual([[w.inst.X!.code, 150_000, 'paid']]);
    expect(await payableOf(w, 'X')).toBe(0);

    // Nothing was paid twice: X received exactly what its awards now say (600 000 + 300 000 + 250 000).
    type Line = { code: string; amount_ore: number; status: string };
    const runs: Array<{ lines: Line[] }> = ok(await t.call('GET', `/v1/payment-runs?fund_id=${w.fundId}`, undefined, auditor)).items;
    const paidToX = runs
      .flatMap((r) => r.lines)
      .filter((l) => l.code === w.inst.X!.code && l.status === 'paid')
      .reduce((s, l) => s + l.amount_ore, 0);
    const awards: Array<{ payouts: Array<{ code: string; amount_ore: number }> }> = ok(
      await t.call('GET', `/v1/awards?fund_id=${w.fundId}&institution_id=${w.inst.X!.id}`),
    ).items;
    const owedToX = awards.reduce((s, a) => s + (payoutsOf(a)[w.inst.X!.code] ?? 0), 0);
    expect([paidToX, owedToX]).toEqual([1_150_000, 1_150_000]);
  });

  it('cancelling an unconfirmed run reverses its entry; a cancelled run cannot be confirmed', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' }, deposit: 1_000_000 });
    await measure(w, await addChild(w, [['V', BIRTH, WINDOW_END]]), 200_000);
    await finaliseEarly(w);
    const run = await paymentRun(w);
    expect(await fundBalances(w)).toMatchObject({ payable_ore: 0, paid_out_ore: 200_000 });

    const cancelled = ok(await t.call('POST', `/v1/payment-runs/${run.id}/cancel`));
    expect(cancelled.status).toBe('cancelled');
    expect(runLines(cancelled)).toEqual([[w.inst.V!.code, 200_000, 'cancelled']]);
    expect(await fundBalances(w)).toMatchObject({ payable_ore: 200_000, paid_out_ore: 0 });
    const [payment, reversal] = (await fundEntries(w)).slice(-2);
    expect(payment!.kind).toBe('payment');
    expect(reversal!.kind).toBe('payment_cancel');
    expect(reversal!.lines).toEqual(Object.fromEntries(Object.entries(payment!.lines).map(([a, v]) => [a, -v])));
    expectProblem(await t.call('POST', `/v1/payment-runs/${run.id}/confirm`), 409);
    expectProblem(await t.call('POST', `/v1/payment-runs/${run.id}/cancel`), 409);

    const again = await confirmRun((await paymentRun(w)).id);
    expect(runLines(again)).toEqual([[w.inst.V!.code, 200_000, 'paid']]);
    expect(await fundBalances(w)).toMatchObject({ payable_ore: 0, paid_out_ore: 200_000 });
  });
});

describe('changes to the inputs of an award', () => {
  it('an enrolment added inside the window recomputes the award and posts only the difference', async () => {
    // V has [2019-03-15, 2020-03-15) = 366 of 1096 days: 333 941.60… → 333 942 (the larger
    // remainder beats the retained 666 058.39…). D then adds the other 730 days: 666 058.
    const w = await newWorld({ rule: 'fixed', institutions: { V: 'vuggestue', D: 'dagpleje' }, deposit: 5_000_000 });
    const child = await addChild(w, [['V', BIRTH, '2020-03-15']]);
    await measure(w, child, 'generel');
    await finaliseEarly(w);
    const before = await awardOf(w, child);
    expect(payoutsOf(before)).toEqual({ [w.inst.V!.code]: 333_942 });
    expect(before.retained_ore).toBe(666_058);
    const posted = (await awardEntries(before.id)).length;

    await enrol(w, child, 'D', '2020-03-15', null);
    const after = await awardOf(w, child);
    expect(payoutsOf(after)).toEqual({ [w.inst.V!.code]: 333_942, [w.inst.D!.code]: 666_058 });
    expect(after).toMatchObject({ retained_ore: 0, revision: 2, status: 'provisional' });
    expect((await awardEntries(after.id)).slice(posted)).toEqual([
      { kind: 'reserve', memo: 'award funded', lines: { [account(w, 'available')]: -666_058, [account(w, 'reserved')]: 666_058 } },
    ]);
    expect(await payableOf(w, 'V')).toBe(333_942);

    await finaliseEarly(w);
    expect((await awardEntries(after.id)).slice(posted + 1)).toEqual([
      { kind: 'finalise', memo: expect.any(String), lines: { [account(w, 'reserved')]: -666_058, [account(w, 'payable', 'D')]: 666_058 } },
    ]);
    expect([await payableOf(w, 'V'), await payableOf(w, 'D')]).toEqual([333_942, 666_058]);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 4_000_000, reserved_ore: 0, payable_ore: 1_000_000 });
  });

  it('closing an institution retroactively with a successor redirects its share to the successor', async () => {
    const w = await newWorld({ rule: 'fixed', institutions: { V1: 'vuggestue', V2: 'vuggestue' }, deposit: 5_000_000 });
    const child = await addChild(w, [['V1', BIRTH, WINDOW_END]]);
    await measure(w, child, 'generel');
    await finaliseEarly(w);
    const awardId = (await awardOf(w, child)).id;
    const posted = (await awardEntries(awardId)).length;

    const closed = ok(await t.call('POST', `/v1/institutions/${w.inst.V1!.id}/close`, { closed_on: '2022-06-01', successor: w.inst.V2!.code }));
    expect(closed).toMatchObject({ closed_on: '2022-06-01', successor: w.inst.V2 });
    await t.settled();

    const award = await awardOf(w, child);
    expect(payoutsOf(award)).toEqual({ [w.inst.V2!.code]: 1_000_000 });
    expect(award.status).toBe('provisional');
    const { explanation } = ok(await t.call('GET', `/v1/awards/${awardId}`, undefined, auditor));
    expect(explanation.payees).toMatchObject([{ code: w.inst.V2!.code, redirected_from: [{ code: w.inst.V1!.code }] }]);
    expect((await awardEntries(awardId)).slice(posted).map((e) => [e.kind, e.lines])).toEqual([
      ['payable_adjustment', { [account(w, 'payable', 'V1')]: -1_000_000, [account(w, 'available')]: 1_000_000 }],
      ['reserve', { [account(w, 'available')]: -1_000_000, [account(w, 'reserved')]: 1_000_000 }],
    ]);

    await finaliseEarly(w);
    expect([await payableOf(w, 'V1'), await payableOf(w, 'V2')]).toEqual([0, 1_000_000]);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 4_000_000, reserved_ore: 0, payable_ore: 1_000_000 });
  });
});

describe('funding order', () => {
  it('funds awards strictly in acceptance order: money enough for a later award waits for the earlier one', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' } });
    const [first, second] = [await addChild(w, [['V', BIRTH, WINDOW_END]]), await addChild(w, [['V', BIRTH, WINDOW_END]])];
    await measure(w, first, 1_000_000);
    await measure(w, second, 300_000);

    await deposit(w, 500_000); // covers the second award, not the first
    expect([(await awardOf(w, first)).status, (await awardOf(w, second)).status]).toEqual(['awaiting_funds', 'awaiting_funds']);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 500_000, reserved_ore: 0, awaiting_awards: 2, awaiting_shortfall_ore: 1_300_000 });

    await deposit(w, 600_000); // now the first, and only the first
    expect([(await awardOf(w, first)).status, (await awardOf(w, second)).status]).toEqual(['provisional', 'awaiting_funds']);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 100_000, reserved_ore: 1_000_000 });

    // A correction keeps its measurement's place: the first award grows, and is first in line again.
    await measure(w, first, 1_250_000);
    await deposit(w, 200_000);
    expect([(await awardOf(w, first)).status, (await awardOf(w, second)).status]).toEqual(['provisional', 'awaiting_funds']);
    expect(await fundBalances(w)).toMatchObject({ available_ore: 50_000, reserved_ore: 1_250_000 });
  });

  // A funding pass stops at a measurement of the fund's kinds still waiting for settlement (its
  // award would come first). Once that measurement is settled the fund needs another pass —
  // also when settling it changed nothing, or when no rule of the fund applies to it.
  it('a deposit whose funding pass met an earlier measurement being re-settled funds the waiting award once it is settled unchanged', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' }, deposit: 1_000_000 });
    const first = await addChild(w, []);
    const enrolment = await enrol(w, first, 'V', BIRTH, WINDOW_END);
    await measure(w, first, 1_000_000);
    const second = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    await measure(w, second, 300_000);
    expect(await awardOf(w, second)).toMatchObject({ status: 'awaiting_funds', awaiting_funds: true });

    // An enrolment correction that cannot change the first award: its end moves past the window.
    await depositWhileResettling(w, 500_000, async () => {
      ok(await t.call('PATCH', `/v1/enrolments/${enrolment}`, { end: '2022-09-01' }));
    });
    expect(await awardOf(w, second)).toMatchObject({ status: 'provisional', awaiting_funds: false });
    expect(await fundBalances(w)).toMatchObject({ available_ore: 200_000, reserved_ore: 1_300_000, awaiting_awards: 0 });
  });

  it('a deposit whose funding pass met an earlier measurement no rule applies to (measured before the rule took effect) funds the waiting award once that is settled', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' } });
    const early = await addChild(w, []);
    const enrolment = await enrol(w, early, 'V', BIRTH, WINDOW_END);
    await measure(w, early, 1_000_000, '2019-06-01'); // the rule's only version takes effect 2020-01-01
    expect(ok(await t.call('GET', `/v1/awards?child_id=${early}`)).items).toEqual([]);
    const later = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    await measure(w, later, 300_000);
    expect(await awardOf(w, later)).toMatchObject({ status: 'awaiting_funds' });

    await depositWhileResettling(w, 500_000, async () => {
      ok(await t.call('PATCH', `/v1/enrolments/${enrolment}`, { end: '2022-09-01' }));
    });
    expect(await awardOf(w, later)).toMatchObject({ status: 'provisional', awaiting_funds: false });
    expect(await fundBalances(w)).toMatchObject({ available_ore: 200_000, reserved_ore: 300_000, awaiting_awards: 0 });
  });
});

/**
 * Makes `change` (which must record one settle job) and a deposit while the outbox is held,
 * then runs their jobs in an order a worker pool may well choose: the deposit's funding pass
 * first — it meets the re-opened measurement and stops there — then the settlement.
 */
async function depositWhileResettling(w: World, amount: number, change: () => Promise<void>) {
  // Afterwards, pass over the fund as the workers' periodic safety net would, so that an award
  // left waiting here does not fail the invariant checks of the tests that follow.
  onTestFinished(async () => void (await t.ctx.services.settlement.fund(w.fundId)));
  await withOutboxHeld(async () => {
    await change();
    ok(await t.call('POST', `/v1/funds/${w.fundId}/deposits`, { amount_ore: amount, funder: 'Landsbyggefonden' }), 201);
    const jobs = await takeOutbox();
    expect(jobs.map((j) => j.name)).toEqual(['settle', 'fund']);
    const handlers = createHandlers(t.ctx);
    await runJob(handlers, jobs[1]!);
    await runJob(handlers, jobs[0]!);
  });
}

/** Runs `fn` with the outbox relay stopped: the jobs its changes record wait until it is done. */
async function withOutboxHeld<T>(fn: () => Promise<T>): Promise<T> {
  await t.ctx.relay.stop();
  try {
    return await fn();
  } finally {
    t.ctx.relay.start();
  }
}

/** Claims every pending outbox row the way the relay does (and removes it), without queueing it. */
async function takeOutbox(): Promise<Job[]> {
  return t.ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('outbox').select(['id', 'topic', 'payload']).orderBy('id').forUpdate().execute();
    if (rows.length)
      await trx
        .deleteFrom('outbox')
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    return rows.map((r) => parseJob(r.topic, r.payload));
  });
}

describe('statement', () => {
  it('opening + movements = closing over any period, and the closing matches the balances', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue', D: 'dagpleje' }, deposit: 5_000_000 });
    const vKey = await createKey(t, { role: 'institution', institution: w.inst.V!.code });
    const dKey = await createKey(t, { role: 'institution', institution: w.inst.D!.code });
    const statement = async (from: string, to: string) =>
      ok(await t.call('GET', `/v1/institutions/${w.inst.V!.id}/statement?from=${from}&to=${to}`, undefined, vKey));

    const day0 = today();
    await measure(w, await addChild(w, [['V', BIRTH, WINDOW_END]]), 500_000);
    await finaliseEarly(w); // day 0: +500 000
    advanceDays(2);
    const day2 = today();
    await confirmRun((await paymentRun(w)).id); // day 2: −500 000
    advanceDays(2);
    const later = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    await measure(w, later, 200_000);
    await finaliseEarly(w); // day 4: +200 000
    advanceDays(2);
    await measure(w, later, 50_000); // day 6: −150 000
    const day1 = new Date(Date.parse(day0) + DAY_MS).toISOString().slice(0, 10);

    const whole = await statement(day0, today());
    expect(whole.opening_balance_ore).toBe(0);
    expect(whole.movements.map((m: { kind: string; amount_ore: number }) => [m.kind, m.amount_ore])).toEqual([
      ['finalise', 500_000],
      ['payment', -500_000],
      ['finalise', 200_000],
      ['payable_adjustment', -150_000],
    ]);
    expect(whole.movements[0].explanation).toMatchObject({ amount_ore: 500_000 });

    const tail = await statement(day1, today());
    expect(tail.opening_balance_ore).toBe(500_000);
    expect(tail.movements.map((m: { posted_on: string }) => m.posted_on)[0]).toBe(day2);

    const head = await statement(day0, day1);
    for (const s of [whole, tail, head]) {
      const moved = s.movements.reduce((sum: number, m: { amount_ore: number }) => sum + m.amount_ore, 0);
      expect(s.opening_balance_ore + moved).toBe(s.closing_balance_ore);
    }
    expect(head.closing_balance_ore).toBe(500_000);
    expect(tail.closing_balance_ore).toBe(50_000);
    expect(whole.closing_balance_ore).toBe(await payableOf(w, 'V'));
    expect(ok(await t.call('GET', `/v1/institutions/${w.inst.V!.id}/balances`, undefined, vKey)).payable_ore).toBe(50_000);
    expectProblem(await t.call('GET', `/v1/institutions/${w.inst.V!.id}/statement?from=${day0}&to=${today()}`, undefined, dKey), 403);
  });
});

describe('idempotency', () => {
  it('settling every measurement again posts nothing, even when forced to recompute', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' }, deposit: 5_000_000 });
    await measure(w, await addChild(w, [['V', BIRTH, WINDOW_END]]), 400_000);
    await measure(w, await addChild(w, [['V', BIRTH, WINDOW_END]]), 0); // not earned
    const ids = (await t.ctx.db.selectFrom('measurements').select('id').execute()).map((m) => m.id);
    const revisions = async () => Number((await sql<{ n: string }>`select count(*) as n from award_revisions`.execute(t.ctx.db)).rows[0]!.n);
    const [entriesBefore, revisionsBefore] = [await journalCount(t.ctx.db), await revisions()];

    expect(await t.ctx.services.settlement.settle(ids)).toEqual({ settled: 0, changed: 0 });
    // As if every input had changed without changing anything (what an enrolment edit does).
    await sql`update measurements set gen = gen + 1, updated_at = now()`.execute(t.ctx.db);
    expect(await t.ctx.services.settlement.settle(ids)).toEqual({ settled: ids.length, changed: 0 });

    expect(await journalCount(t.ctx.db)).toBe(entriesBefore);
    expect(await revisions()).toBe(revisionsBefore);
  });

  it('a measurement retracted before its settlement ran leaves the same zero award as one retracted after', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' }, deposit: 1_000_000 });
    const slow = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    const quick = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    await measure(w, slow, 400_000);
    await retract(w, slow);
    // The same two requests, but the worker only gets to them after both.
    await withOutboxHeld(async () => {
      ok(await t.call('POST', '/v1/measurements', { child_id: quick, kind: w.kind, period: 'age-4', value: 400_000, measured_on: MEASURED_ON }), 201);
      ok(await t.call('POST', '/v1/measurements/retract', { child_id: quick, kind: w.kind, period: 'age-4' }));
    });
    await t.settled();

    const zero = { status: 'not_earned', earned: false, amount_ore: 0, retained_ore: 0, payouts: [] };
    expect(await awardOf(w, slow)).toMatchObject(zero);
    expect(await awardOf(w, quick)).toMatchObject(zero);
  });

  it('re-submitting an identical measurement is "unchanged" and posts nothing', async () => {
    const w = await newWorld({ rule: 'value', institutions: { V: 'vuggestue' }, deposit: 5_000_000 });
    const child = await addChild(w, [['V', BIRTH, WINDOW_END]]);
    const first = await measure(w, child, 400_000);
    expect(first.outcome).toBe('accepted');
    const [entriesBefore, awardBefore] = [await journalCount(t.ctx.db), await awardOf(w, child)];

    const again = await measure(w, child, 400_000);
    expect(again.outcome).toBe('unchanged');
    expect(again.measurement).toMatchObject({ id: first.measurement.id, revision: 1 });
    expect(await journalCount(t.ctx.db)).toBe(entriesBefore);
    expect(await awardOf(w, child)).toEqual(awardBefore);
  });
});

describe('the ledger', () => {
  it('is append-only, and its hash chain detects an altered entry', async () => {
    await expectAppendOnly(t.ctx.db);
    const exported = await chainEntries(t.ctx.db);
    expect(verifyChain(exported).ok).toBe(true);
    expect(ok(await t.call('GET', '/v1/ledger/verify', undefined, auditor))).toMatchObject({ ok: true, checked: exported.length });
    exported[0]!.memo = `${exported[0]!.memo} (altered)`;
    expect(verifyChain(exported)).toMatchObject({ ok: false, firstBreak: { seq: 1, reason: 'hash_mismatch' } });
  });

  it('a pending entry leaves journal_pending only by being sealed, and is never changed', async () => {
    const fund = ok(await t.call('POST', '/v1/funds', { name: 'pending guard' }), 201).id as string;
    /** In a transaction that is rolled back: append one entry, maybe seal, then run `statement` on it. */
    const attempt = (statement: (id: string) => ReturnType<typeof sql>, seal = false) =>
      t.ctx.db
        .transaction()
        .execute(async (trx) => {
          const [posted] = await t.ctx.services.ledger.post(trx, [
            {
              kind: 'deposit',
              fundId: fund,
              memo: 'guard test',
              lines: [
                { account: funders(fund), amount: -1n },
                { account: available(fund), amount: 1n },
              ],
            },
          ]);
          if (seal) expect((await sealPending(trx, await ledgerRepo.lockHead(trx))).seqs.has(posted!.id)).toBe(true);
          const { rows } = await statement(posted!.id).execute(trx);
          throw Object.assign(new Error('accepted'), { rows }); // roll back either way
        })
        .catch((err: Error & { rows?: unknown[] }) => (err.message === 'accepted' ? err.rows : err.message));
    expect(await attempt((id) => sql`delete from journal_pending where id = ${id}`)).toMatch(/only leave by being sealed/);
    expect(await attempt((id) => sql`update journal_pending set memo = 'x' where id = ${id}`)).toMatch(/only leave by being sealed/);
    // Sealing moved it (the sealer's delete passed the guard): sealed once, pending no more.
    expect(
      await attempt(
        (id) =>
          sql`select (select count(*)::int from journal_entries where id = ${id}) as sealed, (select count(*)::int from journal_pending where id = ${id}) as pending`,
        true,
      ),
    ).toEqual([{ sealed: 1, pending: 0 }]);
  });

  it('refuses, per statement, a journal row naming a missing entry, account or fund, and never loses a referenced account or fund', async () => {
    const fund = ok(await t.call('POST', '/v1/funds', { name: 'reference guard' }), 201).id as string;
    ok(await t.call('POST', `/v1/funds/${fund}/deposits`, { amount_ore: 100, funder: 'reference guard' }), 201);
    await sealAll(t.ctx.db);
    const account = accountCode(available(fund));
    /** Runs `statement` in a transaction that is rolled back; the error message, or 'accepted'. */
    const attempt = (statement: ReturnType<typeof sql>) =>
      t.ctx.db
        .transaction()
        .execute(async (trx) => {
          await statement.execute(trx);
          throw new Error('accepted');
        })
        .catch((err: Error) => err.message);
    const head = sql`(select max(seq) from journal_entries)`;
    const missing = '00000000-0000-4000-8000-000000000000';
    // A sound statement passes: the guards refuse only what names a missing row.
    expect(await attempt(sql`insert into journal_lines (entry_seq, line_no, account, amount_ore) values (${head}, 99, ${account}, 1)`)).toBe('accepted');
    expect(
      await attempt(
        sql`insert into journal_lines (entry_seq, line_no, account, amount_ore) values (${head}, 99, ${account}, 1), (${head} + 1000, 1, ${account}, 1)`,
      ),
    ).toMatch(/journal line refers to a missing entry/);
    expect(await attempt(sql`insert into journal_lines (entry_seq, line_no, account, amount_ore) values (${head}, 99, 'no-such-account', 1)`)).toMatch(
      /journal line refers to a missing account no-such-account/,
    );
    expect(
      await attempt(
        sql`insert into journal_entries (seq, id, posted_at, posted_on, kind, fund_id, prev_hash, hash, canonical)
            select seq + 1, gen_random_uuid(), posted_at, posted_on, kind, ${missing}::uuid, hash, md5(hash) || md5(hash), canonical
              from journal_entries where seq = ${head}`,
      ),
    ).toMatch(new RegExp(`journal_entries refers to a missing fund ${missing}`));
    expect(
      await attempt(
        sql`insert into journal_pending (id, append_no, posted_at, posted_on, kind, fund_id, memo, lines)
            select gen_random_uuid(), 9000000000000000, posted_at, posted_on, kind, ${missing}::uuid, memo, '[]'::json from journal_entries where seq = ${head}`,
      ),
    ).toMatch(new RegExp(`journal_pending refers to a missing fund ${missing}`));
    for (const statement of [
      sql`delete from ledger_accounts where code = ${account}`,
      sql`update ledger_accounts set code = 'renamed' where code = ${account}`,
      sql`truncate ledger_accounts cascade`,
      sql`delete from funds where id = ${fund}`,
      sql`update funds set id = gen_random_uuid() where id = ${fund}`,
    ]) {
      expect(await attempt(statement)).toMatch(/referenced by the ledger: never deleted, their key never changed/);
    }
    expect(await attempt(sql`update ledger_accounts set balance_ore = balance_ore where code = ${account}`)).toBe('accepted');
  });
});

describe('the invariant checker', () => {
  it('reports awards, payees and revisions that name missing rows (the database no longer refuses them)', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const found = await t.ctx.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into award_payees (award_id, institution_id, amount_ore) values (${missing}, ${missing}, 0)`.execute(trx);
        await sql`insert into award_revisions (award_id, revision, earned, amount_ore, retained_ore, payouts) values (${missing}, 1, false, 0, 0, '{}')`.execute(
          trx,
        );
        const violations = await referenceViolations(trx as never);
        throw Object.assign(new Error('rollback'), { violations });
      })
      .catch((err: { violations?: string[] }) => err.violations);
    expect(found).toEqual([`payee without its award or institution: ${missing}`, `revision without its award: ${missing}`]);
    expect(await referenceViolations(t.ctx.db)).toEqual([]);
  });
});
