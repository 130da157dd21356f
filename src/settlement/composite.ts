/**
 * Composite rules (SETTLEMENT.md §11), pure: a rule with several named requirements
 * `{kind, period}` that must all hold. Its award is per (rule, child): it exists once every
 * requirement has a current (not retracted) measurement; its date — the latest `measured_on`
 * of those — selects the version, cuts the windows and decides the payees; it is earned when
 * every requirement's measurement meets that requirement's predicate of the version in force.
 * Its funding place is the latest acceptance place among the requirements' measurement
 * identities, which is fixed once all of them exist (a correction keeps its place), and so is
 * the measurement the award row names (`measurement_id`, DECISIONS D131).
 *
 * The money differences are `planAwardChange`'s, exactly as for a single-kind award.
 */
import { computeAward } from './award.js';
import { invariant } from './invariant.js';
import { computedOutcome, digestOutcome, sameResult, zeroOutcome, type Outcome, type ZeroReason } from './outcome.js';
import { evaluatePredicate, selectVersion } from './predicate.js';
import {
  planAwardChange,
  type AwardIdentity,
  type ChildFacts,
  type CurrentAward,
  type MeasurementFacts,
  type RequirementFacts,
  type RuleFacts,
  type SettlementDecision,
} from './planner.js';
import type { EnrolmentFacts, InstitutionFacts, IsoDate, MeasurementValue, Predicate } from './types.js';

/** A (composite rule, child) pair as a settlement batch loads it. */
export interface CompositePair {
  rule: RuleFacts;
  child_id: string;
  /** The child's measurement of each requirement that has one (any status), by requirement name. */
  measurements: ReadonlyMap<string, MeasurementFacts>;
  current: CurrentAward | null;
}

export interface CompositeInputs extends Omit<CompositePair, 'current'> {
  child: ChildFacts;
  enrolments: EnrolmentFacts[];
  institutions: ReadonlyMap<string, InstitutionFacts>;
}

/** How one requirement stood in an award's computation (its explanation lists every one). */
export interface RequirementUse {
  name: string;
  kind: string;
  period: string;
  measurement_id: string | null;
  value: MeasurementValue | null;
  measured_on: IsoDate | null;
  status: 'active' | 'retracted' | 'missing';
  /** Whether the measurement met the predicate of the version applied (null: none applied). */
  held: boolean | null;
}

function requirementsOf(rule: RuleFacts): RequirementFacts[] {
  invariant(rule.requirements !== null && rule.requirements.length > 0, () => `rule ${rule.id} is not composite`);
  return rule.requirements;
}

/** The requirements with no current (active) measurement: what keeps a child pending. */
export function missingRequirements(rule: RuleFacts, measurements: ReadonlyMap<string, Pick<MeasurementFacts, 'status'>>): RequirementFacts[] {
  return requirementsOf(rule).filter((r) => measurements.get(r.name)?.status !== 'active');
}

/** The award's date (§11): the latest `measured_on` among the current measurements; ties: the later accepted. */
export function datingMeasurement(measurements: readonly MeasurementFacts[]): MeasurementFacts {
  invariant(measurements.length > 0, 'a composite award has measurements');
  return measurements.reduce((a, b) => (b.measured_on > a.measured_on || (b.measured_on === a.measured_on && b.seq > a.seq) ? b : a));
}

/** The measurement with the latest acceptance place: the award's funding place and its `measurement_id`. */
export function anchorMeasurement(measurements: readonly MeasurementFacts[]): MeasurementFacts {
  invariant(measurements.length > 0, 'a composite award has measurements');
  return measurements.reduce((a, b) => (b.seq > a.seq ? b : a));
}

