/**
 * The same settlement, end to end, with the production transport: BullMQ workers on a real
 * Redis (measurement → award → finalisation → payment run), and jobs delivered more than once
 * — duplicate enqueues, a handler run twice — change nothing (§6: idempotent, never paid twice).
 */
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../../src/services/business-date.js';
import { createHandlers } from '../../../workers/handlers.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { redisTestUrl } from '../../support/db.js';
import { ok } from '../registry/helpers.js';
import { expectLedgerInvariants, journalCount } from './invariants.js';

const KIND = 'score';
const BIRTH = '2019-03-15';

let t: TestApp;
let fundId: string;
let institution: { id: string; code: string };

beforeAll(async () => {
  t = await createTestApp({ queue: 'bullmq' });
  ok(await t.call('POST', '/v1/measurement-kinds', { key: KIND, type: 'number', min: 0, max: 100_000_000 }), 201);
  fundId = ok(await t.call('POST', '/v1/funds', { name: 'BullMQ fund' }), 201).id;
  institution = ok(await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue' }), 201);
  // The measured value is the amount in øre; all of it to the vuggestue days of the first 36 months.
  ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fundId,
      kind: KIND,
      versions: [
        {
          effective_from: '2020-01-01',
          predicate: { op: 'gte', value: 1 },
          amount: { value_bp: 10000 },
          windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
        },
      ],
    }),
    201,
  );
  ok(await t.call('POST', `/v1/funds/${fundId}/deposits`, { amount_ore: 5_000_000, funder: 'Landsbyggefonden' }), 201);
});
afterAll(async () => t?.close());

/** A child enrolled at V-1 for its whole first three years, measured at `value`. */
async function measuredChild(value: number): Promise<{ child: string; measurementId: string }> {
  const child = ok(await t.call('POST', '/v1/children', { birth_date: BIRTH }), 201).id;
  ok(await t.call('POST', '/v1/enrolments', { child, institution: institution.code, start: BIRTH, end: '2022-03-15' }), 201);
  const measurementId = (await measure(child, value)).measurement.id;
  return { child, measurementId };
}

async function measure(child: string, value: number) {
  const res = await t.call('POST', '/v1/measurements', { child_id: child, kind: KIND, period: 'age-4', value, measured_on: '2023-04-01' });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  await t.settled();
  return res.body;
}

async function awardOf(child: string) {
  const items = ok(await t.call('GET', `/v1/awards?child_id=${child}`)).items;
  expect(items).toHaveLength(1);
  return items[0];
}

const balances = async () => ok(await t.call('GET', `/v1/funds/${fundId}/balances`));

/** What the worker processed, read back from Redis with BullMQ's own client. */
async function completedJobNames(): Promise<string[]> {
  const url = new URL(redisTestUrl());
  const queue = new Queue('settlement', { connection: { host: url.hostname, port: Number(url.port) }, prefix: t.ctx.config.QUEUE_PREFIX });
  try {
    return (await queue.getCompleted(0, -1)).map((j) => j.name);
  } finally {
    await queue.close();
  }
}

describe('settlement on BullMQ with real Redis', () => {
  it('settles, finalises and pays a measurement through the queue', async () => {
    expect(t.ctx.queue.transport).toBe('bullmq');
    const { child } = await measuredChild(1_000_000);
    expect(await awardOf(child)).toMatchObject({ status: 'provisional', amount_ore: 1_000_000, reserved_ore: 1_000_000 });
    expect(await completedJobNames()).toEqual(expect.arrayContaining(['fund', 'settle']));

    expect(ok(await t.call('POST', '/v1/awards/finalise', { fund_id: fundId, reason: 'test: skip the review window' })).finalised).toBe(1);
    expect(await awardOf(child)).toMatchObject({ status: 'final', payouts: [{ code: 'V-1', amount_ore: 1_000_000, payable_ore: 1_000_000 }] });
    const today = businessDate(new Date(), t.ctx.config.BUSINESS_TIME_ZONE);
    const run = ok(await t.call('POST', `/v1/funds/${fundId}/payment-runs`, { cutoff_on: today }), 201);
    expect(run.lines.map((l: { code: string; amount_ore: number }) => [l.code, l.amount_ore])).toEqual([['V-1', 1_000_000]]);
    expect(ok(await t.call('POST', `/v1/payment-runs/${run.id}/confirm`)).status).toBe('confirmed');
    expect(await balances()).toMatchObject({ available_ore: 4_000_000, reserved_ore: 0, payable_ore: 0, paid_out_ore: 1_000_000 });
    await expectLedgerInvariants(t.ctx.db);
  });

  it('a settle job delivered several times posts the difference once', async () => {
    const { child, measurementId } = await measuredChild(400_000);
    const entriesBefore = await journalCount(t.ctx.db);
    const duplicate = { name: 'settle' as const, data: { measurementIds: [measurementId] } };

    // The correction enqueues its own settle job (via the outbox); two more copies race it.
    const res = await t.call('POST', '/v1/measurements', { child_id: child, kind: KIND, period: 'age-4', value: 250_000, measured_on: '2023-04-01' });
    expect(res.body.outcome).toBe('corrected');
    await t.ctx.queue.add([duplicate, duplicate]);
    await t.settled();

    const award = await awardOf(child);
    expect(award).toMatchObject({ amount_ore: 250_000, reserved_ore: 250_000, revision: 2 });
    const posted = ok(await t.call('GET', `/v1/ledger/entries?award_id=${award.id}`)).items;
    expect(posted.map((e: { kind: string }) => e.kind)).toEqual(['reserve', 'release']);
    expect(posted[1].lines).toContainEqual({ account: `fund:${fundId}:reserved`, amount_ore: -150_000 });
    expect(await journalCount(t.ctx.db)).toBe(entriesBefore + 1);
    await expectLedgerInvariants(t.ctx.db);
  });

  it('handlers run twice, and every kind of job enqueued again, change nothing', async () => {
    const { child, measurementId } = await measuredChild(300_000);
    const awardBefore = await awardOf(child);
    const [entriesBefore, balancesBefore] = [await journalCount(t.ctx.db), await balances()];

    const handlers = createHandlers(t.ctx);
    for (let i = 0; i < 2; i++) {
      await handlers.settle({ measurementIds: [measurementId] });
      await handlers.fund({ fundId });
      await handlers['finalise-due']({});
    }
    // As after a change to the measurement's inputs that alters nothing: it must be recomputed,
    // and the recomputation arrives twice.
    await sql`update measurements set gen = gen + 1, updated_at = now() where id = ${measurementId}`.execute(t.ctx.db);
    await t.ctx.queue.add([
      { name: 'settle', data: { measurementIds: [measurementId] } },
      { name: 'settle', data: { measurementIds: [measurementId] } },
      { name: 'fund', data: { fundId } },
      { name: 'fund', data: { fundId } },
    ]);
    await t.settled();

    expect(await journalCount(t.ctx.db)).toBe(entriesBefore);
    expect(await balances()).toEqual(balancesBefore);
    expect(await awardOf(child)).toEqual(awardBefore);
    await expectLedgerInvariants(t.ctx.db);
  });
});
