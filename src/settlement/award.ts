/**
 * One award: one rule version applied to one measurement (SETTLEMENT.md §3–§5).
 * Pure: everything it needs is in the input, and the explanation lets an auditor redo it.
 */
import { floorDiv, toDecimal, toFraction, type Rational } from './rational.js';
import { evaluatePredicate } from './predicate.js';
import { roundLargestRemainder, type RoundedPart } from './rounding.js';
import { splitAward, type AwardSplit, type Redirection } from './split.js';
import { fromDayNumber } from './dates.js';
import type {
  AmountSpec,
  AwardInput,
  AwardResult,
  ExactValue,
  Explanation,
  MeasurementValue,
  Multiplier,
  NotEarnedReason,
  Payout,
  RuleVersionSpec,
} from './types.js';

const BP_PER_UNIT = 10000n;

/** Decimal places of the human-readable renderings in explanations (truncated, see toDecimal). */
const EXPLANATION_DECIMALS = 6;

/**
 * `held`: whether the rule's condition holds, when the caller decided it (a composite rule, §11,
 * evaluates one predicate per requirement); otherwise the version's predicate on the value.
 */
export function computeAward(input: AwardInput, held?: boolean): AwardResult {
  const { version, measurement, child } = input;
  assertValidVersion(version);

  if (held === undefined && !version.predicate) throw new RangeError('a single-kind rule version needs a predicate');
  if (!(held ?? evaluatePredicate(version.predicate!, measurement.value))) return notEarned(input, 'predicate_not_met');
  const baseOre = baseAmountOre(version.amount, measurement.value);
  if (baseOre === null) return notEarned(input, 'value_not_ore');

  const multiplier = firstMatchingMultiplier(version.multipliers, child.attributes);
  const amountOre = multiplier === null ? baseOre : floorDiv(baseOre * BigInt(multiplier.factor_bp), BP_PER_UNIT);

  const split = splitAward({
    amountOre,
    version,
    birthDate: child.birth_date,
    measuredOn: measurement.measured_on,
    enrolments: input.enrolments,
    institutions: input.institutions,
  });
  const rounded = roundLargestRemainder(
    amountOre,
    split.payees.map((payee) => ({ code: payee.code, exact: payee.exactOre })),
    split.retainedOre,
  );

  const payouts: Payout[] = [];
  split.payees.forEach((payee, index) => {
    const amount = (rounded.payees[index] as RoundedPart).amount;
    // split.payees is already in code order, so payouts are too.
    if (amount !== 0n) payouts.push({ institution_id: payee.institutionId, code: payee.code, amount_ore: amount });
  });

  return {
    earned: true,
    reason: null,
    amount_ore: amountOre,
    payouts,
    retained_ore: rounded.retained.amount,
    explanation: explain(input, baseOre, multiplier, amountOre, split, rounded.payees, rounded.retained),
  };
}

/**
 * §3 amount: `fixed_ore`, or `value_bp` = floor(value × B / 10000), which needs the value to
 * be a non-negative whole number of øre (a safe integer, so it was represented exactly).
 * Returns null when the value cannot be read as øre.
 */
export function baseAmountOre(amount: AmountSpec, value: MeasurementValue): bigint | null {
  if ('fixed_ore' in amount) return BigInt(amount.fixed_ore);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return null;
  return floorDiv(BigInt(value) * BigInt(amount.value_bp), BP_PER_UNIT);
}

/**
 * §3 multipliers: the first, in rule order, whose child attribute strictly equals `equals`.
 * A missing attribute matches nothing (not even `equals: null`).
 */
export function firstMatchingMultiplier(multipliers: readonly Multiplier[], attributes: Readonly<Record<string, unknown>>): Multiplier | null {
  for (const multiplier of multipliers) {
    if (Object.hasOwn(attributes, multiplier.attribute) && attributes[multiplier.attribute] === multiplier.equals) {
      return multiplier;
    }
  }
  return null;
}

/**
 * Rule versions are validated when published; this re-checks what would otherwise produce
 * nonsense money (negative amounts, shares over 100 %) instead of silently computing it.
 */
function assertValidVersion(version: RuleVersionSpec): void {
  const amount = version.amount;
  if ('fixed_ore' in amount) assertNonNegativeInteger('amount.fixed_ore', amount.fixed_ore);
  else assertNonNegativeInteger('amount.value_bp', amount.value_bp);
  for (const multiplier of version.multipliers) assertNonNegativeInteger('multipliers.factor_bp', multiplier.factor_bp);
  let shares = 0;
  for (const window of version.windows) {
    assertNonNegativeInteger('windows.share_bp', window.share_bp);
    // from = to is an empty window (its share is retained); to < from has no meaning.
    if (!Number.isInteger(window.from) || !Number.isInteger(window.to) || window.to < window.from) {
      throw new RangeError(`window bounds must be integers with from ≤ to: ${window.from}–${window.to}`);
    }
    shares += window.share_bp;
  }
  if (shares > 10000) throw new RangeError(`window shares sum to ${shares} bp, more than 10000`);
}

