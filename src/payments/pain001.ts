import { XMLBuilder, XMLValidator } from 'fast-xml-parser';
import { formatDkk } from '../domain/money.js';
import { checkBic, checkCvr, checkEan, checkIban, danishBban } from './identifiers.js';
import { isBankReference, xmlText } from './xml-text.js';

/**
 * The ISO 20022 customer credit transfer initiation (pain.001.001.03) of one payment run:
 * one payment information block (the fund's account is the debtor), one credit transfer per
 * payment line, `EndToEndId` = the line's reference, amounts in DKK. Pure: the same input
 * gives the same bytes. Built with an XML builder that escapes every text and attribute;
 * free text is first made storable by `xmlText`.
 */
export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

/**
 * How a transfer to a NemKonto (the account the public sector pays a CVR number's owner on) is
 * marked: no creditor account, the creditor identified by its CVR, and this local instrument.
 * Banks' implementation guides differ here (docs/PAYMENTS.md); change it to your bank's code.
 */
export const NEMKONTO_LOCAL_INSTRUMENT = 'NEMKONTO';

export type CreditorAccount =
  { kind: 'iban'; iban: string; bic: string | null } | { kind: 'dk_account'; regNo: string; accountNo: string } | { kind: 'nemkonto' };

export interface Transfer {
  endToEndId: string;
  amountOre: bigint;
  creditor: { name: string; cvr: string; ean: string | null };
  account: CreditorAccount;
  /** Unstructured remittance text shown to the payee (max 140 characters). */
  remittance: string;
}

export interface Pain001Input {
  messageId: string;
  paymentInfoId: string;
  createdAt: Date;
  /** Requested execution date, YYYY-MM-DD. */
  executionDate: string;
  debtor: { name: string; iban: string; bic: string | null };
  transfers: Transfer[];
}

function assertInput(input: Pain001Input): void {
  const refs = [input.messageId, input.paymentInfoId, ...input.transfers.map((t) => t.endToEndId)];
  for (const r of refs) if (!isBankReference(r)) throw new Error(`pain.001: ${JSON.stringify(r)} is not a bank reference`);
  if (new Set(input.transfers.map((t) => t.endToEndId)).size !== input.transfers.length) throw new Error('pain.001: EndToEndIds must be unique');
  if (!input.transfers.length) throw new Error('pain.001: a payment file needs at least one transfer');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.executionDate)) throw new Error('pain.001: executionDate must be YYYY-MM-DD');
  if (!checkIban(input.debtor.iban).ok) throw new Error('pain.001: the debtor IBAN is invalid');
  for (const t of input.transfers) {
    if (t.amountOre <= 0n) throw new Error(`pain.001: transfer ${t.endToEndId} must be positive`);
    if (!checkCvr(t.creditor.cvr).ok || (t.creditor.ean !== null && !checkEan(t.creditor.ean).ok)) {
      throw new Error(`pain.001: transfer ${t.endToEndId} has an invalid creditor identification`);
    }
    if (t.account.kind === 'iban' && (!checkIban(t.account.iban).ok || (t.account.bic !== null && !checkBic(t.account.bic).ok))) {
      throw new Error(`pain.001: transfer ${t.endToEndId} has an invalid IBAN or BIC`);
    }
  }
}

const agent = (bic: string | null) => ({ FinInstnId: bic ? { BIC: bic } : { Othr: { Id: 'NOTPROVIDED' } } });

function creditor(t: Transfer) {
  const ids = [{ Id: t.creditor.cvr, SchmeNm: { Cd: 'COID' } }];
  if (t.creditor.ean) ids.push({ Id: t.creditor.ean, SchmeNm: { Cd: 'GS1G' } });
  return { Nm: xmlText(t.creditor.name, 140) || t.creditor.cvr, Id: { OrgId: { Othr: ids } } };
}

function transfer(t: Transfer) {
  const a = t.account;
  return {
    PmtId: { InstrId: t.endToEndId, EndToEndId: t.endToEndId },
    ...(a.kind === 'nemkonto' ? { PmtTpInf: { LclInstrm: { Prtry: NEMKONTO_LOCAL_INSTRUMENT } } } : {}),
    Amt: { InstdAmt: { '@_Ccy': 'DKK', '#text': formatDkk(t.amountOre) } },
    ...(a.kind === 'iban' && a.bic ? { CdtrAgt: agent(a.bic) } : {}),
    Cdtr: creditor(t),
    ...(a.kind === 'iban' ? { CdtrAcct: { Id: { IBAN: a.iban } } } : {}),
    ...(a.kind === 'dk_account' ? { CdtrAcct: { Id: { Othr: { Id: danishBban(a.regNo, a.accountNo), SchmeNm: { Cd: 'BBAN' } } } } } : {}),
    RmtInf: { Ustrd: xmlText(t.remittance, 140) || t.endToEndId },
  };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ' });

export function buildPain001(input: Pain001Input): string {
  assertInput(input);
  const total = input.transfers.reduce((s, t) => s + t.amountOre, 0n);
  const count = String(input.transfers.length);
  const debtorName = xmlText(input.debtor.name, 140) || input.messageId;
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Document: {
      '@_xmlns': PAIN001_NAMESPACE,
      CstmrCdtTrfInitn: {
        GrpHdr: {
          MsgId: input.messageId,
          CreDtTm: `${input.createdAt.toISOString().slice(0, 19)}Z`,
          NbOfTxs: count,
          CtrlSum: formatDkk(total),
          InitgPty: { Nm: debtorName },
        },
        PmtInf: {
          PmtInfId: input.paymentInfoId,
          PmtMtd: 'TRF',
          BtchBookg: 'false',
          NbOfTxs: count,
          CtrlSum: formatDkk(total),
          ReqdExctnDt: input.executionDate,
          Dbtr: { Nm: debtorName },
          DbtrAcct: { Id: { IBAN: input.debtor.iban }, Ccy: 'DKK' },
          DbtrAgt: agent(input.debtor.bic),
          CdtTrfTxInf: input.transfers.map(transfer),
        },
      },
    },
  };
  const xml = builder.build(doc) as string;
  // Postcondition: well-formed (the schema itself is checked by the tests with xmllint).
  if (XMLValidator.validate(xml) !== true) throw new Error('pain.001: the builder produced malformed XML');
  return xml;
}
