import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { problems, type FieldError } from '../domain/problem.js';
import * as repo from '../repositories/kinds.js';
import type { InstitutionKindRow, KindPeriodRow, MeasurementKindRow, PeriodWrite } from '../repositories/kinds.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';

export interface PeriodInput {
  period: string;
  basis: 'age' | 'grade';
  grade?: number | undefined;
  from_months: number;
  to_months: number;
  typical_months?: number | undefined;
  early_years?: number | undefined;
  late_years?: number | undefined;
  valid_from?: string | null | undefined;
  valid_to?: string | null | undefined;
  description?: string | null | undefined;
}

export interface MeasurementKindInput {
  key: string;
  type: MeasurementKindRow['value_type'];
  values?: string[] | undefined;
  min?: number | undefined;
  max?: number | undefined;
  description?: string | null | undefined;
  unit?: string | null | undefined;
  source?: string | null | undefined;
  family?: string | null | undefined;
  valid_from?: string | null | undefined;
  valid_to?: string | null | undefined;
  periods?: PeriodInput[] | undefined;
}

export type KindWithPeriods = MeasurementKindRow & { periods: KindPeriodRow[] };

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
  if (k.valid_from && k.valid_to && k.valid_from >= k.valid_to) errors.push({ field: 'body.valid_to', message: 'must be after valid_from' });
  const names = new Set<string>();
  (k.periods ?? []).forEach((p, i) => {
    if (names.has(p.period)) errors.push({ field: `body.periods.${i}.period`, message: `period '${p.period}' is listed twice` });
    names.add(p.period);
    errors.push(...periodErrors(p, `body.periods.${i}`));
  });
  return errors;
}

/** A period's fields must agree: a grade only with basis grade, a non-empty range, the typical month inside it. */
export function periodErrors(p: PeriodInput, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  if (p.basis === 'grade' && p.grade === undefined) err('grade', 'is required with basis grade');
  if (p.basis === 'age') {
    if (p.grade !== undefined) err('grade', 'is only allowed with basis grade');
    if (p.early_years || p.late_years) err(p.early_years ? 'early_years' : 'late_years', 'is only allowed with basis grade');
  }
  if (p.to_months <= p.from_months) err('to_months', 'must be greater than from_months');
  else if (p.typical_months !== undefined && (p.typical_months < p.from_months || p.typical_months >= p.to_months)) {
    err('typical_months', 'must lie in [from_months, to_months)');
  }
  if (p.valid_from && p.valid_to && p.valid_from >= p.valid_to) err('valid_to', 'must be after valid_from');
  return errors;
}

export function toPeriodWrite(p: PeriodInput, origin: 'api' | 'catalogue'): PeriodWrite {
  return {
    period: p.period,
    basis: p.basis,
    grade: p.basis === 'grade' ? (p.grade ?? null) : null,
    from_months: p.from_months,
    to_months: p.to_months,
    typical_months: p.typical_months ?? p.from_months,
    early_years: p.early_years ?? 0,
    late_years: p.late_years ?? 0,
    valid_from: p.valid_from ?? null,
    valid_to: p.valid_to ?? null,
    description: p.description ?? null,
    origin,
  };
}

function toKindWrite(input: MeasurementKindInput): repo.KindWrite {
  return {
    key: input.key,
    type: input.type,
    values: input.values ?? null,
    min: input.min ?? null,
    max: input.max ?? null,
    description: input.description ?? null,
    unit: input.unit ?? null,
    source: input.source ?? null,
    family: input.family ?? null,
    valid_from: input.valid_from ?? null,
    valid_to: input.valid_to ?? null,
    origin: 'api',
    catalogue_version: null,
  };
}

async function withPeriods(db: Executor, kinds: MeasurementKindRow[]): Promise<KindWithPeriods[]> {
  const periods = await repo.listPeriods(
    db,
    kinds.map((k) => k.key),
  );
  const byKind = new Map<string, KindPeriodRow[]>();
  for (const p of periods) byKind.set(p.kind_key, [...(byKind.get(p.kind_key) ?? []), p]);
  return kinds.map((k) => ({ ...k, periods: byKind.get(k.key) ?? [] }));
}

