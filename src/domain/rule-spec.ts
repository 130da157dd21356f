import { z } from 'zod';
import { isIsoDate } from '../settlement/dates.js';
import type { RuleVersionSpec } from '../settlement/types.js';
import type { FieldError } from './problem.js';

/** The wire shape of a rule version (SETTLEMENT.md §3); defaults are filled in here. */
const scalar = z.union([z.string().max(200), z.number(), z.boolean()]);
const bp = z.number().int().min(0).max(10_000_000);

/** §3: window bounds reach at most 100 years, in the unit of the version's age basis. */
export const MAX_BOUND = { months: 1200, calendar_years: 100, seasons: 100 } as const;

export const predicateSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('eq'), value: scalar }),
  z.strictObject({ op: z.literal('in'), values: z.array(scalar).min(1).max(1000) }),
  z.strictObject({ op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }),
  z.strictObject({ op: z.literal('between'), min: z.number(), max: z.number() }),
]);

/** §11: a requirement's name. */
export const REQUIREMENT_NAME = /^[a-z][a-z0-9_]*$/;
export const MAX_REQUIREMENTS = 20;

const requirementName = z.string().max(63).regex(REQUIREMENT_NAME, 'must match [a-z][a-z0-9_]*');

/** §11 `requires`: name → {kind, period}; 1–20 entries (distinct pairs: checkRequires). */
export const requiresSchema = z
  .record(requirementName, z.strictObject({ kind: z.string().min(1).max(64), period: z.string().trim().min(1).max(64) }))
  .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= MAX_REQUIREMENTS, `must name 1 to ${MAX_REQUIREMENTS} requirements`)
  .meta({ id: 'RuleRequirements' });

export const ruleVersionSchema = z
  .strictObject({
    effective_from: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD'),
    /** A single-kind rule's predicate (§3). */
    predicate: predicateSchema.optional(),
    /** A composite rule's predicates, one per requirement name (§11). */
    predicates: z.record(requirementName, predicateSchema).optional(),
    amount: z.union([z.strictObject({ fixed_ore: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }), z.strictObject({ value_bp: bp })]),
    multipliers: z
      .array(
        z.strictObject({
          attribute: z.string().min(1).max(100),
          equals: z.union([z.string().max(200), z.number(), z.boolean(), z.null()]),
          factor_bp: bp,
        }),
      )
      .max(50)
      .default([]),
    age_basis: z.enum(['months', 'calendar_years', 'seasons']).default('months'),
    season_start: z
      .string()
      .regex(/^\d{2}-\d{2}$/, 'must be MM-DD')
      .refine((s) => isIsoDate(`2000-${s}`), 'is not a day of the year')
      .nullable()
      .optional(),
    windows: z
      .array(
        z.strictObject({
          // §3: up to 100 years — 1,200 in months, 100 in years or seasons (checkWindows).
          from: z.number().int().min(0).max(MAX_BOUND.months),
          to: z.number().int().min(0).max(MAX_BOUND.months),
          share_bp: z.number().int().min(0).max(10000),
          kinds: z.array(z.string().min(1).max(64)).min(1).max(50),
        }),
      )
      .min(1)
      .max(200),
    unattributed: z.enum(['retain', 'redistribute']).default('retain'),
    review_days: z.number().int().min(0).max(3650).default(30),
  })
  .meta({ id: 'RuleVersion' });

export type RuleVersionInput = z.input<typeof ruleVersionSchema>;

/**
 * Window checks of §3 beyond the shape: `0 ≤ from < to` up to 100 years in the age basis' unit
 * (1,200 months, 100 years or seasons), shares ≤ 10000 in total, known institution kinds.
 */
export function checkWindows(
  spec: { age_basis: keyof typeof MAX_BOUND; windows: ReadonlyArray<{ from: number; to: number; share_bp: number; kinds: readonly string[] }> },
  path: string,
  institutionKinds: ReadonlySet<string>,
): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  const total = spec.windows.reduce((s, w) => s + w.share_bp, 0);
  if (total > 10000) err('windows', `shares sum to ${total} bp, more than 10000`);
  const max = MAX_BOUND[spec.age_basis];
  const unit = spec.age_basis === 'months' ? 'months' : spec.age_basis === 'seasons' ? 'seasons' : 'years';
  spec.windows.forEach((w, i) => {
    if (w.from > max) err(`windows.${i}.from`, `must be at most ${max} (${unit}, age_basis ${spec.age_basis})`);
    if (w.to > max) err(`windows.${i}.to`, `must be at most ${max} (${unit}, age_basis ${spec.age_basis})`);
    if (w.to <= w.from) err(`windows.${i}.to`, 'must be greater than from');
    w.kinds.forEach((k, j) => {
      if (!institutionKinds.has(k)) err(`windows.${i}.kinds.${j}`, `unknown institution kind '${k}'`);
    });
  });
  return errors;
}

export type KindShape = { value_type: 'enum' | 'number' | 'boolean'; allowed_values: string[] | null };

