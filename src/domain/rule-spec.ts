import { z } from 'zod';
import { isIsoDate } from '../settlement/dates.js';
import type { RuleVersionSpec } from '../settlement/types.js';
import type { FieldError } from '../http/problem.js';

/** The wire shape of a rule version (SETTLEMENT.md §3); defaults are filled in here. */
const scalar = z.union([z.string().max(200), z.number(), z.boolean()]);
const bp = z.number().int().min(0).max(10_000_000);

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
          from: z.number().int().min(0).max(150),
          to: z.number().int().min(0).max(150),
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
 * Checks beyond the shape: shares ≤ 10000 in total, `to` > `from`, known institution kinds,
 * a season start for the seasons basis, and a predicate that fits the measurement kind.
 */
export function checkVersion(
  spec: z.output<typeof ruleVersionSchema>,
  path: string,
  kind: { value_type: 'enum' | 'number' | 'boolean'; allowed_values: string[] | null },
  institutionKinds: ReadonlySet<string>,
): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  const total = spec.windows.reduce((s, w) => s + w.share_bp, 0);
  if (total > 10000) err('windows', `shares sum to ${total} bp, more than 10000`);
  spec.windows.forEach((w, i) => {
    if (w.to <= w.from) err(`windows.${i}.to`, 'must be greater than from');
    w.kinds.forEach((k, j) => {
      if (!institutionKinds.has(k)) err(`windows.${i}.kinds.${j}`, `unknown institution kind '${k}'`);
    });
  });
  if (spec.age_basis === 'seasons' && !spec.season_start) err('season_start', 'is required with age_basis seasons');
  const p = spec.predicate;
  const values = p.op === 'in' ? p.values : p.op === 'eq' ? [p.value] : [];
  if (kind.value_type === 'number') {
    if (values.some((v) => typeof v !== 'number')) err('predicate', 'compares a number kind with a non-number');
  } else if (p.op !== 'eq' && p.op !== 'in') {
    err('predicate.op', `'${p.op}' needs a number kind`);
  } else if (kind.value_type === 'boolean') {
    if (values.some((v) => typeof v !== 'boolean')) err('predicate', 'compares a boolean kind with a non-boolean');
  } else if (values.some((v) => typeof v !== 'string' || !kind.allowed_values?.includes(v))) {
    err('predicate', 'uses a value that is not one of the kind\'s values');
  }
  if (p.op === 'between' && p.min > p.max) err('predicate.max', 'must not be less than min');
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
