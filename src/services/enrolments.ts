import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { ProblemError, problems } from '../domain/problem.js';
import { getChild } from '../repositories/children.js';
import * as repo from '../repositories/enrolments.js';
import type { EnrolmentFields, EnrolmentRow } from '../repositories/enrolments.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';
import { resolveInstitutionRef } from './institutions.js';
import { childChanged } from './triggers.js';

export interface EnrolmentInput {
  child: string;
  /** Institution id or code. */
  institution: string;
  start: string;
  end?: string | null | undefined;
}

export interface EnrolmentPatch {
  institution?: string | undefined;
  start?: string | undefined;
  end?: string | null | undefined;
}

interface InstitutionIdentity {
  id: string;
  code: string;
}

const forbidden = (field: string, message: string) => new ProblemError(403, 'forbidden', message, [{ field, message }]);

/** Whether an integration key's institution scope (ids or codes; null = all) covers `inst`. */
function inScope(actor: Principal, inst: InstitutionIdentity): boolean {
  const list = actor.scope?.institutions;
  return list === null || (list !== undefined && (list.includes(inst.id) || list.includes(inst.code)));
}

/** Admin may change any enrolment; an integration only where granted enrolments (§7). */
function assertMayWriteEnrolments(actor: Principal): void {
  if (actor.role === 'admin') return;
  if (actor.role !== 'integration' || !actor.scope?.enrolments) {
    throw problems.forbidden('This key may not submit enrolments.');
  }
}

/** ... and only at the institutions in its scope (institutions are configuration, not personal data: 403). */
function assertMayWrite(actor: Principal, inst: InstitutionIdentity, field: string): void {
  assertMayWriteEnrolments(actor);
  if (actor.role !== 'admin' && !inScope(actor, inst)) throw forbidden(field, 'this institution is outside the key’s scope');
}

/** Half-open spans need end > start; name the field the caller actually sent. */
function assertSpan(start: string, end: string | null, field: string): void {
  if (end !== null && end <= start) throw problems.invalid(field, 'must be after start (the span is [start, end))');
}

export class EnrolmentService {
  constructor(private readonly deps: ServiceDeps) {}

  async add(actor: Principal, input: EnrolmentInput): Promise<EnrolmentRow> {
    const end = input.end ?? null;
    assertSpan(input.start, end, 'body.end');
    return this.mutate(async (tx) => {
      if (!(await getChild(tx, input.child))) throw problems.invalid('body.child', 'is not a known child');
      const inst = await resolveInstitutionRef(tx, input.institution, 'body.institution');
      assertMayWrite(actor, inst, 'body.institution');
      const fields = { child_id: input.child, institution_id: inst.id, start_on: input.start, end_on: end };
      const id = await repo.insertEnrolment(tx, fields);
      return this.changed(tx, actor, 'enrolment.add', id, fields);
    });
  }

  /**
   * An integration reads enrolments only with the enrolment grant (403 otherwise, whatever the
   * id), and only at its institutions: another is "not found", as an unknown id (DECISIONS 62).
   */
  async get(actor: Principal, id: string): Promise<EnrolmentRow> {
    if (actor.role === 'integration') assertMayWriteEnrolments(actor);
    const e = await repo.getEnrolment(this.deps.db, id);
    if (!e || (actor.role === 'integration' && !inScope(actor, enrolmentInstitution(e)))) throw problems.notFound('The enrolment', 'params.id');
    if (actor.role === 'institution' && actor.institutionId !== e.institution_id) throw forbidden('params.id', 'this enrolment is outside the key’s scope');
    return e;
  }

