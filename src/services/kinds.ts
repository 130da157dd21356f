import type { Principal } from '../auth/principal.js';
import { decodeCursor, pageOf } from '../http/pagination.js';
import { problems, type FieldError } from '../http/problem.js';
import * as repo from '../repositories/kinds.js';
import type { InstitutionKindRow, MeasurementKindRow } from '../repositories/kinds.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';

export interface MeasurementKindInput {
  key: string;
  type: MeasurementKindRow['value_type'];
  values?: string[] | undefined;
  min?: number | undefined;
  max?: number | undefined;
  description?: string | null | undefined;
}

/** Which optional fields each value type takes: anything else would be silently meaningless. */
function kindErrors(k: MeasurementKindInput): FieldError[] {
  const errors: FieldError[] = [];
  const forbid = (field: 'values' | 'min' | 'max') => {
    if (k[field] !== undefined) errors.push({ field: `body.${field}`, message: `is not allowed for type ${k.type}` });
  };
  if (k.type === 'enum') {
    if (!k.values?.length) errors.push({ field: 'body.values', message: 'is required (non-empty) for type enum' });
    else if (new Set(k.values).size !== k.values.length) errors.push({ field: 'body.values', message: 'must be unique' });
    forbid('min');
    forbid('max');
  } else {
    forbid('values');
    if (k.type === 'boolean') {
      forbid('min');
      forbid('max');
    } else if (k.min !== undefined && k.max !== undefined && k.min > k.max) {
      errors.push({ field: 'body.max', message: 'must not be less than min' });
    }
  }
  return errors;
}

/** Measurement kinds (what integrations may submit) and institution kinds (what windows refer to). */
export class KindService {
  constructor(private readonly deps: ServiceDeps) {}

  async createMeasurementKind(actor: Principal, input: MeasurementKindInput): Promise<MeasurementKindRow> {
    const errors = kindErrors(input);
    if (errors.length) throw problems.invalidMany(errors, 'The measurement kind is not valid.');
    return this.deps.db.transaction().execute(async (tx) => {
      const kind = await repo.insertMeasurementKind(tx, {
        key: input.key,
        type: input.type,
        values: input.values ?? null,
        min: input.min ?? null,
        max: input.max ?? null,
        description: input.description ?? null,
      });
      await recordAudit(tx, actor, 'measurement_kind.create', { type: 'measurement_kind', id: kind.key });
      return kind;
    });
  }

  async getMeasurementKind(key: string): Promise<MeasurementKindRow> {
    const kind = await repo.getMeasurementKind(this.deps.db, key);
    if (!kind) throw problems.notFound('The measurement kind', 'params.key');
    return kind;
  }

  async listMeasurementKinds(q: PageQuery) {
    const rows = await repo.listMeasurementKinds(this.deps.db, { after: decodeCursor(q.cursor), limit: q.limit + 1 });
    return pageOf(rows, q.limit, (k) => k.key);
  }

  async createInstitutionKind(actor: Principal, input: { key: string; label: string }): Promise<InstitutionKindRow> {
    return this.deps.db.transaction().execute(async (tx) => {
      const kind = await repo.insertInstitutionKind(tx, input);
      await recordAudit(tx, actor, 'institution_kind.create', { type: 'institution_kind', id: kind.key });
      return kind;
    });
  }

  async listInstitutionKinds(q: PageQuery) {
    const rows = await repo.listInstitutionKinds(this.deps.db, { after: decodeCursor(q.cursor), limit: q.limit + 1 });
    return pageOf(rows, q.limit, (k) => k.key);
  }
}
