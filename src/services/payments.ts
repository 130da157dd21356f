import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import * as accounts from '../ledger/accounts.js';
import { problems } from '../http/problem.js';
import * as ledgerRepo from '../repositories/ledger.js';
import { csvNumber, csvText } from '../domain/csv.js';
import { recordAudit } from './audit.js';
import { businessDate } from './business-date.js';
import type { ServiceDeps } from './deps.js';
import type { EntryDraft, LedgerService } from './ledger.js';

/** Whole øre as "1234.56" DKK without going through floating point. */
export function formatDkk(ore: bigint): string {
  const sign = ore < 0n ? '-' : '';
  const abs = ore < 0n ? -ore : ore;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/**
 * Payment runs: per fund and cut-off date, every institution with a positive payable is paid
 * in one line. An institution is paid what it was owed at the cut-off, but never more than it
 * is owed now (a later claw-back nets against it). Creating the run moves the money
 * payable → paid_out; cancelling an unconfirmed run reverses that; confirming marks it paid.
 */
export class PaymentService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
  ) {}

  async create(actor: Principal, fundId: string, cutoffOn: string) {
    const today = businessDate(this.deps.clock(), this.deps.timeZone);
    if (cutoffOn > today) throw problems.invalid('body.cutoff_on', 'cannot be in the future');
    const runId = await this.deps.db.transaction().execute(async (trx) => {
      const fund = await trx.selectFrom('funds').select('id').where('id', '=', fundId).executeTakeFirst();
      if (!fund) throw problems.notFound('The fund', 'params.id');
      await this.ledger.lock(trx);
      const payables = await ledgerRepo.payableBalancesOfFund(trx, fundId);
      const asOf = await ledgerRepo.balancesAsOf(
        trx,
        payables.map((p) => p.code),
        cutoffOn,
      );
      const lines = payables
        .map((p) => {
          const then = asOf.get(p.code) ?? 0n;
          const amount = then < p.balance_ore ? then : p.balance_ore;
          return { institutionId: p.institution_id!, amount };
        })
        .filter((l) => l.amount > 0n)
        .sort((a, b) => (a.institutionId < b.institutionId ? -1 : 1));
      if (!lines.length) throw problems.conflict('body.cutoff_on', 'nothing is payable for this fund at this cut-off');
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
      const [entry] = await this.ledger.post(trx, [draft]);
      const run = await trx
        .insertInto('payment_runs')
        .values({
          fund_id: fundId,
          cutoff_on: cutoffOn,
          reference,
          status: 'created',
          total_ore: total,
          entry_seq: entry!.seq,
          created_by: actor.keyId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('payment_lines')
        .values(lines.map((l) => ({ run_id: run.id, institution_id: l.institutionId, amount_ore: l.amount, status: 'pending' as const })))
        .execute();
      await recordAudit(trx, actor, 'payment_run.create', { type: 'payment_run', id: run.id }, { fund_id: fundId, total_ore: total.toString() });
      return run.id;
    });
    return this.get(runId);
  }

  async confirm(actor: Principal, runId: string) {
    await this.deps.db.transaction().execute(async (trx) => {
      const run = await trx.selectFrom('payment_runs').selectAll().where('id', '=', runId).forUpdate().executeTakeFirst();
      if (!run) throw problems.notFound('The payment run', 'params.id');
      if (run.status !== 'created') throw problems.conflict('params.id', `the run is ${run.status}`);
      await trx.updateTable('payment_runs').set({ status: 'confirmed', confirmed_at: this.deps.clock() }).where('id', '=', runId).execute();
      await trx.updateTable('payment_lines').set({ status: 'paid' }).where('run_id', '=', runId).execute();
      await recordAudit(trx, actor, 'payment_run.confirm', { type: 'payment_run', id: runId });
    });
    return this.get(runId);
  }

  async cancel(actor: Principal, runId: string) {
    await this.deps.db.transaction().execute(async (trx) => {
      const run = await trx.selectFrom('payment_runs').selectAll().where('id', '=', runId).forUpdate().executeTakeFirst();
      if (!run) throw problems.notFound('The payment run', 'params.id');
      if (run.status !== 'created') throw problems.conflict('params.id', `the run is ${run.status}`);
      const lines = await trx.selectFrom('payment_lines').selectAll().where('run_id', '=', runId).execute();
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
      await trx.updateTable('payment_runs').set({ status: 'cancelled', cancelled_at: this.deps.clock() }).where('id', '=', runId).execute();
      await trx.updateTable('payment_lines').set({ status: 'cancelled' }).where('run_id', '=', runId).execute();
      await recordAudit(trx, actor, 'payment_run.cancel', { type: 'payment_run', id: runId });
    });
    return this.get(runId);
  }

  async get(runId: string) {
    const run = await this.deps.db.selectFrom('payment_runs').selectAll().where('id', '=', runId).executeTakeFirst();
    if (!run) throw problems.notFound('The payment run', 'params.id');
    const lines = await this.deps.db
      .selectFrom('payment_lines as l')
      .innerJoin('institutions as i', 'i.id', 'l.institution_id')
      .select(['l.institution_id', 'i.code', 'i.name', 'l.amount_ore', 'l.status'])
      .where('l.run_id', '=', runId)
      .orderBy('i.code')
      .execute();
    return { ...run, lines };
  }

  async list(fundId: string | undefined, after: string | null, limit: number) {
    let q = this.deps.db.selectFrom('payment_runs').select('id').orderBy('id').limit(limit);
    if (fundId) q = q.where('fund_id', '=', fundId);
    if (after) q = q.where('id', '>', after);
    return Promise.all((await q.execute()).map((r) => this.get(r.id)));
  }

  /**
   * The payment file: one CSV line per institution, amounts in øre and in DKK. `amount_ore` and
   * `amount_dkk` are number cells; every other column is a text cell, neutralised against
   * formula injection (an institution's code and name are whatever was registered).
   */
  async paymentFile(runId: string): Promise<string> {
    const run = await this.get(runId);
    const header = 'reference,fund_id,cutoff_on,institution_code,institution_name,amount_ore,amount_dkk,status';
    const rows = run.lines.map((l) =>
      [
        ...[run.reference, run.fund_id, String(run.cutoff_on), l.code, l.name].map(csvText),
        csvNumber(l.amount_ore),
        csvNumber(formatDkk(l.amount_ore)),
        csvText(l.status),
      ].join(','),
    );
    return [header, ...rows].join('\r\n') + '\r\n';
  }
}