  /** Institution keys see only their own institution's enrolments (the filter defaults to it). */
  async list(actor: Principal, q: PageQuery & { child?: string | undefined; institution?: string | undefined }) {
    let institutionId = q.institution ? (await resolveInstitutionRef(this.deps.db, q.institution, 'query.institution')).id : undefined;
    if (actor.role === 'institution') {
      if (institutionId !== undefined && institutionId !== actor.institutionId) {
        throw forbidden('query.institution', 'an institution key may only list its own enrolments');
      }
      institutionId = actor.institutionId!;
    }
    const rows = await repo.listEnrolments(this.deps.db, {
      after: decodeCursor(q.cursor),
      limit: q.limit + 1,
      childId: q.child,
      institutionId,
    });
    return pageOf(rows, q.limit, (e) => e.id);
  }

  /** Sets the end date of an ongoing enrolment; an ended one is corrected with PATCH instead. */
  async end(actor: Principal, id: string, end: string): Promise<EnrolmentRow> {
    return this.mutate(async (tx) => {
      const e = await this.locked(tx, actor, id);
      if (e.end_on !== null) throw problems.conflict('body.end', 'the enrolment has already ended; correct it with PATCH');
      assertSpan(e.start_on, end, 'body.end');
      await repo.updateEnrolment(tx, id, { end_on: end });
      return this.changed(tx, actor, 'enrolment.end', id, { end_on: end });
    });
  }

  async correct(actor: Principal, id: string, patch: EnrolmentPatch): Promise<EnrolmentRow> {
    return this.mutate(async (tx) => {
      const e = await this.locked(tx, actor, id);
      const update: Partial<EnrolmentFields> = {};
      if (patch.institution !== undefined) {
        const inst = await resolveInstitutionRef(tx, patch.institution, 'body.institution');
        assertMayWrite(actor, inst, 'body.institution');
        update.institution_id = inst.id;
      }
      if (patch.start !== undefined) update.start_on = patch.start;
      if (patch.end !== undefined) update.end_on = patch.end;
      const end = update.end_on !== undefined ? update.end_on : e.end_on;
      assertSpan(update.start_on ?? e.start_on, end, patch.end !== undefined ? 'body.end' : 'body.start');
      await repo.updateEnrolment(tx, id, update);
      return this.changed(tx, actor, 'enrolment.correct', id, update);
    });
  }

  /** For an enrolment entered by mistake; the audit record keeps what it was. */
  async remove(actor: Principal, id: string): Promise<void> {
    await this.mutate(async (tx) => {
      const e = await this.locked(tx, actor, id);
      await repo.deleteEnrolment(tx, id);
      await childChanged(tx, e.child_id, this.deps.clock());
      await recordAudit(
        tx,
        actor,
        'enrolment.delete',
        { type: 'enrolment', id },
        {
          child_id: e.child_id,
          institution_id: e.institution_id,
          start: e.start_on,
          end: e.end_on,
        },
      );
    });
  }

  /** One transaction per change; the settle jobs it recorded are dispatched once it commits. */
  private async mutate<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    const result = await this.deps.db.transaction().execute(fn);
    this.deps.afterCommit();
    return result;
  }

  /** The enrolment to change, locked; one outside an integration's scope is "not found", as an unknown id. */
  private async locked(tx: Executor, actor: Principal, id: string): Promise<EnrolmentRow> {
    assertMayWriteEnrolments(actor);
    const e = await repo.getEnrolment(tx, id, true);
    if (!e || (actor.role !== 'admin' && !inScope(actor, enrolmentInstitution(e)))) throw problems.notFound('The enrolment', 'params.id');
    return e;
  }

  /** Every change of an enrolment may change the child's awards: re-settle them in the same transaction. */
  private async changed(tx: Executor, actor: Principal, action: string, id: string, details: Partial<EnrolmentFields>): Promise<EnrolmentRow> {
    const e = (await repo.getEnrolment(tx, id))!;
    await childChanged(tx, e.child_id, this.deps.clock());
    await recordAudit(tx, actor, action, { type: 'enrolment', id }, details);
    return e;
  }
}

const enrolmentInstitution = (e: EnrolmentRow): InstitutionIdentity => ({ id: e.institution_id, code: e.institution_code });
