import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { camtXml } from '../../support/iso20022.js';
import { FAST_WEBHOOK_ENV, WebhookReceiver, documentFaults, waitFor, type Received } from '../../support/webhook-receiver.js';
import { send } from '../fuzz/support.js';
import { createKey, ok } from '../registry/helpers.js';
import { FUND_IBAN, paymentWorld, today, type PaymentWorld } from '../payments/world.js';

/**
 * The two events no other test saw sent (audit of issue 15): `award.changed`, caused by a
 * measurement correction that takes an award's money away, and `payment_line.returned`, caused by
 * a camt.054 notification with a return — both through the public API, to a real receiver that
 * verifies every Standard Webhooks signature. Each is delivered once per subscription that may see
 * it, signed, with the ids and amounts of the change, as the OpenAPI document describes, and
 * without a CPR number.
 */
const ENV = FAST_WEBHOOK_ENV;
const CPR = '150319-4123';

let t: TestApp;
let w: PaymentWorld;
const rx = new WebhookReceiver();

async function subscribe(path: string, events: string[], key?: string) {
  const res = ok(await t.call('POST', '/v1/webhooks', { url: rx.url(path), events }, key), 201);
  expect(res.secret).toMatch(/^whsec_/);
  rx.secret(path, res.secret);
  return res.id as string;
}

