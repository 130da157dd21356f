import type { Principal } from '../auth/principal.js';
import { problems } from '../domain/problem.js';
import * as awardsRepo from '../repositories/awards.js';
import * as readJson from '../repositories/read-json.js';
import * as objectionsRepo from '../repositories/objections.js';
import { institutionCodes } from '../repositories/institutions.js';
import { statusOf } from '../settlement/lifecycle.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import { publishEvents } from './webhook-events.js';
import type { DomainEvent } from '../webhooks/events.js';

/** An objection's event; its free-text reason and resolution are not sent (they may name a child). */
export function objectionEvent(
  type: 'objection.opened' | 'objection.resolved',
  objection: { id: string; status: 'open' | 'upheld' | 'rejected' | 'withdrawn'; institution_id: string | null },
  award: awardsRepo.AwardWithPayees,
): DomainEvent {
  return {
    type,
    data: { objection_id: objection.id, award_id: award.id, fund_id: award.fund_id, status: objection.status, institution_id: objection.institution_id },
    audience: { institutionIds: [...new Set([...award.payees.map((p) => p.institutionId), ...(objection.institution_id ? [objection.institution_id] : [])])] },
  };
}

/**
 * Reading awards (each role sees what §7 allows: an institution only awards it is part of)
 * and objections, which hold an award until an administrator resolves them.
 */
export class AwardService {
  constructor(private readonly deps: ServiceDeps) {}

  private async visible(actor: Principal, id: string) {
    const award = await awardsRepo.get(this.deps.db, id);
    if (!award) throw problems.notFound('The award', 'params.id');
    if (actor.role === 'institution' && !award.payees.some((p) => p.institutionId === actor.institutionId)) {
      // Not "forbidden": an institution must not learn that another's award exists.
      throw problems.notFound('The award', 'params.id');
    }
    return award;
  }

  /** The award with its explanation, as the response's JSON text (one query; the explanation is not re-serialised). */
  async getJson(actor: Principal, id: string): Promise<string> {
    const institutionId = actor.role === 'institution' ? actor.institutionId : null;
    const found = await readJson.awardWithExplanation(this.deps.db, id, institutionId);
    // Not "forbidden" for another institution's award: it must not learn that the award exists.
    if (!found || (institutionId !== null && !found.payee)) throw problems.notFound('The award', 'params.id');
    return found.json;
  }

  async history(actor: Principal, id: string) {
    await this.visible(actor, id);
    return awardsRepo.revisionsOf(this.deps.db, id);
  }

  async list(actor: Principal, filter: awardsRepo.AwardFilter, after: string | null, limit: number) {
    if (actor.role === 'institution') {
      if (filter.institutionId && filter.institutionId !== actor.institutionId) throw problems.forbidden('An institution key reads only its own awards.');
      filter = { ...filter, institutionId: actor.institutionId! };
    }
    return awardsRepo.list(this.deps.db, filter, after, limit);
  }

  async object(actor: Principal, awardId: string, reason: string) {
    const objection = await this.deps.db.transaction().execute(async (trx) => {
      const award = await awardsRepo.get(trx, awardId, true);
      if (!award) throw problems.notFound('The award', 'params.id');
      if (actor.role === 'institution' && !award.payees.some((p) => p.institutionId === actor.institutionId)) {
        throw problems.notFound('The award', 'params.id');
      }
      const row = await objectionsRepo.insertObjection(trx, {
        award_id: awardId,
        filed_by: actor.keyId,
        institution_id: actor.role === 'institution' ? actor.institutionId : null,
        reason,
        status: 'open',
      });
      const open = award.open_objections + 1;
      await awardsRepo.update(trx, awardId, {
        open_objections: open,
        status: statusOf({ earned: award.earned, reserved: award.reserved_ore, reserveTarget: award.reserve_target_ore, openObjections: open }),
      });
      await recordAudit(trx, actor, 'objection.file', { type: 'award', id: awardId }, { objection_id: row.id });
      await publishEvents(trx, [objectionEvent('objection.opened', row, award)], this.deps.clock());
      return row;
    });
    return objection;
  }

  /**
   * Resolving lifts the hold. Corrections the objection called for (enrolments, the
   * measurement, closures) are made through their own endpoints and recompute the award
   * by themselves; once no objection is open the award can be finalised again.
   */
  async resolve(actor: Principal, objectionId: string, outcome: 'upheld' | 'rejected' | 'withdrawn', resolution: string | null) {
    const out = await this.deps.db.transaction().execute(async (trx) => {
      const objection = await objectionsRepo.lockObjection(trx, objectionId);
      if (!objection) throw problems.notFound('The objection', 'params.id');
      if (objection.status !== 'open') throw problems.conflict('params.id', 'the objection is already resolved');
      const award = await awardsRepo.get(trx, objection.award_id, true);
      const updated = await objectionsRepo.resolveObjection(trx, objectionId, {
        status: outcome,
        resolution,
        resolved_at: this.deps.clock(),
        resolved_by: actor.keyId,
      });
      const open = Math.max(0, award!.open_objections - 1);
      await awardsRepo.update(trx, award!.id, {
        open_objections: open,
        status: statusOf({ earned: award!.earned, reserved: award!.reserved_ore, reserveTarget: award!.reserve_target_ore, openObjections: open }),
      });
      await recordAudit(trx, actor, `objection.${outcome}`, { type: 'objection', id: objectionId }, { award_id: award!.id });
      await publishEvents(trx, [objectionEvent('objection.resolved', updated, award!)], this.deps.clock());
      return updated;
    });
    return out;
  }

  async objections(actor: Principal, awardId: string) {
    await this.visible(actor, awardId);
    return objectionsRepo.objectionsOf(this.deps.db, awardId);
  }

  /** Institution codes by id (the award presenters name payees by code). */
  institutionCodes(ids: string[]): Promise<Map<string, string>> {
    return institutionCodes(this.deps.db, [...new Set(ids)]);
  }
}
