import { describe, expect, it } from 'vitest';
import { CamtError, parseCamt } from '../../../src/payments/camt.js';
import { planReconciliation, type LineState } from '../../../src/payments/reconcile.js';
import { XSD, camtXml, xmllint, type StatementEntry } from '../../support/iso20022.js';

const IBAN = 'DK5000400440116243';
const debit = (ref: string, ore: bigint, over: Partial<StatementEntry> = {}): StatementEntry => ({
  amountOre: ore,
  creditDebit: 'DBIT',
  transactions: [{ endToEndId: ref }],
  ...over,
});
const ret = (ref: string, ore: bigint, reason = 'AC04'): StatementEntry => ({
  amountOre: ore,
  creditDebit: 'CRDT',
  transactions: [{ endToEndId: ref, returnReason: reason }],
});

function failure(xml: string): CamtError {
  try {
    parseCamt(xml);
  } catch (e) {
    if (e instanceof CamtError) return e;
    throw e;
  }
  throw new Error('expected a CamtError');
}

describe('camt parser', () => {
  it('reads camt.053 and camt.054 written by the test helper (which validate against the ISO XSDs)', () => {
    for (const kind of ['camt.053', 'camt.054'] as const) {
      const xml = camtXml(kind, {
        messageId: 'M1',
        iban: IBAN,
        entries: [
          debit('PR-1-0001', 123_456n),
          {
            amountOre: 300n,
            creditDebit: 'DBIT',
            transactions: [
              { endToEndId: 'PR-1-0002', amountOre: 100n },
              { endToEndId: 'PR-1-0003', amountOre: 200n },
            ],
          },
          ret('PR-1-0004', 5n),
          { amountOre: 1n, creditDebit: 'DBIT', status: 'PDNG' },
        ],
      });
      const lint = xmllint(xml, kind === 'camt.053' ? XSD.camt053 : XSD.camt054);
      expect(lint.valid, lint.output).toBe(true);
      const doc = parseCamt(xml);
      expect(doc).toMatchObject({ kind, messageId: 'M1' });
      const [r] = doc.reports;
      expect(r!.iban).toBe(IBAN);
      expect(r!.entries.map((e) => [e.creditDebit, e.status, e.amountOre])).toEqual([
        ['DBIT', 'BOOK', 123_456n],
        ['DBIT', 'BOOK', 300n],
        ['CRDT', 'BOOK', 5n],
        ['DBIT', 'PDNG', 1n],
      ]);
      expect(r!.entries[0]!.transactions).toEqual([
        { path: expect.stringMatching(/Ntry\.0\.NtryDtls\.0\.TxDtls\.0$/), endToEndId: 'PR-1-0001', amountOre: 123_456n, currency: 'DKK', returnReason: null },
      ]);
      expect(r!.entries[1]!.transactions.map((t) => [t.endToEndId, t.amountOre])).toEqual([
        ['PR-1-0002', 100n],
        ['PR-1-0003', 200n],
      ]);
      expect(r!.entries[2]!.transactions[0]!.returnReason).toBe('AC04');
      expect(r!.entries[3]!.transactions[0]!.endToEndId).toBeNull();
    }
  });

  it('accepts namespace prefixes', () => {
    const xml = camtXml('camt.054', { messageId: 'M2', iban: IBAN, entries: [debit('R', 1n)] })
      .replace('<Document xmlns=', '<c:Document xmlns:c=')
      .replace(/<(\/?)(?!\?)([A-Za-z])/g, '<$1c:$2')
      .replace('<c:c:Document', '<c:Document')
      .replace('</c:c:Document', '</c:Document');
    expect(parseCamt(xml).reports[0]!.entries[0]!.transactions[0]!.endToEndId).toBe('R');
  });

  it('names what is wrong with a bad document', () => {
    const good = camtXml('camt.053', { messageId: 'M3', iban: IBAN, entries: [debit('R', 1n)] });
    expect(failure('<Document><unclosed></Document>')).toMatchObject({ field: 'body', message: expect.stringMatching(/well-formed/) });
    expect(failure('')).toMatchObject({ field: 'body' });
    expect(failure(good.replace('camt.053.001.02', 'camt.053.001.08'))).toMatchObject({ field: 'body', message: expect.stringMatching(/camt.053.001.02/) });
    expect(failure(`<!DOCTYPE x [<!ENTITY a "b">]>${good.replace(/^<\?xml[^>]*>/, '')}`)).toMatchObject({
      field: 'body',
      message: 'must not contain a DOCTYPE',
    });
    expect(failure(good.replace('<Amt Ccy="DKK">0.01</Amt>', '<Amt Ccy="DKK">0.015</Amt>'))).toMatchObject({ field: 'body.BkToCstmrStmt.Stmt.0.Ntry.0.Amt' });
    expect(failure(good.replace('<Amt Ccy="DKK">0.01</Amt>', '<Amt>0.01</Amt>'))).toMatchObject({ field: 'body.BkToCstmrStmt.Stmt.0.Ntry.0.Amt' });
    expect(failure(good.replace('<CdtDbtInd>DBIT</CdtDbtInd>', '<CdtDbtInd>DEBIT</CdtDbtInd>'))).toMatchObject({
      field: 'body.BkToCstmrStmt.Stmt.0.Ntry.0.CdtDbtInd',
    });
    expect(failure(good.replace('<Sts>BOOK</Sts>', ''))).toMatchObject({ field: 'body.BkToCstmrStmt.Stmt.0.Ntry.0.Sts' });
    expect(failure(good.replace(/<GrpHdr>[\s\S]*?<\/GrpHdr>/, ''))).toMatchObject({ field: 'body.BkToCstmrStmt.GrpHdr' });
  });
});

