import type { Principal } from '../auth/principal.js';
import { problems } from '../domain/problem.js';
import * as ledgerRepo from '../repositories/ledger.js';
import * as awardsRepo from '../repositories/awards.js';
import * as readJson from '../repositories/read-json.js';
import * as institutionsRepo from '../repositories/institutions.js';
import { getFund } from '../repositories/funds.js';
import { businessDate } from './business-date.js';
import type { ServiceDeps } from './deps.js';

/** Read models: fund balances, an institution's balances and statement, a child's passport. */
export class ReportService {
  constructor(private readonly deps: ServiceDeps) {}

  async fundBalances(fundId: string) {
    const fund = await getFund(this.deps.db, fundId);
    if (!fund) throw problems.notFound('The fund', 'params.id');
    const b = await ledgerRepo.fundBalances(this.deps.db, fundId);
    const awaiting = await awardsRepo.awaitingSummary(this.deps.db, fundId);
    return {
      fund_id: fundId,
      available_ore: b.available,
      reserved_ore: b.reserved,
      payable_ore: b.payable,
      deposited_ore: -b.funders,
      paid_out_ore: b.paid_out,
      awaiting_awards: Number(awaiting.n),
      awaiting_shortfall_ore: BigInt(awaiting.target ?? 0) - BigInt(awaiting.reserved ?? 0),
    };
  }

  private assertInstitutionAccess(actor: Principal, institutionId: string) {
    if (actor.role === 'institution' && actor.institutionId !== institutionId) {
      throw problems.forbidden('An institution key reads only its own balances and statements.');
    }
  }

  async institutionBalances(actor: Principal, institutionId: string) {
    this.assertInstitutionAccess(actor, institutionId);
    const inst = await institutionsRepo.getInstitution(this.deps.db, institutionId);
    if (!inst) throw problems.notFound('The institution', 'params.id');
    const rows = await ledgerRepo.institutionPayable(this.deps.db, institutionId);
    return {
      institution_id: inst.id,
      code: inst.code,
      payable_ore: rows.reduce((s, r) => s + r.balance_ore, 0n),
      by_fund: rows.map((r) => ({ fund_id: r.fund_id, payable_ore: r.balance_ore })),
    };
  }

  /**
   * The period of a statement: `to` defaults to today (business date), `from` to 1 January of
   * `to`'s year — the year to date (DECISIONS 66). A reversed period names the field the caller gave.
   */
  statementPeriod(from: string | undefined, to: string | undefined): { from: string; to: string } {
    const end = to ?? businessDate(this.deps.clock(), this.deps.timeZone);
    const start = from ?? `${end.slice(0, 4)}-01-01`;
    if (end < start) {
      throw to === undefined
        ? problems.invalid('query.from', `must not be after to (today, ${end}, when to is not given)`)
        : problems.invalid('query.to', 'must not be before from');
    }
    return { from: start, to: end };
  }

  /**
   * An institution's statement for [from, to]: opening payable balance, every ledger movement
   * on its payable accounts (finalised awards, adjustments, payments) with the award behind
   * it, and the closing balance. Opening + Σ movements = closing. The institution is named by
   * id or code; for an institution key any other (or unknown) one is refused alike (403).
   */
  async statement(actor: Principal, institutionRef: string, period: { from?: string | undefined; to?: string | undefined }) {
    const { from, to } = this.statementPeriod(period.from, period.to);
    const db = this.deps.db;
    const found = await institutionsRepo.findInstitutionByRef(db, institutionRef);
    if (actor.role === 'institution' && found?.id !== actor.institutionId) this.assertInstitutionAccess(actor, found?.id ?? '');
    if (!found) throw problems.notFound('The institution', 'params.id');
    const inst = { id: found.id, code: found.code, name: found.name };
    const codes = (await ledgerRepo.institutionPayable(db, inst.id)).map((r) => r.code);
    const movements = await ledgerRepo.movementsOf(db, codes, to);
    let opening = 0n;
    const lines = [];
    for (const m of movements) {
      if (m.posted_on < from) opening += m.amount_ore;
      else lines.push(m);
    }
    const explanations = new Map<string, unknown>();
    for (const id of new Set(lines.map((l) => l.award_id).filter((x): x is string => !!x))) {
      explanations.set(id, await awardsRepo.explanationOf(db, id));
    }
    const closing = lines.reduce((s, l) => s + l.amount_ore, opening);
    return {
      institution: inst,
      from,
      to,
      opening_balance_ore: opening,
      movements: lines.map((l) => ({ ...l, explanation: l.award_id ? explanations.get(l.award_id) : null })),
      closing_balance_ore: closing,
    };
  }

  /** A child's passport (child, enrolments, measurements, awards) as the response's JSON text, in one query. */
  async passportJson(childId: string): Promise<string> {
    const json = await readJson.passport(this.deps.db, childId);
    if (json === undefined) throw problems.notFound('The child', 'params.id');
    return json;
  }
}