const allDelivered = async () => {
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from webhook_deliveries where status = 'pending'`.execute(t.ctx.db);
  return rows[0]!.n === '0';
};
const deliveries = async (subscriptionId: string) =>
  (
    await sql<{
      event_id: string;
      status: string;
      attempts: number;
    }>`select event_id, status, attempts from webhook_deliveries where subscription_id = ${subscriptionId}`.execute(t.ctx.db)
  ).rows;

/** Signed, as documented, without a CPR; returns the event's data. */
function expectSound(r: Received) {
  expect(r.verified, r.body).toBe(true);
  expect(documentFaults(r), r.body).toEqual([]);
  for (const cpr of [CPR, CPR.replace('-', '')]) expect(r.body).not.toContain(cpr);
  return r.data;
}

beforeAll(async () => {
  await rx.start();
  t = await createTestApp({ env: ENV });
  w = await paymentWorld(t, 'E');
}, 120_000);
afterAll(async () => {
  await t?.close();
  await rx.stop();
});

describe('award.changed', () => {
  it('a correction that takes an award’s money away is sent once, signed, to the admin and to the institution that lost it', async () => {
    const adminSub = await subscribe('/changed', ['award.changed']);
    const instKey = await createKey(t, { role: 'institution', institution: 'E-1' });
    const instSub = await subscribe('/changed-e1', ['award.changed'], instKey);
    const otherKey = await createKey(t, { role: 'institution', institution: 'E-3' });
    await subscribe('/changed-e3', ['award.changed'], otherKey);

    const child = ok(await t.call('POST', '/v1/children', { cpr: CPR }), 201).id as string;
    ok(await t.call('POST', '/v1/enrolments', { child, institution: 'E-1', start: '2019-03-15', end: '2022-03-15' }), 201);
    const measure = (value: string) =>
      t.call('POST', '/v1/measurements', { child_id: child, kind: 'sprogvurdering', period: 'age-4', value, measured_on: '2023-04-20' });
    const first = ok(await measure('generel'), 201);
    await t.settled();
    const before = ok(await t.call('GET', `/v1/awards?child_id=${child}`)).items;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ earned: true, amount_ore: 1_000_000 });
    await waitFor('nothing pending', allDelivered);
    expect(rx.received.filter((r) => r.type === 'award.changed' && r.data.child_id === child)).toEqual([]); // computed, not changed

    const corrected = ok(await measure('saerlig'), 200);
    expect(corrected.measurement.id).toBe(first.measurement.id);
    await t.settled();
    const award = ok(await t.call('GET', `/v1/awards/${before[0].id}`));
    expect(award).toMatchObject({ earned: false, amount_ore: 0 });
    await waitFor('award.changed at both subscriptions', () => rx.unique('/changed').size === 1 && rx.unique('/changed-e1').size === 1);
    await waitFor('nothing pending', allDelivered);

    for (const path of ['/changed', '/changed-e1']) {
      const got = rx.at(path);
      expect(got, path).toHaveLength(1); // answered 204 at once: one POST, no retry
      expect(got[0]!.type).toBe('award.changed');
      expect(expectSound(got[0]!)).toEqual({
        award_id: award.id,
        fund_id: w.fund,
        rule_id: award.rule_id,
        measurement_id: first.measurement.id,
        child_id: child,
        revision: award.revision,
        status: 'not_earned',
        earned: false,
        amount_ore: 0,
        retained_ore: 0,
        payouts: [],
      });
    }
    expect(award.revision).toBeGreaterThan(1);
    expect(rx.at('/changed-e3')).toEqual([]); // not E-3's award
    for (const sub of [adminSub, instSub]) {
      expect((await deliveries(sub)).map((d) => [d.event_id, d.status, d.attempts])).toEqual([
        [rx.at(sub === adminSub ? '/changed' : '/changed-e1')[0]!.id, 'delivered', 1],
      ]);
    }
    // The same event to both: one id.
    expect(rx.at('/changed')[0]!.id).toBe(rx.at('/changed-e1')[0]!.id);
  });
});

describe('payment_line.returned', () => {
  it('a camt.054 return is sent once, signed, with the line’s ids, amount and reason, to the admin and to the institution paid', async () => {
    ok(await t.call('PUT', `/v1/funds/${w.fund}/account`, { name: 'Fonden', iban: FUND_IBAN, bic: 'DABADKKK' }));
    const adminSub = await subscribe('/returned', ['payment_line.returned']);
    const e2Key = await createKey(t, { role: 'institution', institution: 'E-2' });
    const e2Sub = await subscribe('/returned-e2', ['payment_line.returned'], e2Key);
    const e1Key = await createKey(t, { role: 'institution', institution: 'E-1' });
    await subscribe('/returned-e1', ['payment_line.returned'], e1Key);

    const run = ok(await t.call('POST', `/v1/funds/${w.fund}/payment-runs`, { cutoff_on: today() }), 201);
    const line = run.lines.find((l: { code: string }) => l.code === 'E-2');
    expect(line).toMatchObject({ amount_ore: 1_000_000, status: 'pending' });
    const xml = (messageId: string) =>
      camtXml('camt.054', {
        messageId,
        iban: FUND_IBAN,
        entries: [
          { amountOre: 1_000_000n, creditDebit: 'CRDT', bookingDate: '2024-06-05', transactions: [{ endToEndId: line.reference, returnReason: 'AC04' }] },
        ],
      });
    const res = await send(t, 'POST', '/v1/bank-statements', { payload: xml('RET-1'), contentType: 'application/xml' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ duplicate: false, counts: { returned: 1 } });
    // The same document again, and the same return in another document: nothing more is sent.
    expect((await send(t, 'POST', '/v1/bank-statements', { payload: xml('RET-1'), contentType: 'application/xml' })).body).toMatchObject({ duplicate: true });
    const again = await send(t, 'POST', '/v1/bank-statements', { payload: xml('RET-2'), contentType: 'application/xml' });
    expect(again.status, again.text).toBe(201);
    expect(again.body.counts.returned).toBeUndefined();
    await t.settled();
    await waitFor('payment_line.returned at both subscriptions', () => rx.unique('/returned').size === 1 && rx.unique('/returned-e2').size === 1);
    await waitFor('nothing pending', allDelivered);

    const expected = {
      run_id: run.id,
      fund_id: w.fund,
      institution_id: w.inst['E-2'],
      reference: line.reference,
      amount_ore: 1_000_000,
      return_reason: 'AC04',
      returned_on: '2024-06-05',
    };
    for (const path of ['/returned', '/returned-e2']) {
      const got = rx.at(path);
      expect(got, path).toHaveLength(1);
      expect(got[0]!.type).toBe('payment_line.returned');
      expect(expectSound(got[0]!)).toEqual(expected);
    }
    expect(rx.at('/returned-e1')).toEqual([]); // E-1's line was not returned
    for (const [sub, path] of [
      [adminSub, '/returned'],
      [e2Sub, '/returned-e2'],
    ] as const) {
      expect((await deliveries(sub)).map((d) => [d.event_id, d.status])).toEqual([[rx.at(path)[0]!.id, 'delivered']]);
    }
    // The books agree with the event: the line is returned with the reason.
    const after = ok(await t.call('GET', `/v1/payment-runs/${run.id}`));
    expect(after.lines.find((l: { code: string }) => l.code === 'E-2')).toMatchObject({ status: 'returned', return_reason: 'AC04' });
  });
});