describe('reconciliation plan', () => {
  const line = (reference: string, amountOre: bigint, status: LineState['status'] = 'pending'): LineState => ({
    reference,
    runId: 'run',
    fundId: 'fund',
    institutionId: `inst-${reference}`,
    amountOre,
    status,
    debtorIban: IBAN,
  });
  const plan = (entries: StatementEntry[], lines: LineState[], iban = IBAN) =>
    planReconciliation(parseCamt(camtXml('camt.054', { messageId: 'P', iban, entries })), new Map(lines.map((l) => [l.reference, l]))).map((i) => i.outcome);

  it('books, returns and reports, guessing nothing', () => {
    const lines = [line('A', 100n), line('B', 200n), line('C', 300n, 'paid'), line('D', 400n, 'cancelled')];
    expect(
      plan(
        [
          debit('A', 100n),
          ret('C', 300n),
          debit('B', 201n),
          debit('X', 5n),
          debit('D', 400n),
          { amountOre: 7n, creditDebit: 'DBIT' },
          debit('A', 100n, { status: 'PDNG' }),
          { amountOre: 100n, creditDebit: 'CRDT', transactions: [{ endToEndId: 'A' }] },
        ],
        lines,
      ),
    ).toEqual(['paid', 'returned', 'amount_mismatch', 'unmatched', 'unexpected', 'unmatched', 'not_booked', 'unexpected']);
  });

  it('tracks state through the document: the same booking twice, then its return', () => {
    expect(plan([debit('A', 100n), debit('A', 100n), ret('A', 100n), ret('A', 100n), debit('A', 100n)], [line('A', 100n)])).toEqual([
      'paid',
      'already_paid',
      'returned',
      'already_returned',
      'already_returned',
    ]);
  });

  it('a reversal counts as a return; a statement of another account matches nothing', () => {
    expect(plan([{ amountOre: 100n, creditDebit: 'CRDT', reversal: true, transactions: [{ endToEndId: 'A' }] }], [line('A', 100n, 'paid')])).toEqual([
      'returned',
    ]);
    expect(plan([debit('A', 100n)], [line('A', 100n)], 'GB82WEST12345698765432')).toEqual(['account_mismatch']);
    expect(plan([debit('A', 100n, { currency: 'EUR' })], [line('A', 100n)])).toEqual(['currency_mismatch']);
  });

  it('several transactions in one entry without their own amounts cannot be checked', () => {
    expect(
      plan([{ amountOre: 300n, creditDebit: 'DBIT', transactions: [{ endToEndId: 'A' }, { endToEndId: 'B' }] }], [line('A', 100n), line('B', 200n)]),
    ).toEqual(['amount_mismatch', 'amount_mismatch']);
  });
});

describe('strict well-formedness', () => {
  const good = camtXml('camt.054', { messageId: 'S', iban: IBAN, entries: [debit('R', 1n)] });
  it('refuses what a lenient parser would let through', () => {
    for (const bad of ['&nope;', ']]>', '&#0;', '&#xD800;', '&#1;', '\u0001']) {
      expect(failure(good.replace('<MsgId>S</MsgId>', `<MsgId>S${bad}</MsgId>`)).message, JSON.stringify(bad)).toMatch(/well-formed/);
    }
  });
  it('accepts the predefined entities, character references and CDATA', () => {
    for (const ok of ['&amp;', '&lt;&gt;&quot;&apos;', '&#65;', '&#x1F600;', '<![CDATA[a & b <c> ]] >]]>']) {
      expect(parseCamt(good.replace('<MsgId>S</MsgId>', `<MsgId>S${ok}</MsgId>`)).messageId.startsWith('S'), ok).toBe(true);
    }
  });
});