/** A predicate must fit its measurement kind: numbers for number kinds, eq/in over the values otherwise. */
export function checkPredicate(p: z.output<typeof predicateSchema>, path: string, kind: KindShape): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field: field ? `${path}.${field}` : path, message });
  const values = p.op === 'in' ? p.values : p.op === 'eq' ? [p.value] : [];
  if (kind.value_type === 'number') {
    if (values.some((v) => typeof v !== 'number')) err('', 'compares a number kind with a non-number');
  } else if (p.op !== 'eq' && p.op !== 'in') {
    err('op', `'${p.op}' needs a number kind`);
  } else if (kind.value_type === 'boolean') {
    if (values.some((v) => typeof v !== 'boolean')) err('', 'compares a boolean kind with a non-boolean');
  } else if (values.some((v) => typeof v !== 'string' || !kind.allowed_values?.includes(v))) {
    err('', "uses a value that is not one of the kind's values");
  }
  if (p.op === 'between' && p.min > p.max) err('max', 'must not be less than min');
  return errors;
}

/**
 * Checks beyond the shape: the windows (checkWindows), a season start for the seasons basis,
 * and a predicate and amount that fit the measurement kind.
 */
export function checkVersion(spec: z.output<typeof ruleVersionSchema>, path: string, kind: KindShape, institutionKinds: ReadonlySet<string>): FieldError[] {
  const errors = checkWindows(spec, path, institutionKinds);
  const err = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  if (spec.age_basis === 'seasons' && !spec.season_start) err('season_start', 'is required with age_basis seasons');
  if (spec.predicates) err('predicates', 'belongs to a composite rule (one with requires); a single-kind rule has one predicate');
  if (!spec.predicate) err('predicate', 'is required (a rule with kind has one predicate)');
  else errors.push(...checkPredicate(spec.predicate, `${path}.predicate`, kind));
  if ('value_bp' in spec.amount && kind.value_type !== 'number') err('amount.value_bp', 'needs a number kind');
  return errors;
}

export type Requires = z.output<typeof requiresSchema>;

/** §11: the requirements' pairs {kind, period} are distinct, and every kind exists. */
export function checkRequires(requires: Requires, path: string, kinds: ReadonlyMap<string, KindShape>): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const [name, r] of Object.entries(requires)) {
    if (!kinds.has(r.kind)) errors.push({ field: `${path}.${name}.kind`, message: `unknown measurement kind '${r.kind}'` });
    const pair = JSON.stringify([r.kind, r.period]);
    const twin = seen.get(pair);
    if (twin) errors.push({ field: `${path}.${name}`, message: `requires the same {kind, period} as '${twin}'` });
    else seen.set(pair, name);
  }
  return errors;
}

/**
 * A composite rule's version (§11): the windows as any version, `predicates` with exactly the
 * requirement names, each fitting its requirement's kind, and a fixed amount.
 */
export function checkCompositeVersion(
  spec: z.output<typeof ruleVersionSchema>,
  path: string,
  requires: Requires,
  kinds: ReadonlyMap<string, KindShape>,
  institutionKinds: ReadonlySet<string>,
): FieldError[] {
  const errors = checkWindows(spec, path, institutionKinds);
  const err = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  if (spec.age_basis === 'seasons' && !spec.season_start) err('season_start', 'is required with age_basis seasons');
  if (spec.predicate) err('predicate', 'belongs to a single-kind rule; a composite rule has predicates, one per requirement');
  if (!('fixed_ore' in spec.amount)) err('amount', 'a composite rule needs a fixed amount (fixed_ore): a value-based amount needs one value');
  if (!spec.predicates) {
    err('predicates', 'is required (a rule with requires has one predicate per requirement)');
    return errors;
  }
  for (const name of Object.keys(requires)) {
    if (!Object.hasOwn(spec.predicates, name)) err(`predicates.${name}`, `is missing: every requirement needs a predicate`);
  }
  for (const [name, p] of Object.entries(spec.predicates)) {
    const r = Object.hasOwn(requires, name) ? requires[name] : undefined;
    if (!r) err(`predicates.${name}`, `is not a requirement of the rule (${Object.keys(requires).join(', ')})`);
    else {
      const kind = kinds.get(r.kind);
      if (kind) errors.push(...checkPredicate(p, `${path}.predicates.${name}`, kind));
    }
  }
  return errors;
}

export function toSpec(spec: z.output<typeof ruleVersionSchema>): RuleVersionSpec {
  return {
    effective_from: spec.effective_from,
    ...(spec.predicate ? { predicate: spec.predicate } : {}),
    ...(spec.predicates ? { predicates: spec.predicates } : {}),
    amount: spec.amount,
    multipliers: spec.multipliers,
    age_basis: spec.age_basis,
    season_start: spec.season_start ?? null,
    windows: spec.windows,
    unattributed: spec.unattributed,
    review_days: spec.review_days,
  };
}
