import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { oreOut } from '../domain/money.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { problems } from '../domain/problem.js';
import * as accounts from '../ledger/accounts.js';
import { CamtError, parseCamt, type CamtDocument } from '../payments/camt.js';
import { CHANGING_OUTCOMES, planReconciliation, referencesOf, type LineState, type PlannedItem } from '../payments/reconcile.js';
import * as statements from '../repositories/bank-statements.js';
import * as payments from '../repositories/payments.js';
import type { DomainEvent } from '../webhooks/events.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';
import type { LedgerService } from './ledger.js';
import type { PaymentService } from './payments.js';
import { publishEvents } from './webhook-events.js';

/** One transaction of the statement and what it did, as the API reports it. */
export interface ReportItem {
  path: string;
  end_to_end_id: string | null;
  amount_ore: number | null;
  credit_debit: 'CRDT' | 'DBIT';
  entry_status: 'BOOK' | 'PDNG' | 'INFO';
  booking_date: string | null;
  outcome: PlannedItem['outcome'];
  line_reference: string | null;
  return_reason: string | null;
  message: string;
}

export interface ReconciliationReport {
  statement_id: string;
  message_type: CamtDocument['kind'];
  message_id: string;
  /** True when this very document was uploaded before: nothing was done again. */
  duplicate: boolean;
  counts: Record<string, number>;
  items: ReportItem[];
}

const countsOf = (items: PlannedItem[]) => items.reduce<Record<string, number>>((c, i) => ({ ...c, [i.outcome]: (c[i.outcome] ?? 0) + 1 }), {});

const reportItem = (i: PlannedItem): ReportItem => ({
  path: i.path,
  end_to_end_id: i.endToEndId,
  amount_ore: i.amountOre === null ? null : oreOut(i.amountOre),
  credit_debit: i.creditDebit,
  entry_status: i.entryStatus,
  booking_date: i.bookingDate,
  outcome: i.outcome,
  line_reference: i.lineReference,
  return_reason: i.returnReason,
  message: i.message,
});

/** The webhook event of a payment line the bank returned (for its institution). */
export function returnedEvent(line: LineState, item: Pick<PlannedItem, 'returnReason' | 'bookingDate'>): DomainEvent {
  return {
    type: 'payment_line.returned',
    data: {
      run_id: line.runId,
      fund_id: line.fundId,
      institution_id: line.institutionId,
      reference: line.reference,
      amount_ore: oreOut(line.amountOre),
      return_reason: item.returnReason,
      returned_on: item.bookingDate,
    },
    audience: { institutionIds: [line.institutionId] },
  };
}

/**
 * Bank statements (camt.053) and debit/credit notifications (camt.054) back into the books. The
 * document is parsed and checked in full first (a bad one changes nothing); then, in one
 * transaction, each transaction matched by EndToEndId to a payment line is applied: booked →
 * the line is paid; returned → it is flagged returned and its amount moves back from paid_out
 * to the institution's payable (a ledger entry); a run with no pending line left is confirmed.
 * Everything else is reported, not guessed. The same document again is recognised by its
 * SHA-256 and answered with the first report; the same entries in another document find their
 * lines already settled and change nothing.
 */
export class ReconciliationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
    private readonly payments: PaymentService,
  ) {}

  async upload(actor: Principal, xml: string): Promise<ReconciliationReport> {
    let doc: CamtDocument;
    try {
      doc = parseCamt(xml);
    } catch (err) {
      if (err instanceof CamtError) throw problems.invalid(err.field, err.message);
      throw err;
    }
    const sha256 = createHash('sha256').update(xml).digest('hex');
    const report = await this.deps.db.transaction().execute(async (trx) => {
      await statements.lockDocument(trx, sha256);
      const seen = await statements.findBySha(trx, sha256);
      if (seen) return { ...(seen.summary as unknown as ReconciliationReport), duplicate: true };
      const lines = await payments.linesByReference(trx, referencesOf(doc));
      const byRef = new Map<string, LineState>(
        lines.map((l) => [
          l.reference,
          {
            reference: l.reference,
            runId: l.run_id,
            fundId: l.fund_id,
            institutionId: l.institution_id,
            amountOre: l.amount_ore,
            status: l.status,
            debtorIban: l.debtor_iban,
          },
        ]),
      );
      const items = planReconciliation(doc, byRef);
      const statementId = await statements.insert(trx, {
        message_type: doc.kind,
        message_id: doc.messageId,
        document_sha256: sha256,
        uploaded_by: actor.keyId,
        summary: {},
      });
      const result: ReconciliationReport = {
        statement_id: statementId,
        message_type: doc.kind,
        message_id: doc.messageId,
        duplicate: false,
        counts: countsOf(items),
        items: items.map(reportItem),
      };
      await this.apply(trx, actor, statementId, items, byRef);
      await statements.saveSummary(trx, statementId, result as unknown as Record<string, unknown>);
      await recordAudit(
        trx,
        actor,
        'bank_statement.upload',
        { type: 'bank_statement', id: statementId },
        { message_type: doc.kind, message_id: doc.messageId, counts: result.counts },
      );
      return result;
    });
    if (!report.duplicate) this.deps.afterCommit();
    return report;
  }

  private async apply(trx: Executor, actor: Principal, statementId: string, items: PlannedItem[], lines: Map<string, LineState>): Promise<void> {
    await statements.insertEntries(
      trx,
      items.map((i, n) => ({
        statement_id: statementId,
        entry_no: n + 1,
        path: i.path,
        end_to_end_id: i.endToEndId,
        amount_ore: i.amountOre,
        credit_debit: i.creditDebit,
        entry_status: i.entryStatus,
        outcome: i.outcome,
        line_reference: i.lineReference,
        message: i.message,
      })),
    );
    const events: DomainEvent[] = [];
    const runs = new Set<string>();
    for (const item of items.filter((i) => CHANGING_OUTCOMES.has(i.outcome))) {
      const line = lines.get(item.lineReference!)!;
      const returned = item.outcome === 'returned';
      await payments.settleLine(trx, line.reference, {
        status: returned ? 'returned' : 'paid',
        on: item.bookingDate,
        returnReason: item.returnReason,
        statementId,
      });
      runs.add(line.runId);
      if (!returned) continue;
      await this.ledger.post(trx, [
        {
          kind: 'payment_return',
          fundId: line.fundId,
          memo: `payment ${line.reference} returned by the bank (${item.returnReason})`,
          lines: [
            { account: accounts.paidOut(line.fundId), amount: -line.amountOre },
            { account: accounts.payable(line.fundId, line.institutionId), amount: line.amountOre },
          ],
        },
      ]);
      events.push(returnedEvent(line, item));
    }
    await publishEvents(trx, events, this.deps.clock());
    for (const runId of [...runs].sort()) {
      const run = (await payments.getRun(trx, runId, true))!;
      if (run.status === 'created' && (await payments.countLines(trx, runId, 'pending')) === 0) await this.payments.markConfirmed(trx, actor, run, 'statement');
    }
  }

  async get(id: string) {
    const row = await statements.get(this.deps.db, id);
    if (!row) throw problems.notFound('The bank statement', 'params.id');
    return row;
  }

  async list(q: PageQuery) {
    const rows = await statements.list(this.deps.db, decodeCursor(q.cursor), q.limit + 1);
    return pageOf(rows, q.limit, (r) => r.id);
  }
}
