import type { Principal } from '../auth/principal.js';
import * as accounts from '../ledger/accounts.js';
import { enqueue } from '../repositories/outbox.js';
import { insertDeposit, listDeposits } from '../repositories/deposits.js';
import { getFund } from '../repositories/funds.js';
import { problems } from '../domain/problem.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { LedgerService } from './ledger.js';
import { businessDate } from './business-date.js';

export interface DepositInput {
  amount_ore: number;
  funder: string;
  reference?: string | null | undefined;
  received_on?: string | undefined;
}

/** Money enters a fund only as deposits: funders → available, then waiting awards are funded. */
export class DepositService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
  ) {}

  async create(actor: Principal, fundId: string, input: DepositInput) {
    if (!Number.isSafeInteger(input.amount_ore) || input.amount_ore <= 0) {
      throw problems.invalid('body.amount_ore', 'must be a whole number of øre greater than 0');
    }
    const today = businessDate(this.deps.clock(), this.deps.timeZone);
    const receivedOn = input.received_on ?? today;
    if (receivedOn > today) throw problems.invalid('body.received_on', 'cannot be in the future');
    const amount = BigInt(input.amount_ore);
    const deposit = await this.deps.db.transaction().execute(async (trx) => {
      const fund = await getFund(trx, fundId);
      if (!fund) throw problems.notFound('The fund', 'params.id');
      const [entry] = await this.ledger.postSealed(trx, [
        {
          kind: 'deposit',
          fundId,
          memo: `deposit from ${input.funder}${input.reference ? ` (${input.reference})` : ''}`,
          lines: [
            { account: accounts.funders(fundId), amount: -amount },
            { account: accounts.available(fundId), amount },
          ],
        },
      ]);
      const row = await insertDeposit(trx, {
        fund_id: fundId,
        amount_ore: amount,
        funder: input.funder,
        reference: input.reference ?? null,
        received_on: receivedOn,
        entry_seq: entry!.seq,
        created_by: actor.keyId,
      });
      await enqueue(trx, [{ topic: 'fund', payload: { fundId } }]);
      await recordAudit(trx, actor, 'deposit.create', { type: 'deposit', id: row.id }, { fund_id: fundId, amount_ore: input.amount_ore });
      return row;
    });
    this.deps.afterCommit();
    return deposit;
  }

  async list(fundId: string, after: string | null, limit: number) {
    return listDeposits(this.deps.db, fundId, after, limit);
  }
}
