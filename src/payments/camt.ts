import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseDkk } from '../domain/money.js';
import { xmlWellFormednessProblem } from './xml-text.js';

/**
 * Reads a bank's camt.053.001.02 statement or camt.054.001.02 debit/credit notification into
 * what reconciliation needs: per entry its amount, direction, status, reversal flag, and per
 * transaction its `EndToEndId`, amount and return reason. Pure. A document that is not one of
 * these (malformed XML, another message, a missing mandatory element, an amount that is not a
 * decimal) throws a CamtError naming the element as a dotted path under `body`.
 *
 * Nothing is resolved from outside the document: a DOCTYPE (and with it any entity
 * declaration) is refused before parsing, so there is no entity expansion and no external fetch.
 */
export type CamtKind = 'camt.053' | 'camt.054';
export const CAMT_NAMESPACES: Record<string, CamtKind> = {
  'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02': 'camt.053',
  'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02': 'camt.054',
};

export interface CamtTransaction {
  /** Where it is in the document, e.g. `BkToCstmrStmt.Stmt.0.Ntry.2.NtryDtls.0.TxDtls.1`. */
  path: string;
  endToEndId: string | null;
  /** The transaction's own amount; the entry's when the entry holds this one transaction only. */
  amountOre: bigint | null;
  currency: string;
  returnReason: string | null;
}

export interface CamtEntry {
  path: string;
  amountOre: bigint;
  currency: string;
  creditDebit: 'CRDT' | 'DBIT';
  reversal: boolean;
  status: 'BOOK' | 'PDNG' | 'INFO';
  bookingDate: string | null;
  accountServicerRef: string | null;
  transactions: CamtTransaction[];
}

export interface CamtReport {
  path: string;
  id: string;
  iban: string | null;
  entries: CamtEntry[];
}

export interface CamtDocument {
  kind: CamtKind;
  messageId: string;
  createdAt: string;
  reports: CamtReport[];
}

export class CamtError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CamtError';
  }
}

type Node = Record<string, unknown>;
const REPEATED = new Set(['Stmt', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls', 'Othr', 'Ustrd', 'AddtlInf']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

const at = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
const field = (path: string) => `body.${path}`;

function child(node: Node, key: string, path: string): Node {
  const v = node[key];
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) throw new CamtError(field(at(path, key)), 'is missing');
  return v as Node;
}

function optionalText(node: Node | undefined, key: string): string | null {
  const v = node?.[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v) && typeof (v as Node)['#text'] === 'string') return (v as Node)['#text'] as string;
  return null;
}

function text(node: Node, key: string, path: string): string {
  const v = optionalText(node, key);
  if (v === null || v === '') throw new CamtError(field(at(path, key)), 'is missing');
  return v;
}

function list(node: Node, key: string): Node[] {
  const v = node[key];
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Node[]) : [];
}

function amount(node: Node, key: string, path: string): { ore: bigint; currency: string } {
  const raw = node[key];
  const p = field(at(path, key));
  if (typeof raw !== 'object' || raw === null) throw new CamtError(p, 'is missing');
  const currency = (raw as Node)['@_Ccy'];
  const ore = parseDkk(String((raw as Node)['#text'] ?? ''));
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw new CamtError(p, 'needs a Ccy attribute of 3 capital letters');
  if (ore === null) throw new CamtError(p, 'is not an amount with at most 2 decimals');
  return { ore, currency };
}

function dateOf(node: Node | undefined): string | null {
  if (!node) return null;
  return optionalText(node, 'Dt') ?? optionalText(node, 'DtTm')?.slice(0, 10) ?? null;
}

function transactionOf(tx: Node, path: string, entry: { ore: bigint; currency: string }, only: boolean): CamtTransaction {
  const details = tx.AmtDtls as Node | undefined;
  const amt = (details?.TxAmt ?? details?.InstdAmt) as Node | undefined;
  const own = amt ? amount(amt, 'Amt', at(path, details?.TxAmt ? 'AmtDtls.TxAmt' : 'AmtDtls.InstdAmt')) : null;
  const e2e = optionalText(tx.Refs as Node | undefined, 'EndToEndId');
  const reason = tx.RtrInf as Node | undefined;
  const rsn = reason?.Rsn as Node | undefined;
  return {
    path,
    endToEndId: e2e && e2e !== 'NOTPROVIDED' ? e2e : null,
    amountOre: own?.ore ?? (only ? entry.ore : null),
    currency: own?.currency ?? entry.currency,
    returnReason: reason ? (optionalText(rsn, 'Cd') ?? optionalText(rsn, 'Prtry') ?? 'unspecified') : null,
  };
}

