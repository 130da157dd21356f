import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { expectUnchanged } from '../fuzz/support.js';
import { createKey, expectProblem, ok } from '../registry/helpers.js';
import { approvedDetails, paymentWorld, today, type PaymentWorld } from './world.js';

/**
 * Payee details (issue 15 §1): CVR, EAN and account checked and refused naming the field; a
 * change takes effect only when a second admin key approves it; both steps are audited; a
 * payment run uses — and names on each line — the details approved when it was created.
 */
let t: TestApp;
let w: PaymentWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await paymentWorld(t);
}, 120_000);
afterAll(async () => t?.close());

const IBAN_BODY = { cvr: '61126228', ean: '4006381333931', account: { type: 'iban', iban: 'DK50 0040 0440 1162 43', bic: 'DABADKKK' } };

describe('payee details', () => {
  it('refuses invalid numbers naming every bad field, and stores nothing', async () => {
    const url = `/v1/institutions/${w.inst['V-1']}/payee-details`;
    await expectUnchanged(t, async () => {
      const res = await t.call('POST', url, { cvr: '61126229', ean: '4006381333932', account: { type: 'iban', iban: 'DK5000400440116244' } });
      expectProblem(res, 422, 'body.cvr');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.cvr', 'body.ean', 'body.account.iban']);
      expectProblem(
        await t.call('POST', url, { cvr: '61126228', account: { type: 'dk_account', reg_no: '123', account_no: '1' } }),
        422,
        'body.account.reg_no',
      );
      expectProblem(
        await t.call('POST', url, { cvr: '61126228', account: { type: 'dk_account', reg_no: '1234', account_no: '12345678901' } }),
        422,
        'body.account.account_no',
      );
      expectProblem(
        await t.call('POST', url, { cvr: '61126228', account: { type: 'iban', iban: 'DK5000400440116243', bic: 'dabadkkk' } }),
        422,
        'body.account.bic',
      );
      expectProblem(await t.call('POST', url, { cvr: '61126228', account: { type: 'cheque' } }), 400, 'body.account.type');
      expectProblem(await t.call('POST', `/v1/institutions/00000000-0000-4000-8000-000000000000/payee-details`, IBAN_BODY), 404, 'params.id');
    });
  });

  it('take effect only when a second admin key approves; both steps are audited', async () => {
    const id = w.inst['V-2']!;
    const change = ok(await t.call('POST', `/v1/institutions/${id}/payee-details`, IBAN_BODY), 201);
    expect(change).toMatchObject({ status: 'pending', version: 1, cvr: '61126228', account: { type: 'iban', iban: 'DK5000400440116243', bic: 'DABADKKK' } });
    expect(ok(await t.call('GET', `/v1/institutions/${id}/payee-details`))).toMatchObject({ current: null, pending: { id: change.id } });
    expectProblem(await t.call('POST', `/v1/institutions/${id}/payee-details`, IBAN_BODY), 409, 'params.id');

    // The proposer cannot approve its own change — and neither can a direct write to the database.
    expectProblem(await t.call('POST', `/v1/payee-detail-changes/${change.id}/approve`, {}), 403, 'params.id');
    await expect(sql`update payee_details set status = 'approved', decided_by = proposed_by where id = ${change.id}`.execute(t.ctx.db)).rejects.toThrow(
      /payee_details_four_eyes/,
    );
    const auditor = await createKey(t, { role: 'auditor' });
    expectProblem(await t.call('POST', `/v1/payee-detail-changes/${change.id}/approve`, {}, auditor), 403);

    const approved = ok(await t.call('POST', `/v1/payee-detail-changes/${change.id}/approve`, { note: 'checked by phone' }, w.admin2));
    expect(approved).toMatchObject({ status: 'approved', decision_note: 'checked by phone' });
    expect(approved.decided_by).not.toBe(approved.proposed_by);
    expectProblem(await t.call('POST', `/v1/payee-detail-changes/${change.id}/approve`, {}, w.admin2), 409, 'params.id');
    expect(ok(await t.call('GET', `/v1/institutions/${id}/payee-details`))).toMatchObject({ current: { id: change.id }, pending: null });

    const { rows } = await sql<{ action: string; actor_key_id: string }>`
      select action, actor_key_id from audit_log where target_id = ${id} and action like 'payee_details.%' order by id`.execute(t.ctx.db);
    expect(rows.map((r) => r.action)).toEqual(['payee_details.propose', 'payee_details.approve']);
    expect(rows[0]!.actor_key_id).not.toBe(rows[1]!.actor_key_id);
  });

  it('a rejected change never takes effect; the institution reads only its own details', async () => {
    const id = w.inst['V-3']!;
    const first = await approvedDetails(t, w, 'V-3', { cvr: '24256790', account: { type: 'nemkonto' } });
    const change = ok(
      await t.call('POST', `/v1/institutions/${id}/payee-details`, { cvr: '24256790', account: { type: 'dk_account', reg_no: '9999', account_no: '7654321' } }),
      201,
    );
    expect(ok(await t.call('POST', `/v1/payee-detail-changes/${change.id}/reject`, { note: 'forged letter' }))).toMatchObject({ status: 'rejected' });
    const own = await createKey(t, { role: 'institution', institution: 'V-3' });
    expect(ok(await t.call('GET', `/v1/institutions/${id}/payee-details`, undefined, own))).toMatchObject({
      current: { id: first.id, account: { type: 'nemkonto' } },
      pending: null,
    });
    expectProblem(await t.call('GET', `/v1/institutions/${w.inst['V-1']}/payee-details`, undefined, own), 403, 'params.id');
  });

  it('a run uses the details approved at its creation and names them on each line; a later change does not alter it', async () => {
    const id = w.inst['V-1']!;
    const v1 = await approvedDetails(t, w, 'V-1', { cvr: '29403473', account: { type: 'dk_account', reg_no: '1234', account_no: '567' } });
    const pending = ok(
      await t.call('POST', `/v1/institutions/${id}/payee-details`, { cvr: '29403473', account: { type: 'iban', iban: 'GB82WEST12345698765432' } }),
      201,
    );
    const run = ok(await t.call('POST', `/v1/funds/${w.fund}/payment-runs`, { cutoff_on: today() }), 201);
    const line = run.lines.find((l: { institution_id: string }) => l.institution_id === id);
    expect(line.payee_details).toEqual({ id: v1.id, version: 1, cvr: '29403473', ean: null, account: 'DK reg. 1234 account 0000000567' });
    ok(await t.call('POST', `/v1/payee-detail-changes/${pending.id}/approve`, {}, w.admin2));
    const again = ok(await t.call('GET', `/v1/payment-runs/${run.id}`));
    expect(again.lines.find((l: { institution_id: string }) => l.institution_id === id).payee_details.id).toBe(v1.id);
    const csv = String((await t.call('GET', `/v1/payment-runs/${run.id}/file`)).body).split('\r\n');
    expect(csv[0]).toBe(
      'reference,fund_id,cutoff_on,institution_code,institution_name,amount_ore,amount_dkk,status,line_reference,payee_details_version,cvr,ean,account',
    );
    expect(csv.find((l) => l.includes(',V-1,'))).toMatch(/,1,29403473,,DK reg\. 1234 account 0000000567$/);
  });
});
