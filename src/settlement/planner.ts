/**
 * The settlement planner (SETTLEMENT.md §6), pure: given an award's inputs and what the award
 * currently holds, every decision a settlement makes — the outcome (computed, or zero for a
 * retraction or when no version is in force), the result hash, the payout differences, the
 * reserve release, the payable releases, the review-window restart, the status — and the rows
 * and journal entries that record them. `SettlementService.settle` loads, plans, writes.
 *
 *   planSettlement        one (rule, measurement): skip | unchanged | write
 *   planAwardChange       any award identity + its new outcome + what it holds → AwardPlan
 *
 * `planAwardChange` takes the award's identity and funding place as data: it does not care
 * whether the outcome came from one measurement or (composite rules, §11) from several.
 *
 * Every plan asserts its invariants (`invariant.ts`) and throws on a violation.
 */
import type { EntryDraft } from '../ledger/entries.js';
import * as accounts from '../ledger/accounts.js';
import { computeAward } from './award.js';
import { assertEntriesBalance, invariant } from './invariant.js';
import { planRecompute, statusOf, type AwardMoney, type AwardStatus, type PayeeMoney, type RecomputePlan } from './lifecycle.js';
import { assertOutcome, computedOutcome, digestOutcome, payoutTotal, sameResult, zeroOutcome, type Outcome, type OutcomeDigest } from './outcome.js';
import { selectVersion } from './predicate.js';
import type { EnrolmentFacts, InstitutionFacts, IsoDate, MeasurementValue, RuleVersionSpec } from './types.js';

const DAY_MS = 86_400_000;

/** One named requirement of a composite rule (§11). */
export interface RequirementFacts {
  name: string;
  kind_key: string;
  period: string;
}

/** A rule with every published version, oldest first. */
export interface RuleFacts {
  id: string;
  fund_id: string;
  /** The triggering kind of a single-kind rule; null for a composite rule. */
  kind_key: string | null;
  /** The periods the rule applies to; null = every period. */
  periods: string[] | null;
  /** A composite rule's requirements, in creation order; null for a single-kind rule. */
  requirements: RequirementFacts[] | null;
  versions: ReadonlyArray<{ id: string; version: number; effective_from: IsoDate; spec: RuleVersionSpec }>;
}

export interface MeasurementFacts {
  id: string;
  /** Acceptance order: the funding place of its awards. */
  seq: bigint;
  child_id: string;
  kind_key: string;
  period: string;
  /** Null only when retracted. */
  value: MeasurementValue | null;
  measured_on: IsoDate;
  status: 'active' | 'retracted';
}

export interface ChildFacts {
  birth_date: IsoDate;
  attributes: Record<string, unknown>;
}

/** What an existing award holds: its last result and the money the ledger holds for it. */
export interface CurrentAward {
  id: string;
  revision: number;
  result_hash: string;
  payees: PayeeMoney[];
  reserved_ore: bigint;
  open_objections: number;
  provisional_since: Date | null;
  review_until: Date | null;
  finalised_at: Date | null;
}

/** Who the award is for and where it stands in the funding order — data to the planner. */
export interface AwardIdentity {
  /** The current award's id, or a fresh one for a new award. */
  id: string;
  rule_id: string;
  fund_id: string;
  child_id: string;
  measurement_id: string;
  /** The funding place (§6): acceptance order of the award's measurement identity. */
  measurement_seq: bigint;
}

/** The award row as a settlement leaves it. */
export interface PlannedAward extends AwardIdentity {
  revision: number;
  rule_version_id: string | null;
  status: AwardStatus;
  earned: boolean;
  amount_ore: bigint;
  payout_total_ore: bigint;
  retained_ore: bigint;
  reserved_ore: bigint;
  reserve_target_ore: bigint;
  result_hash: string;
  explanation: unknown;
  /** The explanation's RFC 8785 text, stored as is. */
  explanation_text: string;
  /** SHA-256 of `explanation_text`: what the award's ledger entries commit to (docs/LEDGER.md). */
  explanation_sha256: string;
  provisional_since: Date | null;
  review_until: Date | null;
  finalised_at: Date | null;
}

/** One row of the award's history per computed result. */
export interface PlannedRevision {
  award_id: string;
  revision: number;
  earned: boolean;
  amount_ore: bigint;
  retained_ore: bigint;
  /** Institution id → amount in øre as a decimal string (non-zero payouts only). */
  payouts: Record<string, string>;
}

export interface AwardPlan {
  award: PlannedAward;
  /** The award's payee rows, replacing the current ones. */
  payees: PayeeMoney[];
  revision: PlannedRevision;
  /** Releases of money the award no longer needs, in posting order. */
  ledgerEntries: EntryDraft[];
  status: AwardStatus;
  reviewUntil: Date | null;
}

// ---------------------------------------------------------------------------------------------
// One award, whatever its outcome came from.