function entryOf(n: Node, path: string): CamtEntry {
  const amt = amount(n, 'Amt', path);
  const cd = text(n, 'CdtDbtInd', path);
  if (cd !== 'CRDT' && cd !== 'DBIT') throw new CamtError(field(at(path, 'CdtDbtInd')), 'must be CRDT or DBIT');
  const sts = text(n, 'Sts', path);
  if (sts !== 'BOOK' && sts !== 'PDNG' && sts !== 'INFO') throw new CamtError(field(at(path, 'Sts')), 'must be BOOK, PDNG or INFO');
  const rvsl = optionalText(n, 'RvslInd');
  if (rvsl !== null && rvsl !== 'true' && rvsl !== 'false') throw new CamtError(field(at(path, 'RvslInd')), 'must be true or false');
  const txs = list(n, 'NtryDtls').flatMap((d, i) => list(d, 'TxDtls').map((tx, j) => ({ tx, path: at(at(at(path, 'NtryDtls'), i), `TxDtls.${j}`) })));
  const transactions = txs.length
    ? txs.map(({ tx, path: p }) => transactionOf(tx, p, amt, txs.length === 1))
    : [{ path, endToEndId: null, amountOre: amt.ore, currency: amt.currency, returnReason: null }];
  return {
    path,
    amountOre: amt.ore,
    currency: amt.currency,
    creditDebit: cd,
    reversal: rvsl === 'true',
    status: sts,
    bookingDate: dateOf(n.BookgDt as Node | undefined),
    accountServicerRef: optionalText(n, 'AcctSvcrRef'),
    transactions,
  };
}

function reportOf(n: Node, path: string): CamtReport {
  const id = text(n, 'Id', path);
  const acct = child(child(n, 'Acct', path), 'Id', at(path, 'Acct'));
  return {
    path,
    id,
    iban: optionalText(acct, 'IBAN'),
    entries: list(n, 'Ntry').map((e, i) => entryOf(e, at(at(path, 'Ntry'), i))),
  };
}

/**
 * The namespace of the root `Document` element, which names the message and its version.
 * Read from the (already well-formed) text: the parser drops namespace declarations together
 * with the prefixes.
 */
function kindOf(xml: string): CamtKind {
  const root = /<(?:([A-Za-z_][\w.-]*):)?Document\b([^>]*)>/.exec(xml);
  if (!root) throw new CamtError('body', 'is not an ISO 20022 Document');
  const attr = root[1] ? `xmlns:${root[1]}` : 'xmlns';
  const ns = new RegExp(`\\s${attr.replace(/[.-]/g, '\\$&')}\\s*=\\s*(["'])(.*?)\\1`).exec(root[2]!)?.[2];
  const kind = ns === undefined ? undefined : CAMT_NAMESPACES[ns];
  if (!kind) throw new CamtError('body', 'must be a camt.053.001.02 or camt.054.001.02 document');
  return kind;
}

export function parseCamt(xml: string): CamtDocument {
  if (/<!DOCTYPE/i.test(xml)) throw new CamtError('body', 'must not contain a DOCTYPE');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new CamtError('body', `is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg})`);
  const strict = xmlWellFormednessProblem(xml);
  if (strict) throw new CamtError('body', `is not well-formed XML: it ${strict}`);
  const kind = kindOf(xml);
  const doc = parser.parse(xml) as Node;
  if (typeof doc.Document !== 'object' || doc.Document === null) throw new CamtError('body', 'is not an ISO 20022 Document');
  const rootKey = kind === 'camt.053' ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn';
  const listKey = kind === 'camt.053' ? 'Stmt' : 'Ntfctn';
  const message = child(doc.Document as Node, rootKey, '');
  const header = child(message, 'GrpHdr', rootKey);
  const reports = list(message, listKey);
  if (!reports.length) throw new CamtError(field(at(rootKey, listKey)), 'is missing');
  return {
    kind,
    messageId: text(header, 'MsgId', at(rootKey, 'GrpHdr')),
    createdAt: text(header, 'CreDtTm', at(rootKey, 'GrpHdr')),
    reports: reports.map((r, i) => reportOf(r, at(at(rootKey, listKey), i))),
  };
}
