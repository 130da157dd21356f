import { XMLParser } from 'fast-xml-parser';
import { sealAll } from '../../../src/services/ledger-sealer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { XSD, camtXml, xmllint, type StatementEntry } from '../../support/iso20022.js';
import { expectUnchanged, send } from '../fuzz/support.js';
import { expectProblem, ok } from '../registry/helpers.js';
import { expectLedgerInvariants, journalCount } from '../settlement/invariants.js';
import { approvedDetails, FUND_IBAN, paymentWorld, today, type PaymentWorld } from './world.js';

/**
 * The payment flow end to end (issue 15 §2–3): run → pain.001 file (valid against the ISO XSD)
 * → bank → camt.054 / camt.053 → lines paid or returned, the run confirmed, returns back on the
 * institution's payable; the same statement twice changes nothing; bad documents are refused
 * naming the element and change nothing.
 */
let t: TestApp;
let w: PaymentWorld;
let run: any;
const line = (code: string) => run.lines.find((l: { code: string }) => l.code === code);

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentWorld(t);
  await approvedDetails(t, w, 'V-1', { cvr: '61126228', ean: '4006381333931', account: { type: 'iban', iban: 'DK5000400440116243', bic: 'NDEADKKK' } });
  await approvedDetails(t, w, 'V-2', { cvr: '29403473', account: { type: 'dk_account', reg_no: '1234', account_no: '567' } });
  await approvedDetails(t, w, 'V-3', { cvr: '24256790', account: { type: 'nemkonto' } });
}, 120_000);
afterAll(async () => t?.close());

const upload = (xml: string) => send(t, 'POST', '/v1/bank-statements', { payload: xml, contentType: 'application/xml' });
const balances = async () => ok(await t.call('GET', `/v1/funds/${w.fund}/balances`));
const statement = (kind: 'camt.053' | 'camt.054', messageId: string, entries: StatementEntry[]) => camtXml(kind, { messageId, iban: FUND_IBAN, entries });
const booked = (ref: string, ore: number): StatementEntry => ({ amountOre: BigInt(ore), creditDebit: 'DBIT', transactions: [{ endToEndId: ref }] });

describe('pain.001.001.03 payment file', () => {
  it('needs the fund’s account and approved details at the run’s creation', async () => {
    const early = ok(await t.call('POST', `/v1/funds/${w.fund}/payment-runs`, { cutoff_on: today() }), 201);
    const res = await t.call('GET', `/v1/payment-runs/${early.id}/file.xml`);
    expectProblem(res, 409, 'params.id');
    expect(res.body.errors[0].message).toMatch(/no account/);
    ok(await t.call('POST', `/v1/payment-runs/${early.id}/cancel`));
    expectProblem(await t.call('GET', `/v1/payment-runs/${early.id}/file.xml`), 409, 'params.id');
    expectProblem(await t.call('PUT', `/v1/funds/${w.fund}/account`, { name: 'Fonden', iban: 'DK5000400440116244' }), 422, 'body.iban');
    ok(await t.call('PUT', `/v1/funds/${w.fund}/account`, { name: 'Fonden for social mobilitet', iban: 'DK50 0040 0440 1162 43', bic: 'DABADKKK' }));
  });

  it('one payment information block, one credit transfer per line, EndToEndId = line reference; valid against the XSD', async () => {
    run = ok(await t.call('POST', `/v1/funds/${w.fund}/payment-runs`, { cutoff_on: today() }), 201);
    expect(run.debtor).toEqual({ name: 'Fonden for social mobilitet', iban: FUND_IBAN, bic: 'DABADKKK' });
    const res = await send(t, 'GET', `/v1/payment-runs/${run.id}/file.xml`);
    expect(res.status, res.text).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/xml/);
    const lint = xmllint(res.text, XSD.pain001);
    expect(lint.valid, lint.output).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => n === 'CdtTrfTxInf' || n === 'PmtInf' }).parse(res.text).Document
      .CstmrCdtTrfInitn;
    expect(doc.GrpHdr).toMatchObject({ MsgId: run.reference, NbOfTxs: '3', CtrlSum: '30000.00' });
    expect(doc.PmtInf).toHaveLength(1);
    expect(doc.PmtInf[0].DbtrAcct.Id.IBAN).toBe(FUND_IBAN);
    expect(doc.PmtInf[0].ReqdExctnDt).toBe(today());
    const txs = doc.PmtInf[0].CdtTrfTxInf;
    expect(txs.map((x: any) => [x.PmtId.EndToEndId, x.Amt.InstdAmt['#text'], x.Amt.InstdAmt['@_Ccy']])).toEqual(
      run.lines.map((l: any) => [l.reference, '10000.00', 'DKK']),
    );
    expect(txs[0].Cdtr.Nm).toBe('Børnehuset <Ærø> & "Co"');
    expect(res.text).toContain('Børnehuset &lt;Ærø&gt; &amp; &quot;Co&quot;');
    expect(txs[1].CdtrAcct.Id.Othr.Id).toBe('12340000000567');
    expect(txs[2].CdtrAcct).toBeUndefined();
  });

  it('an execution date in the past is refused naming it', async () => {
    expectProblem(await t.call('GET', `/v1/payment-runs/${run.id}/file.xml?execution_date=2000-01-01`), 422, 'query.execution_date');
    expectProblem(await t.call('GET', `/v1/payment-runs/${run.id}/file.xml?execution_date=2024-02-30`), 400, 'query.execution_date');
  });
});

