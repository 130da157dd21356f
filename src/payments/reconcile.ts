import type { PaymentLineStatus } from '../db/schema.js';
import type { CamtDocument, CamtEntry, CamtTransaction } from './camt.js';

/**
 * What a bank statement does to payment lines, decided without touching anything (pure).
 * Each transaction of the statement is matched by its EndToEndId to a payment line and gets
 * exactly one outcome; only `paid` and `returned` change anything. Nothing is guessed: a
 * transaction without a known reference, with another amount or currency, from another account
 * or in a direction that does not fit the line is reported and left alone.
 *
 *   booked debit (DBIT, status BOOK, not a reversal, no return information) → the line is paid
 *   booked credit that is a return (CRDT with return information, or a reversal) → the line is
 *     returned: its amount goes back to the institution's payable
 *
 * The plan walks the document in order and tracks the lines' states as it goes, so the same
 * booking twice in one statement is `already_paid` the second time, and a statement applied
 * again changes nothing (every outcome is then `already_*`).
 */
export type Outcome =
  | 'paid'
  | 'returned'
  | 'already_paid'
  | 'already_returned'
  | 'not_booked'
  | 'unmatched'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'account_mismatch'
  | 'unexpected';

export const CHANGING_OUTCOMES: ReadonlySet<Outcome> = new Set(['paid', 'returned']);

export interface LineState {
  reference: string;
  runId: string;
  fundId: string;
  institutionId: string;
  amountOre: bigint;
  status: PaymentLineStatus;
  /** The fund account the run was paid from; null when the run had none (statement account not checked). */
  debtorIban: string | null;
}

export interface PlannedItem {
  path: string;
  endToEndId: string | null;
  amountOre: bigint | null;
  creditDebit: CamtEntry['creditDebit'];
  entryStatus: CamtEntry['status'];
  bookingDate: string | null;
  outcome: Outcome;
  lineReference: string | null;
  returnReason: string | null;
  message: string;
}

type Direction = 'payment' | 'return' | 'other';

function directionOf(entry: CamtEntry, tx: CamtTransaction): Direction {
  if (entry.creditDebit === 'DBIT' && !entry.reversal && tx.returnReason === null) return 'payment';
  if (entry.creditDebit === 'CRDT' && (entry.reversal || tx.returnReason !== null)) return 'return';
  return 'other';
}

function judge(entry: CamtEntry, tx: CamtTransaction, iban: string | null, line: LineState | undefined): { outcome: Outcome; message: string } {
  if (entry.status !== 'BOOK') return { outcome: 'not_booked', message: `entry status ${entry.status}: only booked entries change lines` };
  if (!tx.endToEndId || !line) return { outcome: 'unmatched', message: tx.endToEndId ? 'no payment line has this EndToEndId' : 'no EndToEndId' };
  if (line.debtorIban !== null && iban !== null && iban !== line.debtorIban) {
    return { outcome: 'account_mismatch', message: `the statement is for ${iban}; the line's run was paid from ${line.debtorIban}` };
  }
  if (tx.currency !== 'DKK') return { outcome: 'currency_mismatch', message: `currency ${tx.currency ?? 'unknown'}; the line is in DKK` };
  if (tx.amountOre === null) return { outcome: 'amount_mismatch', message: 'the entry holds several transactions and this one has no amount of its own' };
  if (tx.amountOre !== line.amountOre) return { outcome: 'amount_mismatch', message: `amount ${tx.amountOre} øre; the line is ${line.amountOre} øre` };
  const direction = directionOf(entry, tx);
  if (direction === 'other')
    return { outcome: 'unexpected', message: `a ${entry.creditDebit}${entry.reversal ? ' reversal' : ''} entry is neither a payment nor a return of one` };
  if (line.status === 'cancelled') return { outcome: 'unexpected', message: "the line's run was cancelled: it should not have been paid" };
  if (direction === 'payment') {
    if (line.status === 'paid') return { outcome: 'already_paid', message: 'the line is already paid' };
    if (line.status === 'returned') return { outcome: 'already_returned', message: 'the line was returned; a booking does not undo that' };
    return { outcome: 'paid', message: 'booked: the line is paid' };
  }
  if (line.status === 'returned') return { outcome: 'already_returned', message: 'the line is already returned' };
  return { outcome: 'returned', message: `returned (${tx.returnReason ?? 'reversal'}): the amount goes back to the institution's payable` };
}

export function planReconciliation(doc: CamtDocument, lines: ReadonlyMap<string, LineState>): PlannedItem[] {
  const state = new Map<string, PaymentLineStatus>();
  const items: PlannedItem[] = [];
  for (const report of doc.reports) {
    for (const entry of report.entries) {
      for (const tx of entry.transactions) {
        const known = tx.endToEndId ? lines.get(tx.endToEndId) : undefined;
        const line = known ? { ...known, status: state.get(known.reference) ?? known.status } : undefined;
        const { outcome, message } = judge(entry, tx, report.iban, line);
        if (line && outcome === 'paid') state.set(line.reference, 'paid');
        if (line && outcome === 'returned') state.set(line.reference, 'returned');
        items.push({
          path: tx.path,
          endToEndId: tx.endToEndId,
          amountOre: tx.amountOre,
          creditDebit: entry.creditDebit,
          entryStatus: entry.status,
          bookingDate: entry.bookingDate,
          outcome,
          lineReference: line && outcome !== 'unmatched' ? line.reference : null,
          returnReason: outcome === 'returned' ? (tx.returnReason ?? 'reversal') : null,
          message,
        });
      }
    }
  }
  return items;
}

/** Every EndToEndId the document mentions (to look the lines up in one query). */
export function referencesOf(doc: CamtDocument): string[] {
  const refs = new Set<string>();
  for (const r of doc.reports) for (const e of r.entries) for (const t of e.transactions) if (t.endToEndId) refs.add(t.endToEndId);
  return [...refs];
}
