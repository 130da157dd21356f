/**
 * Test helpers for ISO 20022 files: schema validation with xmllint (libxml2-utils, installed by
 * .ci/run) against the XSDs in test/fixtures/iso20022, and a writer of the camt.053 / camt.054
 * statements the reconciliation tests upload (themselves checked against their XSD).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLBuilder } from 'fast-xml-parser';

const FIXTURES = fileURLToPath(new URL('../fixtures/iso20022/', import.meta.url));
export const XSD = {
  pain001: join(FIXTURES, 'pain.001.001.03.xsd'),
  camt053: join(FIXTURES, 'camt.053.001.02.xsd'),
  camt054: join(FIXTURES, 'camt.054.001.02.xsd'),
} as const;

/** `xmllint --noout --schema <xsd>` on the document: whether it validates, and what xmllint said. */
export function xmllint(xml: string, xsd: string): { valid: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smb-xml-'));
  const file = join(dir, 'doc.xml');
  writeFileSync(file, xml);
  try {
    const out = execFileSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { valid: true, output: out };
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    return { valid: false, output: `${e.stderr ?? ''}${e.stdout ?? ''}` || e.message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface StatementTx {
  endToEndId?: string | null;
  /** Transaction amount in øre (AmtDtls/TxAmt); omitted: only the entry's amount is given. */
  amountOre?: bigint;
  returnReason?: string;
}

export interface StatementEntry {
  amountOre: bigint;
  creditDebit: 'CRDT' | 'DBIT';
  status?: 'BOOK' | 'PDNG' | 'INFO';
  reversal?: boolean;
  currency?: string;
  bookingDate?: string;
  ref?: string;
  /** Family/sub-family of the bank transaction code (default: ICDT/ESCT for debits, ICDT/RRTN for returns). */
  txCode?: [string, string];
  transactions?: StatementTx[];
}

const dkk = (ore: bigint, ccy = 'DKK') => ({ '@_Ccy': ccy, '#text': `${ore / 100n}.${(ore % 100n).toString().padStart(2, '0')}` });

function entryXml(e: StatementEntry, i: number) {
  const returned = e.creditDebit === 'CRDT';
  const [fmly, sub] = e.txCode ?? (returned ? ['ICDT', 'RRTN'] : ['ICDT', 'ESCT']);
  const txs = e.transactions ?? [];
  return {
    NtryRef: `N${i + 1}`,
    Amt: dkk(e.amountOre, e.currency),
    CdtDbtInd: e.creditDebit,
    ...(e.reversal !== undefined ? { RvslInd: String(e.reversal) } : {}),
    Sts: e.status ?? 'BOOK',
    BookgDt: { Dt: e.bookingDate ?? '2024-06-03' },
    ValDt: { Dt: e.bookingDate ?? '2024-06-03' },
    AcctSvcrRef: e.ref ?? `BANKREF-${i + 1}`,
    BkTxCd: { Domn: { Cd: 'PMNT', Fmly: { Cd: fmly, SubFmlyCd: sub } } },
    ...(txs.length
      ? {
          NtryDtls: {
            TxDtls: txs.map((t) => ({
              ...(t.endToEndId !== undefined ? { Refs: { EndToEndId: t.endToEndId ?? 'NOTPROVIDED' } } : {}),
              ...(t.amountOre !== undefined ? { AmtDtls: { TxAmt: { Amt: dkk(t.amountOre, e.currency) } } } : {}),
              ...(t.returnReason ? { RtrInf: { Rsn: { Cd: t.returnReason } } } : {}),
            })),
          },
        }
      : {}),
  };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true });

/** A camt.053.001.02 statement or camt.054.001.02 notification of the fund's account with these entries. */
export function camtXml(kind: 'camt.053' | 'camt.054', opts: { messageId: string; iban: string; entries: StatementEntry[] }): string {
  const ns = kind === 'camt.053' ? 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02' : 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02';
  const report = {
    Id: `${opts.messageId}-1`,
    CreDtTm: '2024-06-03T18:00:00',
    Acct: { Id: { IBAN: opts.iban }, Ccy: 'DKK' },
    ...(kind === 'camt.053' ? { Bal: { Tp: { CdOrPrtry: { Cd: 'CLBD' } }, Amt: dkk(0n), CdtDbtInd: 'CRDT', Dt: { Dt: '2024-06-03' } } } : {}),
    Ntry: opts.entries.map(entryXml),
  };
  const body =
    kind === 'camt.053'
      ? { BkToCstmrStmt: { GrpHdr: { MsgId: opts.messageId, CreDtTm: '2024-06-03T18:00:00' }, Stmt: report } }
      : { BkToCstmrDbtCdtNtfctn: { GrpHdr: { MsgId: opts.messageId, CreDtTm: '2024-06-03T18:00:00' }, Ntfctn: report } };
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, Document: { '@_xmlns': ns, ...body } }) as string;
}
