/**
 * Public API of the pure settlement core (SETTLEMENT.md §3–§6). No I/O: callers load the
 * facts, the core computes the award and its explanation.
 */
export type * from './types.js';

export { computeAward, baseAmountOre, firstMatchingMultiplier, exactValue } from './award.js';
export { evaluatePredicate, selectVersion } from './predicate.js';
export { roundLargestRemainder, compareCodes, type RoundedAward, type RoundedPart } from './rounding.js';
export {
  attributeDays,
  resolvePayee,
  splitAward,
  splitWindow,
  toEnrolmentSpans,
  type AwardSplit,
  type DayAttribution,
  type EnrolmentSpan,
  type InstitutionShare,
  type PayeeResolution,
  type PayeeShare,
  type Redirection,
  type SplitParams,
  type WindowSplit,
} from './split.js';
export {
  parseSeasonStart,
  rangeLength,
  seasonStartOn,
  windowBoundary,
  windowRange,
  windowRangeForBirthDate,
  type DayRange,
  type SeasonStart,
} from './windows.js';
export {
  addMonths,
  addMonthsCivil,
  civilFromDays,
  compareDates,
  daysFromCivil,
  daysInMonth,
  formatIsoDate,
  fromDayNumber,
  isIsoDate,
  isLeapYear,
  maxDate,
  minDate,
  parseIsoDate,
  toDayNumber,
  type CivilDate,
} from './dates.js';
/** Exact rational arithmetic, as a namespace because its names (add, floor, …) are generic. */
export * as rational from './rational.js';
export type { Rational } from './rational.js';

/** The money side (SETTLEMENT.md §6): lifecycle plans, the settlement planner, the fund's passes. */
export {
  assertAwardMoney,
  planFinalise,
  planRecompute,
  reserveTargetOf,
  statusOf,
  type AwardMoney,
  type AwardStatus,
  type PayeeMoney,
  type RecomputePlan,
} from './lifecycle.js';
export {
  planAwardChange,
  planReviewWindow,
  planSettlement,
  type AwardIdentity,
  type AwardPlan,
  type CurrentAward,
  type PlannedAward,
  type PlannedRevision,
  type RequirementFacts,
  type SettlementDecision,
  type SettlementInputs,
} from './planner.js';
export { planSettlementBatch, type BatchPlan, type SettlementBatch } from './batch.js';
export {
  anchorMeasurement,
  compositeOutcome,
  datingMeasurement,
  missingRequirements,
  planCompositeSettlement,
  type CompositePair,
  type RequirementUse,
} from './composite.js';
export { planFinalisation, planFunding, type AwaitingAward, type DueAward, type FundingPlan } from './funding.js';
export { computedOutcome, digestOutcome, hashOutcome, legacyResultHash, sameResult, zeroOutcome, type Outcome, type OutcomeDigest } from './outcome.js';
export { InvariantError, invariant } from './invariant.js';
