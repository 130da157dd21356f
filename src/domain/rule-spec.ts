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

export const ruleVersionSchema = z
  .strictObject({
    effective_from: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD'),
    predicate: predicateSchema,
    amount: z.union([
      z.strictObject({ fixed_ore: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
      z.strictObject({ value_bp: bp }),
    ]),
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

type KindShape = { value_type: 'enum' | 'number' | 'boolean'; allowed_values: string[] | null };

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
export function checkVersion(
  spec: z.output<typeof ruleVersionSchema>,
  path: string,
  kind: KindShape,
  institutionKinds: ReadonlySet<string>,
): FieldError[] {
  const errors = checkWindows(spec, path, institutionKinds);
  const err = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  if (spec.age_basis === 'seasons' && !spec.season_start) err('season_start', 'is required with age_basis seasons');
  errors.push(...checkPredicate(spec.predicate, `${path}.predicate`, kind));
  if ('value_bp' in spec.amount && kind.value_type !== 'number') err('amount.value_bp', 'needs a number kind');
  return errors;
}

export function toSpec(spec: z.output<typeof ruleVersionSchema>): RuleVersionSpec {
  return {
    effective_from: spec.effective_from,
    predicate: spec.predicate,
    amount: spec.amount,
    multipliers: spec.multipliers,
    age_basis: spec.age_basis,
    season_start: spec.season_start ?? null,
    windows: spec.windows,
    unattributed: spec.unattributed,
    review_days: spec.review_days,
  };
}
