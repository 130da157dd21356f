import type { Principal } from '../auth/principal.js';
import type { PayeeAccountKind } from '../db/schema.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { problems, ProblemError, type FieldError } from '../domain/problem.js';
import { checkAccountNo, checkBic, checkCvr, checkEan, checkIban, checkRegNo, type Checked } from '../payments/identifiers.js';
import { getInstitution } from '../repositories/institutions.js';
import * as repo from '../repositories/payees.js';
import { fundExists } from '../repositories/payments.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';

export type AccountInput =
  { type: 'dk_account'; reg_no: string; account_no: string } | { type: 'iban'; iban: string; bic?: string | null | undefined } | { type: 'nemkonto' };

export interface PayeeDetailsInput {
  cvr: string;
  ean?: string | null | undefined;
  account: AccountInput;
}

/** Runs each check, collecting every refused field (all are named at once). */
function validated(input: PayeeDetailsInput): repo.PayeeDetailsFields {
  const errors: FieldError[] = [];
  const take = (field: string, r: Checked): string => {
    if (!r.ok) errors.push({ field, message: r.message });
    return r.ok ? r.value : '';
  };
  const a = input.account;
  const fields: repo.PayeeDetailsFields = {
    cvr: take('body.cvr', checkCvr(input.cvr)),
    ean: input.ean == null ? null : take('body.ean', checkEan(input.ean)),
    account_kind: a.type as PayeeAccountKind,
    reg_no: a.type === 'dk_account' ? take('body.account.reg_no', checkRegNo(a.reg_no)) : null,
    account_no: a.type === 'dk_account' ? take('body.account.account_no', checkAccountNo(a.account_no)) : null,
    iban: a.type === 'iban' ? take('body.account.iban', checkIban(a.iban)) : null,
    bic: a.type === 'iban' && a.bic != null ? take('body.account.bic', checkBic(a.bic)) : null,
  };
  if (errors.length) throw problems.invalidMany(errors, 'The payee details are not valid.');
  return fields;
}

/**
 * Payee details of institutions (CVR, EAN, account) under four-eyes control: an admin proposes,
 * and the details take effect only when a different admin key approves (the database refuses an
 * approval by the proposer too). Both steps, and rejections, are in the audit log. A payment run
 * uses the details approved when it is created. The fund's own account (the debtor of its
 * payment files) is set here too, by one admin.
 */
export class PayeeService {
  constructor(private readonly deps: ServiceDeps) {}

  private async institution(id: string) {
    const row = await getInstitution(this.deps.db, id);
    if (!row) throw problems.notFound('The institution', 'params.id');
    return row;
  }

  async propose(actor: Principal, institutionId: string, input: PayeeDetailsInput) {
    const fields = validated(input);
    await this.institution(institutionId);
    return this.deps.db.transaction().execute(async (trx) => {
      await repo.lockInstitutionPayees(trx, institutionId);
      if (await repo.withStatus(trx, institutionId, 'pending')) {
        throw problems.conflict('params.id', 'a change of payee details is waiting for approval; approve or reject it first');
      }
      const row = await repo.insertProposal(trx, institutionId, fields, actor.keyId);
      await recordAudit(
        trx,
        actor,
        'payee_details.propose',
        { type: 'institution', id: institutionId },
        { payee_details_id: row.id, version: row.version, account_kind: row.account_kind },
      );
      return row;
    });
  }

  async decide(actor: Principal, changeId: string, decision: 'approve' | 'reject', note: string | null) {
    return this.deps.db.transaction().execute(async (trx) => {
      const found = await repo.get(trx, changeId);
      if (!found) throw problems.notFound('The payee details change', 'params.id');
      await repo.lockInstitutionPayees(trx, found.institution_id);
      const change = (await repo.get(trx, changeId))!;
      if (change.status !== 'pending') throw problems.conflict('params.id', `the change is already ${change.status}`);
      if (decision === 'approve' && change.proposed_by === actor.keyId) {
        throw new ProblemError(403, 'four-eyes', 'A change of payee details must be approved by another admin key than the one that proposed it.', [
          { field: 'params.id', message: 'was proposed by this key; another admin key must approve it' },
        ]);
      }
      if (decision === 'approve') await repo.supersedeCurrent(trx, change.institution_id);
      const row = await repo.decide(trx, changeId, {
        status: decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: actor.keyId,
        at: this.deps.clock(),
        note,
      });
      await recordAudit(
        trx,
        actor,
        `payee_details.${decision}`,
        { type: 'institution', id: change.institution_id },
        { payee_details_id: changeId, version: change.version, proposed_by: change.proposed_by },
      );
      return row;
    });
  }

  /** Current (approved) details, the pending change if any, and every earlier version. */
  async ofInstitution(actor: Principal, institutionId: string) {
    if (actor.role === 'institution' && actor.institutionId !== institutionId) {
      throw new ProblemError(403, 'forbidden', 'An institution key reads only its own payee details.', [
        { field: 'params.id', message: 'is not this key’s institution' },
      ]);
    }
    await this.institution(institutionId);
    const all = await repo.history(this.deps.db, institutionId);
    return { current: all.find((r) => r.status === 'approved') ?? null, pending: all.find((r) => r.status === 'pending') ?? null, history: all };
  }

  async pending(q: PageQuery) {
    const rows = await repo.listPending(this.deps.db, decodeCursor(q.cursor), q.limit + 1);
    return pageOf(rows, q.limit, (r) => r.id);
  }

  async setFundAccount(actor: Principal, fundId: string, input: { name: string; iban: string; bic?: string | null | undefined }) {
    const errors: FieldError[] = [];
    const iban = checkIban(input.iban);
    if (!iban.ok) errors.push({ field: 'body.iban', message: iban.message });
    const bic = input.bic == null ? null : checkBic(input.bic);
    if (bic && !bic.ok) errors.push({ field: 'body.bic', message: bic.message });
    if (errors.length) throw problems.invalidMany(errors, 'The account is not valid.');
    if (!(await fundExists(this.deps.db, fundId))) throw problems.notFound('The fund', 'params.id');
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.upsertFundAccount(trx, {
        fund_id: fundId,
        name: input.name,
        iban: iban.ok ? iban.value : '',
        bic: bic && bic.ok ? bic.value : null,
        updated_by: actor.keyId,
      });
      await recordAudit(trx, actor, 'fund.account', { type: 'fund', id: fundId }, { iban: row.iban });
      return row;
    });
  }

  async fundAccount(fundId: string) {
    if (!(await fundExists(this.deps.db, fundId))) throw problems.notFound('The fund', 'params.id');
    const row = await repo.fundAccount(this.deps.db, fundId);
    if (!row) throw problems.notFound('The fund’s account', 'params.id');
    return row;
  }
}