/** The review window (DECISIONS 23): restarted when the payouts change while money remains to finalise. */
export interface ReviewWindow {
  provisionalSince: Date | null;
  reviewUntil: Date | null;
  restarted: boolean;
}

export function planReviewWindow(a: {
  reserveTarget: bigint;
  payoutsChanged: boolean;
  current: Pick<CurrentAward, 'provisional_since' | 'review_until'> | null;
  reviewDays: number;
  now: Date;
}): ReviewWindow {
  if (a.reserveTarget === 0n) return { provisionalSince: null, reviewUntil: null, restarted: false };
  const running = a.current?.provisional_since ?? null;
  if (running && !a.payoutsChanged) {
    invariant(a.current!.review_until, 'a provisional award has a review window end');
    return { provisionalSince: running, reviewUntil: a.current!.review_until, restarted: false };
  }
  return { provisionalSince: a.now, reviewUntil: new Date(a.now.getTime() + a.reviewDays * DAY_MS), restarted: true };
}

/** Whether two payee lists pay the same non-zero amounts to the same institutions. */
export function samePayouts(a: readonly PayeeMoney[], b: readonly PayeeMoney[]): boolean {
  const amounts = (p: readonly PayeeMoney[]) =>
    p
      .filter((x) => x.amount > 0n)
      .map((x) => `${x.institutionId}=${x.amount}`)
      .sort()
      .join(',');
  return amounts(a) === amounts(b);
}

/** The releases a recomputation posts: payable → available per payee, then reserved → available. */
export function recomputeEntries(fundId: string, awardId: string, plan: RecomputePlan): EntryDraft[] {
  const entries: EntryDraft[] = plan.payableReleases.map((r) => ({
    kind: 'payable_adjustment',
    fundId,
    awardId,
    memo: 'award decreased after finalisation',
    lines: [
      { account: accounts.payable(fundId, r.institutionId), amount: -r.amount },
      { account: accounts.available(fundId), amount: r.amount },
    ],
  }));
  if (plan.reserveRelease > 0n) {
    entries.push({
      kind: 'release',
      fundId,
      awardId,
      memo: 'reservation no longer needed',
      lines: [
        { account: accounts.reserved(fundId), amount: -plan.reserveRelease },
        { account: accounts.available(fundId), amount: plan.reserveRelease },
      ],
    });
  }
  assertEntriesBalance(entries);
  return entries;
}

/**
 * A new result for an award: the money differences against what it holds, its review window,
 * its status, and the rows to write. `digest` is `digestOutcome(outcome)`, differing from the
 * current award's result (the caller has checked that something changed).
 */
export function planAwardChange(a: { identity: AwardIdentity; outcome: Outcome; digest: OutcomeDigest; current: CurrentAward | null; now: Date }): AwardPlan {
  const { identity, outcome, current, digest } = a;
  assertOutcome(outcome);
  invariant(!current || current.id === identity.id, 'the identity names the current award');
  invariant(!current || !sameResult(current.result_hash, outcome, digest), 'an unchanged result is not planned');
  const held: AwardMoney = current ? { payees: current.payees, reserved: current.reserved_ore } : { payees: [], reserved: 0n };
  const money = planRecompute(held, outcome.payouts, outcome.involved);
  const window = planReviewWindow({
    reserveTarget: money.reserveTarget,
    payoutsChanged: !current || !samePayouts(current.payees, money.next.payees),
    current,
    reviewDays: outcome.reviewDays,
    now: a.now,
  });
  const status = statusOf({
    earned: outcome.earned,
    reserved: money.next.reserved,
    reserveTarget: money.reserveTarget,
    openObjections: current?.open_objections ?? 0,
  });
  const revision = (current?.revision ?? 0) + 1;
  // Listed field by field (not spread from `identity`): this object is built once per award
  // on the hot path, and a spread followed by many fields is several times slower in V8.
  const award: PlannedAward = {
    id: identity.id,
    rule_id: identity.rule_id,
    fund_id: identity.fund_id,
    child_id: identity.child_id,
    measurement_id: identity.measurement_id,
    measurement_seq: identity.measurement_seq,
    revision,
    rule_version_id: outcome.versionId,
    status,
    earned: outcome.earned,
    amount_ore: outcome.amount,
    payout_total_ore: payoutTotal(outcome),
    retained_ore: outcome.retained,
    reserved_ore: money.next.reserved,
    reserve_target_ore: money.reserveTarget,
    result_hash: digest.resultHash,
    explanation: outcome.explanation,
    explanation_text: digest.explanationText,
    explanation_sha256: digest.explanationSha256,
    provisional_since: window.provisionalSince,
    review_until: window.reviewUntil,
    finalised_at: status === 'final' ? (current?.finalised_at ?? null) : null,
  };
  const plan: AwardPlan = {
    award,
    payees: money.next.payees,
    revision: {
      award_id: identity.id,
      revision,
      earned: outcome.earned,
      amount_ore: outcome.amount,
      retained_ore: outcome.retained,
      payouts: Object.fromEntries([...outcome.payouts].map(([k, v]) => [k, v.toString()])),
    },
    ledgerEntries: recomputeEntries(identity.fund_id, identity.id, money),
    status,
    reviewUntil: window.reviewUntil,
  };
  assertAwardPlan(plan);
  return plan;
}