function uses(inputs: CompositeInputs, predicates: Record<string, Predicate> | null): RequirementUse[] {
  return requirementsOf(inputs.rule).map((r) => {
    const m = inputs.measurements.get(r.name);
    const active = m?.status === 'active' && m.value !== null;
    const p = predicates && Object.hasOwn(predicates, r.name) ? predicates[r.name] : undefined;
    return {
      name: r.name,
      kind: r.kind_key,
      period: r.period,
      measurement_id: m?.id ?? null,
      value: active ? m.value : null,
      measured_on: m?.measured_on ?? null,
      status: m ? m.status : 'missing',
      held: p && active ? evaluatePredicate(p, m.value as MeasurementValue) : predicates ? false : null,
    };
  });
}

/** The outcome of a composite award under `version` (null: none in force, or some requirement not current). */
export function compositeOutcome(inputs: CompositeInputs, version: RuleFacts['versions'][number] | null): Outcome {
  const missing = missingRequirements(inputs.rule, inputs.measurements);
  if (missing.length || !version) {
    const reason: ZeroReason = missing.length ? 'retracted' : 'no_version_in_force';
    const current = [...inputs.measurements.values()].filter((m) => m.status === 'active');
    const dated = current.length ? datingMeasurement(current) : anchorMeasurement([...inputs.measurements.values()]);
    const zero = zeroOutcome(reason, { period: '', measured_on: dated.measured_on, status: missing.length ? 'retracted' : 'active' });
    return { ...zero, explanation: { earned: false, reason, measured_on: dated.measured_on, requirements: uses(inputs, null) } };
  }
  const predicates = version.spec.predicates;
  invariant(predicates !== undefined, () => `version ${version.id} of composite rule ${inputs.rule.id} has predicates`);
  const used = uses(inputs, predicates);
  const dated = datingMeasurement([...inputs.measurements.values()]);
  invariant(dated.value !== null, 'a current measurement has a value');
  const result = computeAward(
    {
      version: version.spec,
      measurement: { value: dated.value, measured_on: dated.measured_on },
      child: inputs.child,
      enrolments: inputs.enrolments,
      institutions: inputs.institutions,
    },
    used.every((u) => u.held === true),
  );
  const outcome = computedOutcome(inputs.rule, version, result);
  return { ...outcome, explanation: { ...(outcome.explanation as object), requirements: used } };
}

/** Settles one composite rule's award for one child. `newId` names a new award. */
export function planCompositeSettlement(inputs: CompositeInputs, current: CurrentAward | null, now: Date, newId: () => string): SettlementDecision {
  const { rule } = inputs;
  const all = [...inputs.measurements.values()];
  invariant(
    all.every((m) => m.child_id === inputs.child_id),
    'the measurements are the child’s',
  );
  // §11: no award until every requirement has been measured (the child is pending). A requirement
  // measured and since retracted counts as measured, as a retracted measurement does for a
  // single-kind rule: the award then exists, not earned, whether or not settlement ran between
  // the measurement and its retraction (DECISIONS 180).
  if (!current && all.length < requirementsOf(rule).length) return { action: 'skip', reason: 'pending' };
  invariant(all.length === requirementsOf(rule).length, 'an award exists only once every requirement was measured');
  const active = all.filter((m) => m.status === 'active');
  const retracted = active.length < all.length;
  const version = retracted ? null : selectVersion(rule.versions, datingMeasurement(active).measured_on);
  if (!version && !current && !retracted) return { action: 'skip', reason: 'no_version_in_force' };
  const outcome = compositeOutcome(inputs, version);
  const digest = digestOutcome(outcome);
  if (current && sameResult(current.result_hash, outcome, digest)) return { action: 'unchanged', hash: current.result_hash };
  const anchor = anchorMeasurement(all);
  const identity: AwardIdentity = {
    id: current?.id ?? newId(),
    rule_id: rule.id,
    fund_id: rule.fund_id,
    child_id: inputs.child_id,
    measurement_id: anchor.id,
    measurement_seq: anchor.seq,
  };
  return { action: 'write', plan: planAwardChange({ identity, outcome, digest, current, now }) };
}