function assertNonNegativeInteger(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${field} must be a non-negative integer: ${value}`);
}

function notEarned(input: AwardInput, reason: NotEarnedReason): AwardResult {
  const { version, measurement } = input;
  const zero: ExactValue = exactValue({ num: 0n, den: 1n });
  return {
    earned: false,
    reason,
    amount_ore: 0n,
    payouts: [],
    retained_ore: 0n,
    explanation: {
      rule_version: { effective_from: version.effective_from },
      measurement: { value: measurement.value, measured_on: measurement.measured_on },
      earned: false,
      reason,
      base_amount_ore: 0,
      multiplier: null,
      amount_ore: 0,
      age_basis: version.age_basis,
      unattributed: version.unattributed,
      windows: [],
      payees: [],
      retained_from_closed: [],
      retained: { exact_ore: zero, floor_ore: 0, rounding_adjustment_ore: 0, amount_ore: 0 },
    },
  };
}

function explain(
  input: AwardInput,
  baseOre: bigint,
  multiplier: Multiplier | null,
  amountOre: bigint,
  split: AwardSplit,
  roundedPayees: readonly RoundedPart[],
  roundedRetained: RoundedPart,
): Explanation {
  const { version, measurement } = input;
  return {
    rule_version: { effective_from: version.effective_from },
    measurement: { value: measurement.value, measured_on: measurement.measured_on },
    earned: true,
    reason: null,
    base_amount_ore: toSafeNumber(baseOre),
    multiplier:
      multiplier === null
        ? null
        : {
            attribute: multiplier.attribute,
            equals: multiplier.equals,
            factor_bp: multiplier.factor_bp,
            amount_before_ore: toSafeNumber(baseOre),
            amount_after_ore: toSafeNumber(amountOre),
          },
    amount_ore: toSafeNumber(amountOre),
    age_basis: version.age_basis,
    unattributed: version.unattributed,
    windows: split.windows.map((window) => ({
      from: window.spec.from,
      to: window.spec.to,
      share_bp: window.spec.share_bp,
      kinds: [...window.spec.kinds],
      start: fromDayNumber(window.range.start),
      end: fromDayNumber(window.range.end),
      days: window.days,
      attributable_days: window.attributableDays,
      attributed_days: exactValue({ num: BigInt(window.attributedDays), den: 1n }),
      unattributed_days: exactValue({ num: BigInt(window.days - window.attributedDays), den: 1n }),
      institutions: window.institutions.map((share) => ({
        institution_id: share.institutionId,
        code: share.code,
        days: exactValue(share.days),
        exact_share_ore: exactValue(share.exactOre),
      })),
    })),
    payees: split.payees.map((payee, index) => {
      const rounded = roundedPayees[index] as RoundedPart;
      return {
        institution_id: payee.institutionId,
        code: payee.code,
        exact_ore: exactValue(payee.exactOre),
        floor_ore: toSafeNumber(rounded.floor),
        rounding_adjustment_ore: toSafeNumber(rounded.adjustment),
        amount_ore: toSafeNumber(rounded.amount),
        redirected_from: payee.redirectedFrom.map(explainRedirection),
      };
    }),
    retained_from_closed: split.retainedFromClosed.map(explainRedirection),
    retained: {
      exact_ore: exactValue(roundedRetained.exact),
      floor_ore: toSafeNumber(roundedRetained.floor),
      rounding_adjustment_ore: toSafeNumber(roundedRetained.adjustment),
      amount_ore: toSafeNumber(roundedRetained.amount),
    },
  };
}

function explainRedirection(redirection: Redirection): { code: string; via: string[]; exact_ore: ExactValue } {
  return { code: redirection.code, via: redirection.via, exact_ore: exactValue(redirection.exactOre) };
}

export function exactValue(value: Rational): ExactValue {
  return { fraction: toFraction(value), decimal: toDecimal(value, EXPLANATION_DECIMALS) };
}

/** Explanations are JSON (no bigint); refuse to round an amount silently through a double. */
function toSafeNumber(value: bigint): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RangeError(`amount ${value} øre is too large for an explanation`);
  return result;
}