/**
 * Measurement kinds (what integrations may submit, with the periods each is measured in) and
 * institution kinds (what windows refer to). The catalogue's kinds are installed on start
 * (services/catalogue.ts); administrators add kinds and periods, and replace a kind while
 * nothing uses it (DECISIONS.md D122).
 */
export class KindService {
  constructor(private readonly deps: ServiceDeps) {}

  async createMeasurementKind(actor: Principal, input: MeasurementKindInput): Promise<KindWithPeriods> {
    const errors = kindErrors(input);
    if (errors.length) throw problems.invalidMany(errors, 'The measurement kind is not valid.');
    return this.deps.db.transaction().execute(async (tx) => {
      const kind = await repo.insertMeasurementKind(tx, toKindWrite(input));
      await repo.insertPeriods(
        tx,
        kind.key,
        (input.periods ?? []).map((p) => toPeriodWrite(p, 'api')),
      );
      await recordAudit(tx, actor, 'measurement_kind.create', { type: 'measurement_kind', id: kind.key });
      return (await withPeriods(tx, [kind]))[0]!;
    });
  }

  /**
   * PUT: replaces an existing kind whole — type, values, range, metadata and periods (none given =
   * no period constraints) — while no measurement and no rule uses it; 409 otherwise, 404 for a
   * kind that does not exist (create it with POST). DECISIONS.md D122.
   */
  async replaceMeasurementKind(actor: Principal, input: MeasurementKindInput): Promise<KindWithPeriods> {
    const errors = kindErrors(input);
    if (errors.length) throw problems.invalidMany(errors, 'The measurement kind is not valid.');
    return this.deps.db.transaction().execute(async (tx) => {
      if (!(await repo.lockMeasurementKind(tx, input.key))) throw problems.notFound('The measurement kind', 'params.key');
      const use = await repo.kindInUse(tx, input.key);
      if (use.measurements || use.rules) {
        const what = use.measurements ? 'measurements of it are stored' : 'a rule uses it';
        throw problems.conflict('params.key', `The measurement kind cannot be replaced: ${what}. Add periods with POST …/periods instead.`);
      }
      const kind = await repo.replaceMeasurementKind(tx, toKindWrite(input), this.deps.clock());
      await repo.deletePeriods(tx, input.key);
      await repo.insertPeriods(
        tx,
        kind.key,
        (input.periods ?? []).map((p) => toPeriodWrite(p, 'api')),
      );
      await recordAudit(tx, actor, 'measurement_kind.replace', { type: 'measurement_kind', id: kind.key });
      return (await withPeriods(tx, [kind]))[0]!;
    });
  }

  /** Adds one period to a kind (allowed at any time: stored measurements are not re-checked). */
  async addPeriod(actor: Principal, key: string, input: PeriodInput): Promise<KindPeriodRow> {
    const errors = periodErrors(input, 'body');
    if (errors.length) throw problems.invalidMany(errors, 'The period is not valid.');
    return this.deps.db.transaction().execute(async (tx) => {
      const kind = await repo.getMeasurementKind(tx, key);
      if (!kind) throw problems.notFound('The measurement kind', 'params.key');
      await repo.insertPeriods(tx, key, [toPeriodWrite(input, 'api')]);
      await recordAudit(tx, actor, 'measurement_kind.period.create', { type: 'measurement_kind', id: key }, { period: input.period });
      return (await repo.listPeriods(tx, [key])).find((p) => p.period === input.period)!;
    });
  }

  async getMeasurementKind(key: string): Promise<KindWithPeriods> {
    const kind = await repo.getMeasurementKind(this.deps.db, key);
    if (!kind) throw problems.notFound('The measurement kind', 'params.key');
    return (await withPeriods(this.deps.db, [kind]))[0]!;
  }

  async listMeasurementKinds(q: PageQuery & { family?: string | undefined }) {
    const rows = await repo.listMeasurementKinds(this.deps.db, { after: decodeCursor(q.cursor), limit: q.limit + 1, family: q.family });
    const page = pageOf(rows, q.limit, (k) => k.key);
    return { ...page, items: await withPeriods(this.deps.db, page.items) };
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
