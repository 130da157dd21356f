import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildPain001, type Pain001Input, type Transfer } from '../../../src/payments/pain001.js';
import { XSD, xmllint } from '../../support/iso20022.js';

const base = (transfers: Transfer[]): Pain001Input => ({
  messageId: 'PR-20240601-ABCDEF12',
  paymentInfoId: 'PR-20240601-ABCDEF12',
  createdAt: new Date('2024-06-01T10:00:00.123Z'),
  executionDate: '2024-06-03',
  debtor: { name: 'Social mobilitetsbonus – fonden', iban: 'DK5000400440116243', bic: 'DABADKKK' },
  transfers,
});
const t = (n: number, over: Partial<Transfer> = {}): Transfer => ({
  endToEndId: `PR-20240601-ABCDEF12-${String(n).padStart(4, '0')}`,
  amountOre: 100_000n + BigInt(n),
  creditor: { name: `Vuggestuen ${n}`, cvr: '61126228', ean: null },
  account: { kind: 'iban', iban: 'DK5000400440116243', bic: null },
  remittance: 'Social mobilitetsbonus PR-20240601-ABCDEF12',
  ...over,
});

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => n === 'CdtTrfTxInf' || n === 'Othr' }).parse(xml);

describe('pain.001.001.03 writer', () => {
  it('writes one payment information block and one credit transfer per line, valid against the ISO XSD', () => {
    const xml = buildPain001(
      base([
        t(1, {
          creditor: { name: 'Børnehuset Ærø', cvr: '61126228', ean: '4006381333931' },
          account: { kind: 'iban', iban: 'DK5000400440116243', bic: 'NDEADKKK' },
        }),
        t(2, { account: { kind: 'dk_account', regNo: '1234', accountNo: '567' } }),
        t(3, { account: { kind: 'nemkonto' }, creditor: { name: 'Kommunen', cvr: '24256790', ean: null } }),
      ]),
    );
    const lint = xmllint(xml, XSD.pain001);
    expect(lint.valid, lint.output).toBe(true);
    const doc = parse(xml).Document.CstmrCdtTrfInitn;
    expect(doc.GrpHdr).toMatchObject({ MsgId: 'PR-20240601-ABCDEF12', CreDtTm: '2024-06-01T10:00:00Z', NbOfTxs: '3', CtrlSum: '3000.06' });
    expect(doc.PmtInf.DbtrAcct.Id.IBAN).toBe('DK5000400440116243');
    const [a, b, c] = doc.PmtInf.CdtTrfTxInf;
    expect(a.PmtId.EndToEndId).toBe('PR-20240601-ABCDEF12-0001');
    expect(a.Amt.InstdAmt).toEqual({ '#text': '1000.01', '@_Ccy': 'DKK' });
    expect(a.CdtrAgt.FinInstnId.BIC).toBe('NDEADKKK');
    expect(a.Cdtr.Id.OrgId.Othr).toEqual([
      { Id: '61126228', SchmeNm: { Cd: 'COID' } },
      { Id: '4006381333931', SchmeNm: { Cd: 'GS1G' } },
    ]);
    expect(b.CdtrAcct.Id.Othr).toEqual([{ Id: '12340000000567', SchmeNm: { Cd: 'BBAN' } }]);
    expect(c.CdtrAcct).toBeUndefined();
    expect(c.PmtTpInf.LclInstrm.Prtry).toBe('NEMKONTO');
  });

  it('property: any names, amounts and accounts give a file that validates and carries the amounts exactly', { timeout: 120_000 }, () => {
    const name = fc.string({ unit: 'binary', minLength: 0, maxLength: 200 });
    const transfer = fc.record({
      amount: fc.bigInt({ min: 1n, max: 99_999_999_999_999n }),
      name,
      remittance: name,
      kind: fc.constantFrom('iban', 'dk_account', 'nemkonto'),
      ean: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(transfer, { minLength: 1, maxLength: 5 }), name, (specs, debtorName) => {
        const transfers = specs.map((s, i) =>
          t(i + 1, {
            amountOre: s.amount,
            remittance: s.remittance,
            creditor: { name: s.name, cvr: '61126228', ean: s.ean ? '4006381333931' : null },
            account:
              s.kind === 'iban'
                ? { kind: 'iban', iban: 'GB82WEST12345698765432', bic: null }
                : s.kind === 'dk_account'
                  ? { kind: 'dk_account', regNo: '9999', accountNo: '1' }
                  : { kind: 'nemkonto' },
          }),
        );
        const input = base(transfers);
        input.debtor.name = debtorName;
        const xml = buildPain001(input);
        const lint = xmllint(xml, XSD.pain001);
        expect(lint.valid, `${lint.output}\n${xml}`).toBe(true);
        const txs = parse(xml).Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
        const sum = specs.reduce((s, x) => s + x.amount, 0n);
        expect(txs.map((x: any) => x.Amt.InstdAmt['#text'])).toEqual(specs.map((s) => `${s.amount / 100n}.${String(s.amount % 100n).padStart(2, '0')}`));
        expect(parse(xml).Document.CstmrCdtTrfInitn.GrpHdr.CtrlSum).toBe(`${sum / 100n}.${String(sum % 100n).padStart(2, '0')}`);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses input that would make a wrong file (preconditions)', () => {
    expect(() => buildPain001(base([]))).toThrow(/at least one/);
    expect(() => buildPain001(base([t(1, { amountOre: 0n })]))).toThrow(/positive/);
    expect(() => buildPain001(base([t(1), t(1)]))).toThrow(/unique/);
    expect(() => buildPain001(base([t(1, { endToEndId: 'x'.repeat(36) })]))).toThrow(/bank reference/);
    expect(() => buildPain001(base([t(1, { creditor: { name: 'x', cvr: '61126229', ean: null } })]))).toThrow(/creditor/);
    expect(() => buildPain001({ ...base([t(1)]), debtor: { name: 'x', iban: 'DK5000400440116244', bic: null } })).toThrow(/debtor IBAN/);
  });
});
