import type { Principal } from '../auth/principal.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { problems } from '../domain/problem.js';
import * as repo from '../repositories/funds.js';
import type { FundRow } from '../repositories/funds.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';

export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

export class FundService {
  constructor(private readonly deps: ServiceDeps) {}

  /** A fund and its ledger accounts are created together, so postings can rely on them. */
  async create(actor: Principal, input: { name: string; description?: string | null }): Promise<FundRow> {
    return this.deps.db.transaction().execute(async (tx) => {
      const fund = await repo.insertFund(tx, { name: input.name, description: input.description ?? null });
      await repo.insertFundAccounts(tx, fund.id);
      await recordAudit(tx, actor, 'fund.create', { type: 'fund', id: fund.id }, { name: fund.name });
      return fund;
    });
  }

  async get(id: string): Promise<FundRow> {
    const fund = await repo.getFund(this.deps.db, id);
    if (!fund) throw problems.notFound('The fund', 'params.id');
    return fund;
  }

  async list(q: PageQuery) {
    const rows = await repo.listFunds(this.deps.db, { after: decodeCursor(q.cursor), limit: q.limit + 1 });
    return pageOf(rows, q.limit, (f) => f.id);
  }

  async update(actor: Principal, id: string, patch: { name?: string; description?: string | null }): Promise<FundRow> {
    return this.deps.db.transaction().execute(async (tx) => {
      const fund = await repo.updateFund(tx, id, patch);
      if (!fund) throw problems.notFound('The fund', 'params.id');
      await recordAudit(tx, actor, 'fund.update', { type: 'fund', id }, { fields: Object.keys(patch) });
      return fund;
    });
  }
}
