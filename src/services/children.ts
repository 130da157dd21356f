import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { parseCpr, type CprHash } from '../domain/cpr.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { problems } from '../domain/problem.js';
import * as repo from '../repositories/children.js';
import type { AttributeValue, ChildRow } from '../repositories/children.js';
import { recordAudit } from './audit.js';
import { businessDate } from './business-date.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';
import { institutionScopeOf } from './scope.js';
import { childChanged } from './triggers.js';

export interface ChildPatch {
  /** Never stored: only its keyed HMAC is. */
  cpr?: string | undefined;
  birth_date?: string | undefined;
  external_ref?: string | null | undefined;
  /** Replaces the whole attribute object. */
  attributes?: Record<string, AttributeValue> | undefined;
}

/** A valid CPR or a 422 naming body.cpr (the reason never repeats the number). */
function normalisedCpr(cpr: string): { normalised: string; birthDate: string } {
  const parsed = parseCpr(cpr);
  if (!parsed.ok) throw problems.invalid('body.cpr', parsed.reason);
  return parsed;
}

export class ChildService {
  constructor(private readonly deps: ServiceDeps) {}

  async register(actor: Principal, input: ChildPatch): Promise<ChildRow> {
    return this.deps.db.transaction().execute(async (tx) => {
      const identity = await this.identity(tx, input, null);
      if (!identity.birth_date) throw problems.invalid('body.birth_date', 'is required unless cpr is given');
      const id = await repo.insertChild(tx, {
        external_ref: input.external_ref ?? null,
        birth_date: identity.birth_date,
        attributes: input.attributes ?? {},
        cpr: identity.cpr ?? null,
      });
      await recordAudit(tx, actor, 'child.register', { type: 'child', id }, { has_cpr: !!identity.cpr });
      return (await repo.getChild(tx, id))!;
    });
  }

  /** An integration with an institution scope sees only children enrolled there; another is "not found". */
  async get(actor: Principal, id: string): Promise<ChildRow> {
    const child = await repo.getChild(this.deps.db, id, false, institutionScopeOf(actor));
    if (!child) throw problems.notFound('The child', 'params.id');
    return child;
  }

  async list(q: PageQuery & { external_ref?: string | undefined }) {
    const rows = await repo.listChildren(this.deps.db, {
      after: decodeCursor(q.cursor),
      limit: q.limit + 1,
      externalRef: q.external_ref,
    });
    return pageOf(rows, q.limit, (c) => c.id);
  }

  /**
   * Finds a child by CPR under any key of the keyring. A match under an older key is moved to
   * the active key, so a retired key stops being needed once every child has been seen. An
   * integration with an institution scope finds only children enrolled there: a child outside
   * it is answered exactly as an unregistered CPR (DECISIONS 62).
   */
  async lookup(actor: Principal, cpr: string): Promise<ChildRow> {
    const { normalised } = normalisedCpr(cpr);
    return this.deps.db.transaction().execute(async (tx) => {
      const found = await repo.findChildByCpr(tx, this.deps.cpr.candidates(normalised), institutionScopeOf(actor));
      if (!found) throw problems.notFound('A child with this CPR', 'body.cpr');
      const stale = found.cpr_key_id !== this.deps.cpr.activeKeyId;
      if (stale) await repo.rehashCpr(tx, found.id, this.deps.cpr.hash(normalised));
      // Who looked up whom is worth an audit record, even though nothing about the child changed.
      await recordAudit(tx, actor, 'child.lookup', { type: 'child', id: found.id }, stale ? { rekeyed_from: found.cpr_key_id } : {});
      const { cpr_key_id: _, ...child } = found;
      return child;
    });
  }

  async update(actor: Principal, id: string, patch: ChildPatch): Promise<ChildRow> {
    // Birth date and attributes are inputs of awards (windows, multipliers).
    const affectsAwards = patch.cpr !== undefined || patch.birth_date !== undefined || patch.attributes !== undefined;
    const result = await this.deps.db.transaction().execute(async (tx) => {
      const before = await repo.getChild(tx, id, true);
      if (!before) throw problems.notFound('The child', 'params.id');
      const identity = await this.identity(tx, patch, before);
      await repo.updateChild(tx, id, {
        ...(identity.birth_date !== undefined ? { birth_date: identity.birth_date } : {}),
        ...(identity.cpr ? { cpr: identity.cpr } : {}),
        ...(patch.external_ref !== undefined ? { external_ref: patch.external_ref } : {}),
        ...(patch.attributes !== undefined ? { attributes: patch.attributes } : {}),
      });
      if (affectsAwards) await childChanged(tx, id, this.deps.clock());
      await recordAudit(tx, actor, 'child.update', { type: 'child', id }, { fields: Object.keys(patch) });
      return (await repo.getChild(tx, id))!;
    });
    if (affectsAwards) this.deps.afterCommit();
    return result;
  }

  /**
   * The birth date and CPR hash to store. With a CPR the birth date is derived from it (§9) and
   * a given birth_date must agree; a CPR already registered to another child is a conflict,
   * whichever key it was hashed with. A child with a CPR keeps the derived birth date.
   */
  private async identity(tx: Executor, input: ChildPatch, self: ChildRow | null): Promise<{ birth_date?: string; cpr?: CprHash }> {
    if (input.cpr === undefined) {
      if (input.birth_date !== undefined && self?.has_cpr && input.birth_date !== self.birth_date) {
        throw problems.invalid('body.birth_date', 'is derived from the CPR; give the cpr to change it');
      }
      if (input.birth_date !== undefined) this.assertBorn(input.birth_date, 'body.birth_date');
      return input.birth_date !== undefined ? { birth_date: input.birth_date } : {};
    }
    const { normalised, birthDate } = normalisedCpr(input.cpr);
    if (input.birth_date !== undefined && input.birth_date !== birthDate) {
      throw problems.invalid('body.birth_date', 'does not match the birth date in the CPR');
    }
    this.assertBorn(birthDate, 'body.cpr');
    const existing = await repo.findChildByCpr(tx, this.deps.cpr.candidates(normalised));
    if (existing && existing.id !== self?.id) throw problems.conflict('body.cpr', 'a child with this CPR exists');
    return { birth_date: birthDate, cpr: this.deps.cpr.hash(normalised) };
  }

  /** A child not yet born cannot have been raised by anyone (and a CPR from the future is a typo). */
  private assertBorn(birthDate: string, field: string): void {
    if (birthDate > businessDate(this.deps.clock(), this.deps.timeZone)) {
      throw problems.invalid(field, 'is in the future');
    }
  }
}