/** Postconditions of every award plan (beyond those `planRecompute` asserts on the money). */
export function assertAwardPlan(p: AwardPlan): void {
  const a = p.award;
  const paid = p.payees.reduce((s, x) => s + x.amount, 0n);
  invariant(a.payout_total_ore + a.retained_ore === a.amount_ore, () => `payouts ${a.payout_total_ore} + retained ${a.retained_ore} ≠ amount ${a.amount_ore}`);
  invariant(paid === a.payout_total_ore, () => `payee rows pay ${paid}, the award pays out ${a.payout_total_ore}`);
  invariant(a.reserved_ore >= 0n && a.reserved_ore <= a.reserve_target_ore, () => `reserved ${a.reserved_ore} outside [0, target ${a.reserve_target_ore}]`);
  invariant(a.reserve_target_ore <= a.payout_total_ore, () => `reserve target ${a.reserve_target_ore} exceeds the payouts ${a.payout_total_ore}`);
  for (const x of p.payees) {
    invariant(x.payable >= 0n && x.payable <= x.amount, () => `payable ${x.payable} of ${x.institutionId} outside [0, payout ${x.amount}]`);
  }
  assertEntriesBalance(p.ledgerEntries);
  invariant((a.provisional_since === null) === (a.reserve_target_ore === 0n), 'provisional exactly while money remains to finalise');
  invariant((a.review_until === null) === (a.provisional_since === null), 'a review window has a start and an end');
  invariant(a.status === p.status && a.review_until === p.reviewUntil, 'the plan agrees with its award row');
  invariant(a.finalised_at === null || a.status === 'final', 'only a final award has a finalisation time');
  invariant(p.revision.award_id === a.id && p.revision.revision === a.revision, 'the revision row is the award’s');
}

// ---------------------------------------------------------------------------------------------
// One (rule, measurement).

export interface SettlementInputs {
  rule: RuleFacts;
  measurement: MeasurementFacts;
  child: ChildFacts;
  enrolments: EnrolmentFacts[];
  /** Every institution an enrolment names, and their successors (transitively). */
  institutions: ReadonlyMap<string, InstitutionFacts>;
}

export type SettlementDecision =
  /**
   * No award, and none to change: the rule does not cover the period, no version is in force,
   * or (composite rule) some requirement has no current measurement yet.
   */
  | { action: 'skip'; reason: 'period_not_covered' | 'no_version_in_force' | 'pending' }
  /** Same inputs, same result: nothing to write or post. */
  | { action: 'unchanged'; hash: string }
  | { action: 'write'; plan: AwardPlan };

/**
 * The outcome of a single-measurement award: computed by the version in force, or zero for a
 * retraction (whether or not it was settled before) or when no version is in force any more.
 */
export function outcomeOf(inputs: SettlementInputs, version: RuleFacts['versions'][number] | null): Outcome {
  const m = inputs.measurement;
  if (!version || m.status !== 'active') return zeroOutcome(m.status === 'retracted' ? 'retracted' : 'no_version_in_force', m);
  invariant(m.value !== null, () => `active measurement ${m.id} has a value`);
  const result = computeAward({
    version: version.spec,
    measurement: { value: m.value, measured_on: m.measured_on },
    child: inputs.child,
    enrolments: inputs.enrolments,
    institutions: inputs.institutions,
  });
  return computedOutcome(inputs.rule, version, result);
}

/** Settles one rule's award for one measurement. `newId` names a new award. */
export function planSettlement(inputs: SettlementInputs, current: CurrentAward | null, now: Date, newId: () => string): SettlementDecision {
  const { rule, measurement: m } = inputs;
  invariant(rule.kind_key === m.kind_key, () => `rule ${rule.id} is not triggered by kind ${m.kind_key}`);
  if (rule.periods && !rule.periods.includes(m.period)) return { action: 'skip', reason: 'period_not_covered' };
  const version = selectVersion(rule.versions, m.measured_on);
  // §3: no version in force → no award (but an existing one is zeroed).
  if (!version && !current) return { action: 'skip', reason: 'no_version_in_force' };
  const outcome = outcomeOf(inputs, version);
  const digest = digestOutcome(outcome);
  if (current && sameResult(current.result_hash, outcome, digest)) return { action: 'unchanged', hash: current.result_hash };
  const identity: AwardIdentity = {
    id: current?.id ?? newId(),
    rule_id: rule.id,
    fund_id: rule.fund_id,
    child_id: m.child_id,
    measurement_id: m.id,
    measurement_seq: m.seq,
  };
  return { action: 'write', plan: planAwardChange({ identity, outcome, digest, current, now }) };
}
