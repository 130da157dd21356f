/** The composite planner (SETTLEMENT.md §11), pure: when the award exists, its date, earned, identity. */
import { describe, expect, it } from 'vitest';
import { planCompositeSettlement, type CompositeInputs } from '../../../src/settlement/composite.js';
import type { CurrentAward, MeasurementFacts, RuleFacts } from '../../../src/settlement/planner.js';
import { enrolment, institution, institutionMap, version } from './helpers.js';

const NOW = new Date('2026-01-10T12:00:00Z');
const rule: RuleFacts = {
  id: 'rule-c',
  fund_id: 'fund-1',
  kind_key: null,
  periods: null,
  requirements: [
    { name: 'sprog', kind_key: 'sprog', period: 'age-4' },
    { name: 'parents', kind_key: 'parents', period: 'b-1' },
  ],
  versions: [
    {
      id: 'v1',
      version: 1,
      effective_from: '2015-01-01',
      spec: version({ predicate: undefined, predicates: { sprog: { op: 'eq', value: 'ok' }, parents: { op: 'gte', value: 70 } }, amount: { fixed_ore: 1000 } }),
    },
    {
      id: 'v2',
      version: 2,
      effective_from: '2023-06-01',
      spec: version({ predicate: undefined, predicates: { sprog: { op: 'eq', value: 'ok' }, parents: { op: 'gte', value: 60 } }, amount: { fixed_ore: 2000 } }),
    },
  ],
};
const m = (name: string, seq: bigint, value: string | number, measured_on: string, status: 'active' | 'retracted' = 'active'): [string, MeasurementFacts] => [
  name,
  {
    id: `m-${name}`,
    seq,
    child_id: 'c1',
    kind_key: name,
    period: name === 'sprog' ? 'age-4' : 'b-1',
    value: status === 'active' ? value : null,
    measured_on,
    status,
  },
];
const inputs = (...ms: Array<[string, MeasurementFacts]>): CompositeInputs => ({
  rule,
  child_id: 'c1',
  measurements: new Map(ms),
  child: { birth_date: '2019-03-15', attributes: {} },
  enrolments: [enrolment('V', '2019-03-15', null)],
  institutions: institutionMap(institution('V', 'vuggestue')),
});
const current = (plan: { award: { id: string; revision: number; result_hash: string }; payees: CurrentAward['payees'] }): CurrentAward => ({
  id: plan.award.id,
  revision: plan.award.revision,
  result_hash: plan.award.result_hash,
  payees: plan.payees,
  reserved_ore: 0n,
  open_objections: 0,
  provisional_since: null,
  review_until: null,
  finalised_at: null,
});

describe('planCompositeSettlement', () => {
  it('is pending until every requirement has been measured', () => {
    expect(planCompositeSettlement(inputs(m('sprog', 5n, 'ok', '2023-04-20')), null, NOW, () => 'a1')).toEqual({ action: 'skip', reason: 'pending' });
  });

  it('makes the award, not earned, when a requirement was measured and retracted before settlement ran (DECISIONS 180)', () => {
    // As for a single-kind rule, whose retracted measurement still has its (zero) award: the result
    // must not depend on whether settlement ran between the measurement and its retraction.
    const d = planCompositeSettlement(inputs(m('sprog', 5n, 'ok', '2023-04-20'), m('parents', 3n, 65, '2023-06-15', 'retracted')), null, NOW, () => 'a1');
    if (d.action !== 'write') throw new Error(d.action);
    expect(d.plan.award).toMatchObject({ id: 'a1', earned: false, amount_ore: 0n, measurement_id: 'm-sprog', measurement_seq: 5n });
  });

  it('dates the award by the latest measurement, names the one accepted last, and is earned when all hold', () => {
    const d = planCompositeSettlement(inputs(m('sprog', 5n, 'ok', '2023-04-20'), m('parents', 3n, 65, '2023-06-15')), null, NOW, () => 'a1');
    if (d.action !== 'write') throw new Error(d.action);
    // 2023-06-15 selects version 2 (≥ 60): earned, 2000.
    expect(d.plan.award).toMatchObject({ id: 'a1', rule_version_id: 'v2', earned: true, amount_ore: 2000n, measurement_id: 'm-sprog', measurement_seq: 5n });
    const explanation = d.plan.award.explanation as { requirements: Array<{ name: string; held: boolean }> };
    expect(explanation.requirements.map((r) => [r.name, r.held])).toEqual([
      ['sprog', true],
      ['parents', true],
    ]);
    // Corrected back before version 2: version 1 (≥ 70) is not met.
    const back = planCompositeSettlement(inputs(m('sprog', 5n, 'ok', '2023-04-20'), m('parents', 3n, 65, '2023-05-01')), current(d.plan), NOW, () => 'x');
    if (back.action !== 'write') throw new Error(back.action);
    expect(back.plan.award).toMatchObject({ id: 'a1', rule_version_id: 'v1', earned: false, amount_ore: 0n, measurement_id: 'm-sprog', revision: 2 });
  });

  it('keeps the award once created: a retracted requirement zeroes it; the same inputs change nothing', () => {
    const d = planCompositeSettlement(inputs(m('sprog', 5n, 'ok', '2023-04-20'), m('parents', 3n, 80, '2023-05-01')), null, NOW, () => 'a1');
    if (d.action !== 'write') throw new Error(d.action);
    expect(
      planCompositeSettlement(inputs(m('sprog', 5n, 'ok', '2023-04-20'), m('parents', 3n, 80, '2023-05-01')), current(d.plan), NOW, () => 'x').action,
    ).toBe('unchanged');
    const r = planCompositeSettlement(
      inputs(m('sprog', 5n, 'ok', '2023-04-20', 'retracted'), m('parents', 3n, 80, '2023-05-01')),
      current(d.plan),
      NOW,
      () => 'x',
    );
    if (r.action !== 'write') throw new Error(r.action);
    expect(r.plan.award).toMatchObject({ id: 'a1', earned: false, amount_ore: 0n, rule_version_id: null, measurement_id: 'm-sprog' });
  });
});