describe('bank reconciliation (camt.054 and camt.053)', () => {
  it('a booked debit notification marks its line paid', async () => {
    const xml = statement('camt.054', 'NTF-1', [booked(line('V-1').reference, 1_000_000)]);
    expect(xmllint(xml, XSD.camt054).valid).toBe(true);
    const res = await upload(xml);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ message_type: 'camt.054', duplicate: false, counts: { paid: 1 } });
    run = ok(await t.call('GET', `/v1/payment-runs/${run.id}`));
    expect(line('V-1')).toMatchObject({ status: 'paid', settled_on: '2024-06-03' });
    expect(run.status).toBe('created');
  });

  it('a statement with a booking, a partial return, an unknown reference, an amount that does not match and a pending entry', async () => {
    const before = await balances();
    const xml = statement('camt.053', 'STMT-1', [
      booked(line('V-1').reference, 1_000_000), // seen before in the notification
      booked(line('V-2').reference, 1_000_000),
      booked(line('V-3').reference, 1_000_000),
      { amountOre: 1_000_000n, creditDebit: 'CRDT', transactions: [{ endToEndId: line('V-3').reference, returnReason: 'AC04' }] },
      booked('PR-19990101-DEADBEEF-0001', 500),
      booked(line('V-2').reference, 999_999),
      { amountOre: 7n, creditDebit: 'DBIT', status: 'PDNG', transactions: [{ endToEndId: line('V-2').reference }] },
    ]);
    const lint = xmllint(xml, XSD.camt053);
    expect(lint.valid, lint.output).toBe(true);
    const res = await upload(xml);
    expect(res.status, res.text).toBe(201);
    expect(res.body.items.map((i: { outcome: string }) => i.outcome)).toEqual([
      'already_paid',
      'paid',
      'paid',
      'returned',
      'unmatched',
      'amount_mismatch',
      'not_booked',
    ]);
    expect(res.body.items[3]).toMatchObject({ line_reference: line('V-3').reference, return_reason: 'AC04', amount_ore: 1_000_000 });

    run = ok(await t.call('GET', `/v1/payment-runs/${run.id}`));
    expect(run.lines.map((l: any) => [l.code, l.status])).toEqual([
      ['V-1', 'paid'],
      ['V-2', 'paid'],
      ['V-3', 'returned'],
    ]);
    expect(line('V-3').return_reason).toBe('AC04');
    expect(run.status).toBe('confirmed'); // no line pending any more
    // The returned amount is owed to V-3 again: back from paid out to its payable.
    expect(await balances()).toMatchObject({ payable_ore: before.payable_ore + 1_000_000, paid_out_ore: before.paid_out_ore - 1_000_000 });
    await sealAll(t.ctx.db); // the journal as an auditor reads it once the sealer has caught up
    const entries = ok(await t.call('GET', `/v1/ledger/entries?fund_id=${w.fund}&limit=1000`)).items;
    expect(entries.at(-1)).toMatchObject({ kind: 'payment_return' });
    await expectLedgerInvariants(t.ctx.db);
  });

  it('the same statement twice changes nothing (200, duplicate, the first report)', async () => {
    const xml = statement('camt.053', 'STMT-1', [booked(line('V-2').reference, 1_000_000)]);
    const first = await upload(xml);
    expect(first.status).toBe(201);
    await expectUnchanged(t, async () => {
      const again = await upload(xml);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...first.body, duplicate: true });
    });
    expect(first.body.items[0].outcome).toBe('already_paid');
  });

  it('a return of part of a line is reported, not applied (nothing is guessed)', async () => {
    const [balancesBefore, entriesBefore] = [await balances(), await journalCount(t.ctx.db)];
    const xml = statement('camt.054', 'PARTIAL', [
      { amountOre: 400_000n, creditDebit: 'CRDT', transactions: [{ endToEndId: line('V-1').reference, returnReason: 'AM09' }] },
    ]);
    const res = await upload(xml);
    expect(res.status).toBe(201); // recorded, as everything the bank sent is
    expect(res.body.items[0]).toMatchObject({ outcome: 'amount_mismatch', line_reference: line('V-1').reference, amount_ore: 400_000, return_reason: null });
    expect(await balances()).toEqual(balancesBefore);
    expect(await journalCount(t.ctx.db)).toBe(entriesBefore);
    expect(ok(await t.call('GET', `/v1/payment-runs/${run.id}`)).lines.find((l: { code: string }) => l.code === 'V-1').status).toBe('paid');
  });

  it('the returned line is paid again by the next run', async () => {
    const next = ok(await t.call('POST', `/v1/funds/${w.fund}/payment-runs`, { cutoff_on: today() }), 201);
    expect(next.lines.map((l: any) => [l.code, l.amount_ore])).toEqual([['V-3', 1_000_000]]);
    await expectLedgerInvariants(t.ctx.db);
  });

  it('malformed or foreign documents are refused naming the element, and change nothing', async () => {
    const good = statement('camt.054', 'BAD', [booked(line('V-1').reference, 1_000_000)]);
    const cases: Array<[string, string, string]> = [
      ['<Document><BkToCstmrDbtCdtNtfctn>', '', 'body'],
      [good.replace('</Document>', ''), '', 'body'],
      [good.replace('camt.054.001.02', 'pain.001.001.03'), '', 'body'],
      [good.replace('<CdtDbtInd>DBIT</CdtDbtInd>', '<CdtDbtInd>D</CdtDbtInd>'), '', 'body.BkToCstmrDbtCdtNtfctn.Ntfctn.0.Ntry.0.CdtDbtInd'],
      [good.replace('>10000.00<', '>10000.001<'), '', 'body.BkToCstmrDbtCdtNtfctn.Ntfctn.0.Ntry.0.Amt'],
      [`<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${good.replace(/^<\?xml[^>]*>/, '')}`, '', 'body'],
    ];
    await expectUnchanged(t, async () => {
      for (const [xml, , field] of cases) {
        const res = await upload(xml);
        expect(res.status, `${res.text}\n${xml.slice(0, 200)}`).toBe(422);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        expect(res.body.errors[0].field).toBe(field);
      }
      const json = await send(t, 'POST', '/v1/bank-statements', { payload: '{"a":1}' });
      expect(json.status).toBe(400);
      expect(json.body.errors[0].field).toBe('body');
      const plain = await send(t, 'POST', '/v1/bank-statements', { payload: good, contentType: 'text/plain' });
      expect(plain.status).toBe(415);
    });
  });

  it('statements are listed for the auditor with what they did', async () => {
    const list = ok(await t.call('GET', '/v1/bank-statements?limit=100'));
    expect(list.items.length).toBeGreaterThanOrEqual(2);
    const one = ok(await t.call('GET', `/v1/bank-statements/${list.items[0].id}`));
    expect(one.report.items.length).toBeGreaterThan(0);
  });
});
