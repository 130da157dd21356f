import { generateApiKey, type Role } from '../auth/api-key.js';
import type { IntegrationScope, Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { problems, type FieldError } from '../domain/problem.js';
import { ApiKeyRepository, type ApiKeyRow } from '../repositories/api-keys.js';
import { findInstitutionByRef } from '../repositories/institutions.js';
import { missingMeasurementKinds } from '../repositories/kinds.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';
import { resolveInstitutionRef } from './institutions.js';

export interface ApiKeyInput {
  name: string;
  role: Role;
  /** Institution id or code; required for (and only for) institution keys. */
  institution?: string | undefined;
  /** Required for (and only for) integration keys; institutions by id or code. */
  scope?: IntegrationScope | undefined;
}

export class ApiKeyService {
  private readonly repo: ApiKeyRepository;

  constructor(private readonly deps: ServiceDeps) {
    this.repo = new ApiKeyRepository(deps.db);
  }

  /** Creates a key and returns it in full: the only time it is ever shown (only its hash is stored). */
  async create(actor: Principal, input: ApiKeyInput): Promise<ApiKeyRow & { key: string }> {
    const errors: FieldError[] = [];
    // `field` is required for keys of `role` and meaningless (so rejected) for any other.
    const needs = (field: 'institution' | 'scope', role: Role) => {
      if ((input.role === role) === (input[field] !== undefined)) return;
      const message = input.role === role ? `is required for ${role} keys` : `is only for ${role} keys`;
      errors.push({ field: `body.${field}`, message });
    };
    needs('institution', 'institution');
    // Explicit scope, even if it is "everything": integration keys should be least-privilege by choice.
    needs('scope', 'integration');
    if (errors.length) throw problems.invalidMany(errors, 'The API key is not valid.');

    const generated = generateApiKey();
    return this.deps.db.transaction().execute(async (tx) => {
      const institutionId = input.institution ? (await resolveInstitutionRef(tx, input.institution, 'body.institution')).id : null;
      const scope = input.scope ? await this.normaliseScope(tx, input.scope) : null;
      const row = await this.repo.insert(tx, {
        id: generated.id,
        name: input.name,
        role: input.role,
        secretHash: generated.secretHash,
        institutionId,
        scope,
        createdBy: actor.keyId,
      });
      await recordAudit(tx, actor, 'api_key.create', { type: 'api_key', id: row.id }, { role: row.role, name: row.name });
      return { ...row, key: generated.key };
    });
  }

  async get(id: string): Promise<ApiKeyRow> {
    const row = await this.repo.get(id);
    if (!row) throw problems.notFound('The API key', 'params.id');
    return row;
  }

  async list(q: PageQuery) {
    const rows = await this.repo.list({ after: decodeCursor(q.cursor), limit: q.limit + 1 });
    return pageOf(rows, q.limit, (k) => k.id);
  }

  /** Effective at once: principal caches drop the key before this returns (docs/DECISIONS.md). Idempotent. */
  async revoke(actor: Principal, id: string): Promise<ApiKeyRow> {
    const revoked = await this.deps.db.transaction().execute(async (tx) => {
      const row = await this.repo.revoke(tx, id, this.deps.clock());
      if (row) await recordAudit(tx, actor, 'api_key.revoke', { type: 'api_key', id });
      return row;
    });
    if (revoked) await this.repo.revoked(id);
    return revoked ?? this.get(id);
  }

  /**
   * Scope entries are checked, so a typo cannot silently deny (or, once someone creates that
   * code, grant) access; institutions are stored by id so renaming a code changes nothing.
   */
  private async normaliseScope(tx: Executor, scope: IntegrationScope): Promise<IntegrationScope> {
    const errors: FieldError[] = [];
    const kinds = scope.kinds === null ? null : [...new Set(scope.kinds)];
    for (const kind of kinds ? await missingMeasurementKinds(tx, kinds) : []) {
      errors.push({ field: `body.scope.kinds.${scope.kinds!.indexOf(kind)}`, message: 'is not a known measurement kind' });
    }
    let institutions: string[] | null = null;
    if (scope.institutions !== null) {
      institutions = [];
      for (const [i, ref] of scope.institutions.entries()) {
        const inst = await findInstitutionByRef(tx, ref);
        if (inst) institutions.push(inst.id);
        else errors.push({ field: `body.scope.institutions.${i}`, message: 'is not a known institution (id or code)' });
      }
      institutions = [...new Set(institutions)];
    }
    if (errors.length) throw problems.invalidMany(errors, 'The scope is not valid.');
    return { kinds, institutions, enrolments: scope.enrolments };
  }
}
