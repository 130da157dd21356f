/**
 * A settle job's batch, pure: its measurements × the single-kind rules of their kinds, and the
 * (composite rule, child) pairs they may complete or change (§11) → AwardPlan[] and the funds to
 * run a funding pass for. Single-kind awards are planned by `planSettlement` (planner.ts),
 * composite ones by `planCompositeSettlement` (composite.ts).
 */
import { planCompositeSettlement, type CompositePair } from './composite.js';
import { invariant } from './invariant.js';
import { planSettlement, type AwardPlan, type ChildFacts, type CurrentAward, type MeasurementFacts, type RuleFacts } from './planner.js';
import type { EnrolmentFacts, InstitutionFacts } from './types.js';

export interface SettlementBatch {
  /** The measurements to settle (locked, unsettled), in lock order. */
  measurements: readonly MeasurementFacts[];
  /** Every rule triggered by their kinds. */
  rules: readonly RuleFacts[];
  children: ReadonlyMap<string, ChildFacts>;
  enrolments: ReadonlyMap<string, EnrolmentFacts[]>;
  institutions: ReadonlyMap<string, InstitutionFacts>;
  /** The current awards of these measurements. */
  current: ReadonlyArray<CurrentAward & { rule_id: string; measurement_id: string }>;
  /**
   * The (composite rule, child) pairs these measurements may complete or change (§11), each
   * with the child's measurement of every requirement and the pair's current award.
   */
  composites?: ReadonlyArray<CompositePair>;
}

export interface BatchPlan {
  /** Awards to write, in settlement order (measurement, then rule). */
  awards: AwardPlan[];
  /**
   * Funds to run a funding pass for, sorted: every fund with a rule on a settled kind (the
   * funding barrier is per kind: settling lifts it whether or not an award changed).
   */
  touchedFunds: string[];
  /** Awards whose result changed (= awards.length). */
  changed: number;
}

export function planSettlementBatch(batch: SettlementBatch, now: Date, newId: () => string): BatchPlan {
  const currentByKey = new Map(batch.current.map((a) => [`${a.rule_id}:${a.measurement_id}`, a]));
  const awards: AwardPlan[] = [];
  const touchedFunds = new Set<string>();
  for (const m of batch.measurements) {
    const child = batch.children.get(m.child_id);
    if (!child) throw new Error(`measurement ${m.id} refers to a missing child`);
    const enrolments = batch.enrolments.get(m.child_id) ?? [];
    for (const rule of batch.rules) {
      if (rule.kind_key !== m.kind_key) continue;
      touchedFunds.add(rule.fund_id);
      const current = currentByKey.size ? (currentByKey.get(`${rule.id}:${m.id}`) ?? null) : null;
      const inputs = { rule, measurement: m, child, enrolments, institutions: batch.institutions };
      const decision = planSettlement(inputs, current, now, newId);
      if (decision.action === 'write') awards.push(decision.plan);
    }
  }
  const kinds = new Set(batch.measurements.map((m) => m.kind_key));
  for (const rule of batch.rules) {
    if (rule.requirements?.some((r) => kinds.has(r.kind_key))) touchedFunds.add(rule.fund_id);
  }
  for (const pair of batch.composites ?? []) {
    const child = batch.children.get(pair.child_id);
    if (!child) throw new Error(`composite award of rule ${pair.rule.id} refers to a missing child`);
    const inputs = { ...pair, child, enrolments: batch.enrolments.get(pair.child_id) ?? [], institutions: batch.institutions };
    const decision = planCompositeSettlement(inputs, pair.current, now, newId);
    if (decision.action === 'write') awards.push(decision.plan);
  }
  invariant(new Set(awards.map((p) => p.award.id)).size === awards.length, 'each award is planned once per batch');
  return { awards, touchedFunds: [...touchedFunds].sort(), changed: awards.length };
}
