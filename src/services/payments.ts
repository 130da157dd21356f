import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { oreOut } from '../domain/money.js';
import * as accounts from '../ledger/accounts.js';
import { problems } from '../domain/problem.js';
import * as ledgerRepo from '../repositories/ledger.js';
import { institutionCodes } from '../repositories/institutions.js';
import * as payees from '../repositories/payees.js';
import * as repo from '../repositories/payments.js';
import type { DomainEvent, EventType } from '../webhooks/events.js';
import { recordAudit } from './audit.js';
import { businessDate } from './business-date.js';
import type { ServiceDeps } from './deps.js';
import type { EntryDraft, LedgerService } from './ledger.js';
import { publishEvents } from './webhook-events.js';

export { formatDkk } from '../domain/money.js';

export type RunWithLines = repo.RunRow & { lines: repo.LineRow[] };

/** The webhook event of a run: its summary and its lines (an institution is shown only its own). */
export function runEvent(type: Extract<EventType, `payment_run.${string}`>, run: repo.RunRow, lines: repo.LineRow[]): DomainEvent {
  return {
    type,
    data: {
      run_id: run.id,
      fund_id: run.fund_id,
      reference: run.reference,
      cutoff_on: run.cutoff_on,
      status: type === 'payment_run.confirmed' ? 'confirmed' : run.status,
      total_ore: oreOut(run.total_ore),
      lines: lines.map((l) => ({ institution_id: l.institution_id, reference: l.reference, amount_ore: oreOut(l.amount_ore), status: l.status })),
    },
    audience: { institutionIds: lines.map((l) => l.institution_id) },
  };
}

/**
 * Payment runs: per fund and cut-off date, every institution with a positive payable is paid
 * in one line. An institution is paid what it was owed at the cut-off, but never more than it
 * is owed now (a later claw-back nets against it). Creating the run moves the money
 * payable → paid_out; cancelling an unconfirmed run reverses that; confirming marks it paid
 * (or the bank statement does, line by line: ReconciliationService). Each line gets a
 * reference (`<run reference>-<line no>`, the EndToEndId of its credit transfer) and keeps
 * the institution's payee details approved at the run's creation; the run keeps the fund's
 * account of that moment.
 */
