import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { problems } from '../domain/problem.js';
import * as repo from '../repositories/institutions.js';
import type { InstitutionFields, InstitutionRow } from '../repositories/institutions.js';
import { institutionKindExists } from '../repositories/kinds.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';
import { institutionChanged } from './triggers.js';

export interface InstitutionInput {
  code: string;
  kind: string;
  name?: string | undefined;
  municipality?: string | null | undefined;
  closed_on?: string | null | undefined;
  /** Another institution's code or id. */
  successor?: string | null | undefined;
}

export type InstitutionPatch = Partial<InstitutionInput>;

/** An institution given by id or code, or a 422 naming the request field that referred to it. */
export async function resolveInstitutionRef(db: Executor, ref: string, field: string): Promise<InstitutionRow> {
  const row = await repo.findInstitutionByRef(db, ref);
  if (!row) throw problems.invalid(field, 'is not a known institution (id or code)');
  return row;
}

async function assertKind(db: Executor, kind: string | undefined): Promise<void> {
  if (kind !== undefined && !(await institutionKindExists(db, kind))) {
    throw problems.invalid('body.kind', 'is not a known institution kind (see /v1/institution-kinds)');
  }
}

// Fields whose change can alter existing awards: eligibility (kind), payee (closure, successor)
// and the rounding tie-break, which orders payees by code.
const SETTLEMENT_FIELDS = ['code', 'kind', 'closed_on', 'successor_id'] as const;

export class InstitutionService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(actor: Principal, input: InstitutionInput): Promise<InstitutionRow> {
    return this.deps.db.transaction().execute(async (tx) => {
      await assertKind(tx, input.kind);
      // A new institution has no predecessors yet, so its successor cannot close a cycle.
      const successor = input.successor ? await resolveInstitutionRef(tx, input.successor, 'body.successor') : null;
      const id = await repo.insertInstitution(tx, {
        code: input.code,
        kind: input.kind,
        name: input.name ?? input.code,
        municipality: input.municipality ?? null,
        closed_on: input.closed_on ?? null,
        successor_id: successor?.id ?? null,
      });
      await recordAudit(tx, actor, 'institution.create', { type: 'institution', id }, { code: input.code });
      return (await repo.getInstitution(tx, id))!;
    });
  }

  async get(id: string): Promise<InstitutionRow> {
    const row = await repo.getInstitution(this.deps.db, id);
    if (!row) throw problems.notFound('The institution', 'params.id');
    return row;
  }

  async list(q: PageQuery & { kind?: string | undefined }) {
    const rows = await repo.listInstitutions(this.deps.db, {
      after: decodeCursor(q.cursor),
      limit: q.limit + 1,
      kind: q.kind,
    });
    return pageOf(rows, q.limit, (i) => i.code);
  }

  update(actor: Principal, id: string, patch: InstitutionPatch): Promise<InstitutionRow> {
    return this.change(actor, id, patch, 'institution.update');
  }

  /** Closing is an update of closed_on (and optionally successor), audited as its own action. */
  close(actor: Principal, id: string, input: { closed_on: string; successor?: string | null | undefined }) {
    return this.change(actor, id, input, 'institution.close');
  }

  private async change(actor: Principal, id: string, patch: InstitutionPatch, action: string): Promise<InstitutionRow> {
    let changed = false;
    const result = await this.deps.db.transaction().execute(async (tx) => {
      const before = await repo.lockInstitution(tx, id);
      if (!before) throw problems.notFound('The institution', 'params.id');
      await assertKind(tx, patch.kind);
      const { successor, ...fields } = patch;
      const update: Partial<InstitutionFields> = { ...fields };
      if (successor !== undefined) update.successor_id = await this.successorFor(tx, id, successor);
      await repo.updateInstitution(tx, id, update);
      changed = SETTLEMENT_FIELDS.some((f) => update[f] !== undefined && update[f] !== before[f]);
      // Awards already computed for children of this institution may now pay someone else.
      if (changed) await institutionChanged(tx, id, this.deps.clock());
      await recordAudit(tx, actor, action, { type: 'institution', id }, { fields: Object.keys(patch) });
      return (await repo.getInstitution(tx, id))!;
    });
    if (changed) this.deps.afterCommit();
    return result;
  }

  /** Resolves a new successor of `id`, refusing the institution itself and any cycle. */
  private async successorFor(tx: Executor, id: string, ref: string | null): Promise<string | null> {
    if (ref === null) return null;
    const successor = await resolveInstitutionRef(tx, ref, 'body.successor');
    if (successor.id === id) throw problems.invalid('body.successor', 'cannot be the institution itself');
    await repo.lockSuccessorGraph(tx);
    // Payees are found by following successors, so a cycle would never end on an open institution.
    if ((await repo.successorChain(tx, successor.id)).includes(id)) {
      throw problems.invalid('body.successor', 'would make a cycle of successors');
    }
    return successor.id;
  }
}
