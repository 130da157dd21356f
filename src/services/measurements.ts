import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { ProblemError, problems } from '../domain/problem.js';
import { MeasurementIngest, type IngestItem } from './measurement-ingest.js';
import { childrenInScope, kindOutOfScope, unknownChildMessage } from './scope.js';
import { UNKNOWN_CHILD, childRefField, resolveChildRefs, type ChildRef } from './child-refs.js';
import * as measurementsRepo from '../repositories/measurements.js';
import { enqueue } from '../repositories/outbox.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';

export type SubmitOutcome = 'accepted' | 'corrected' | 'unchanged';

/**
 * Measurements arrive from integrations. Identity is (child, kind, period): a second
 * submission is a correction (unless identical: unchanged), a retraction withdraws it.
 * The change and its settle job commit together (outbox), so nothing is lost if Redis is down.
 */
export class MeasurementService {
  readonly ingest: MeasurementIngest;

  constructor(private readonly deps: ServiceDeps) {
    this.ingest = new MeasurementIngest(deps);
  }

  /**
   * The child a retraction names (by id, external reference or CPR), if the caller may submit for
   * it: the kind in its scope (403), the child known and in its scope — a child outside it is
   * answered as an unknown one, naming the same field (DECISIONS 62).
   */
  private async retractedChild(trx: Executor, actor: Principal, identity: ChildRef & { kind: string }): Promise<string> {
    const kindProblem = kindOutOfScope(actor, identity.kind);
    if (kindProblem) throw new ProblemError(403, 'forbidden', kindProblem, [{ field: 'body.kind', message: kindProblem }]);
    const [child] = await resolveChildRefs(trx, this.deps.cpr, [identity]);
    if ('field' in child!) throw problems.invalid(`body.${child.field}`, child.message === UNKNOWN_CHILD ? unknownChildMessage(actor) : child.message);
    const inScope = await childrenInScope(trx, actor, [child!.id]);
    if (inScope && !inScope.has(child!.id)) throw problems.invalid(`body.${childRefField(identity)}`, unknownChildMessage(actor));
    return child!.id;
  }

  /** One measurement through the same path as a batch; a rejection becomes a problem naming `body.<field>`. */
  async submit(actor: Principal, input: IngestItem): Promise<{ outcome: SubmitOutcome; measurement: measurementsRepo.MeasurementRow }> {
    const [result] = await this.ingest.ingest(actor, [input]);
    if (result!.outcome === 'rejected') {
      const { status, detail, errors } = result!.problem;
      throw new ProblemError(
        status,
        status === 403 ? 'forbidden' : status === 400 ? 'validation' : 'invalid',
        detail,
        errors.map((e) => ({ ...e, field: `body.${e.field}` })),
      );
    }
    const measurement = await measurementsRepo.get(this.deps.db, result!.measurement_id);
    return { outcome: result!.outcome, measurement: measurement! };
  }

  async retract(
    actor: Principal,
    identity: ChildRef & { kind: string; period: string },
  ): Promise<{ outcome: 'retracted' | 'unchanged'; measurement: measurementsRepo.MeasurementRow }> {
    const result = await this.deps.db.transaction().execute(async (trx) => {
      // Scope first: an integration must not learn whether a measurement outside its scope exists.
      const childId = await this.retractedChild(trx, actor, identity);
      const existing = await measurementsRepo.findByIdentity(trx, { childId, kind: identity.kind, period: identity.period }, true);
      if (!existing) throw problems.notFound('The measurement', 'body.period');
      if (existing.status === 'retracted') return { outcome: 'unchanged' as const, measurement: existing };
      const m = await measurementsRepo.revise(trx, existing.id, {
        status: 'retracted',
        value: existing.value,
        measuredOn: existing.measured_on,
        source: existing.source,
        submittedBy: actor.keyId,
      });
      await enqueue(trx, [{ topic: 'settle', payload: { measurementIds: [m.id] } }]);
      await recordAudit(trx, actor, 'measurement.retract', { type: 'measurement', id: m.id }, { kind: identity.kind, period: identity.period });
      return { outcome: 'retracted' as const, measurement: m };
    });
    if (result.outcome !== 'unchanged') this.deps.afterCommit();
    return result;
  }

  async get(actor: Principal, id: string) {
    const m = await measurementsRepo.get(this.deps.db, id);
    if (!m || (actor.role === 'integration' && m.submitted_by !== actor.keyId)) throw problems.notFound('The measurement', 'params.id');
    return m;
  }

  async list(actor: Principal, filter: { childId?: string | undefined; kind?: string | undefined }, afterSeq: bigint | null, limit: number) {
    return measurementsRepo.list(this.deps.db, {
      ...filter,
      // An integration reads back only what it submitted.
      ...(actor.role === 'integration' ? { submittedBy: actor.keyId } : {}),
      afterSeq,
      limit,
    });
  }
}