export class PaymentService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
  ) {}

  /** What each institution is paid: its payable at the cut-off, capped at what it is owed now. */
  private async payableLines(trx: Executor, fundId: string, cutoffOn: string) {
    const payables = await ledgerRepo.payableBalancesOfFund(trx, fundId);
    const asOf = await ledgerRepo.balancesAsOf(
      trx,
      payables.map((p) => p.code),
      cutoffOn,
    );
    return payables
      .map((p) => {
        const then = asOf.get(p.code) ?? 0n;
        return { institutionId: p.institution_id!, amount: then < p.balance_ore ? then : p.balance_ore };
      })
      .filter((l) => l.amount > 0n);
  }

  async create(actor: Principal, fundId: string, cutoffOn: string) {
    const today = businessDate(this.deps.clock(), this.deps.timeZone);
    if (cutoffOn > today) throw problems.invalid('body.cutoff_on', 'cannot be in the future');
    const runId = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await repo.fundExists(trx, fundId))) throw problems.notFound('The fund', 'params.id');
      // No posting on this fund until the run commits; what it pays is read from the sealed
      // journal (payables as of the cut-off), so everything committed is sealed first.
      await this.ledger.lockFunds(trx, [fundId]);
      await this.ledger.sealNow(trx);
      const lines = await this.payableLines(trx, fundId, cutoffOn);
      if (!lines.length) throw problems.conflict('body.cutoff_on', 'nothing is payable for this fund at this cut-off');
      const [details, debtor] = await Promise.all([
        payees.currentOf(
          trx,
          lines.map((l) => l.institutionId),
        ),
        payees.fundAccount(trx, fundId),
      ]);
      const codes = await institutionCodes(
        trx,
        lines.map((l) => l.institutionId),
      );
      lines.sort((a, b) => (codes.get(a.institutionId)! < codes.get(b.institutionId)! ? -1 : 1));
      const total = lines.reduce((s, l) => s + l.amount, 0n);
      const reference = `PR-${today.replace(/-/g, '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
      const draft: EntryDraft = {
        kind: 'payment',
        fundId,
        memo: `payment run ${reference}`,
        lines: [
          ...lines.map((l) => ({ account: accounts.payable(fundId, l.institutionId), amount: -l.amount })),
          { account: accounts.paidOut(fundId), amount: total },
        ],
      };
      const [entry] = await this.ledger.postSealed(trx, [draft]);
      const id = await repo.insertRun(trx, {
        fund_id: fundId,
        cutoff_on: cutoffOn,
        reference,
        total_ore: total,
        entry_seq: entry!.seq,
        created_by: actor.keyId,
        debtor_name: debtor?.name ?? null,
        debtor_iban: debtor?.iban ?? null,
        debtor_bic: debtor?.bic ?? null,
      });
      await repo.insertLines(
        trx,
        lines.map((l, i) => ({
          run_id: id,
          institution_id: l.institutionId,
          line_no: i + 1,
          reference: `${reference}-${String(i + 1).padStart(4, '0')}`,
          amount_ore: l.amount,
          payee_details_id: details.get(l.institutionId)?.id ?? null,
        })),
      );
      await recordAudit(trx, actor, 'payment_run.create', { type: 'payment_run', id }, { fund_id: fundId, total_ore: total.toString() });
      const run = (await this.read(trx, id))!;
      await publishEvents(trx, [runEvent('payment_run.created', run, run.lines)], this.deps.clock());
      return id;
    });
    this.deps.afterCommit();
    return this.get(runId);
  }

  /** Marks a created run confirmed (every line paid or returned), with its event. In the caller's transaction. */
  async markConfirmed(trx: Executor, actor: Principal | null, run: repo.RunRow, how: 'manual' | 'statement'): Promise<void> {
    const now = this.deps.clock();
    await repo.setRunStatus(trx, run.id, 'confirmed', now);
    await recordAudit(trx, actor, 'payment_run.confirm', { type: 'payment_run', id: run.id }, { by: how });
    const after = (await this.read(trx, run.id))!;
    await publishEvents(trx, [runEvent('payment_run.confirmed', after, after.lines)], now);
  }

  async confirm(actor: Principal, runId: string) {
    await this.deps.db.transaction().execute(async (trx) => {
      const run = await repo.getRun(trx, runId, true);
      if (!run) throw problems.notFound('The payment run', 'params.id');
      if (run.status !== 'created') throw problems.conflict('params.id', `the run is ${run.status}`);
      await repo.setLineStatuses(trx, runId, 'pending', 'paid');
      await this.markConfirmed(trx, actor, run, 'manual');
    });
    this.deps.afterCommit();
    return this.get(runId);
  }

  async cancel(actor: Principal, runId: string) {
    await this.deps.db.transaction().execute(async (trx) => {
      const run = await repo.getRun(trx, runId, true);
      if (!run) throw problems.notFound('The payment run', 'params.id');
      if (run.status !== 'created') throw problems.conflict('params.id', `the run is ${run.status}`);
      const lines = await repo.linesOf(trx, [runId]);
      const settled = lines.filter((l) => l.status !== 'pending').map((l) => l.reference);
      if (settled.length) throw problems.conflict('params.id', `the bank has already booked or returned lines of this run (${settled.join(', ')})`);
      await this.ledger.post(trx, [
        {
          kind: 'payment_cancel',
          fundId: run.fund_id,
          memo: `payment run ${run.reference} cancelled`,
          lines: [
            ...lines.map((l) => ({ account: accounts.payable(run.fund_id, l.institution_id), amount: l.amount_ore })),
            { account: accounts.paidOut(run.fund_id), amount: -run.total_ore },
          ],
        },
      ]);
      await repo.setRunStatus(trx, runId, 'cancelled', this.deps.clock());
      await repo.setLineStatuses(trx, runId, 'pending', 'cancelled');
      await recordAudit(trx, actor, 'payment_run.cancel', { type: 'payment_run', id: runId });
    });
    return this.get(runId);
  }

  private async read(db: Executor, runId: string): Promise<RunWithLines | undefined> {
    const run = await repo.getRun(db, runId);
    return run ? { ...run, lines: await repo.linesOf(db, [runId]) } : undefined;
  }

  async get(runId: string): Promise<RunWithLines> {
    const run = await this.read(this.deps.db, runId);
    if (!run) throw problems.notFound('The payment run', 'params.id');
    return run;
  }

  async list(fundId: string | undefined, after: string | null, limit: number): Promise<RunWithLines[]> {
    const runs = await repo.listRuns(this.deps.db, fundId, after, limit);
    const lines = await repo.linesOf(
      this.deps.db,
      runs.map((r) => r.id),
    );
    return runs.map((r) => ({ ...r, lines: lines.filter((l) => l.run_id === r.id) }));
  }
}
