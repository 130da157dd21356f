import { oreOut } from '../domain/money.js';
import type { AwardWithPayees, AwardWrite } from '../repositories/awards.js';
import type { StoredMeasurement } from '../repositories/measurements.js';
import type { AwardMoney } from '../settlement/lifecycle.js';
import type { AwardPlan } from '../settlement/planner.js';
import type { DomainEvent } from '../webhooks/events.js';

/**
 * The webhook events of one settlement round (pure): one `measurement.settled` per settled
 * measurement (for the key that submitted it), and `award.computed` / `award.changed` for every
 * award written (for each institution paid or involved, before or after).
 */
type Payees = AwardMoney['payees'];

const payoutsOf = (payees: Payees) => payees.filter((p) => p.amount > 0n).map((p) => ({ institution_id: p.institutionId, amount_ore: oreOut(p.amount) }));

export function awardData(
  a: Pick<AwardWrite, 'fund_id' | 'rule_id' | 'measurement_id' | 'child_id' | 'status' | 'earned' | 'amount_ore' | 'retained_ore'> & {
    id: string;
    revision: number;
  },
  payees: Payees,
) {
  return {
    award_id: a.id,
    fund_id: a.fund_id,
    rule_id: a.rule_id,
    measurement_id: a.measurement_id,
    child_id: a.child_id,
    revision: a.revision,
    status: a.status,
    earned: a.earned,
    amount_ore: oreOut(a.amount_ore),
    retained_ore: oreOut(a.retained_ore),
    payouts: payoutsOf(payees),
  };
}

export function settlementEvents(
  settled: readonly StoredMeasurement[],
  plans: readonly AwardPlan[],
  previous: ReadonlyArray<{ id: string; payees: Payees }>,
): DomainEvent[] {
  const events: DomainEvent[] = [];
  const before = new Map(previous.map((a) => [a.id, a.payees]));
  for (const { award: w, payees: next } of plans) {
    events.push({
      type: w.revision === 1 ? 'award.computed' : 'award.changed',
      data: awardData(w, next),
      audience: { institutionIds: [...new Set([...next, ...(before.get(w.id) ?? [])].map((p) => p.institutionId))] },
    });
  }
  const byMeasurement = new Map<string, Array<AwardPlan['award']>>();
  for (const { award } of plans) byMeasurement.set(award.measurement_id, [...(byMeasurement.get(award.measurement_id) ?? []), award]);
  for (const m of settled) {
    const mine = byMeasurement.get(m.id) ?? [];
    events.push({
      type: 'measurement.settled',
      data: {
        measurement_id: m.id,
        kind: m.kind_key,
        period: m.period,
        status: m.status,
        revision: m.revision,
        changed_awards: mine.map((w) => ({ award_id: w.id, fund_id: w.fund_id, rule_id: w.rule_id, status: w.status, amount_ore: oreOut(w.amount_ore) })),
      },
      audience: { institutionIds: [], submitterKeyId: m.submitted_by },
    });
  }
  return events;
}

export function finalisedEvents(awards: AwardWithPayees[]): DomainEvent[] {
  return awards.map((a) => ({
    type: 'award.finalised' as const,
    data: awardData({ ...a, status: 'final' }, a.payees),
    audience: { institutionIds: a.payees.map((p) => p.institutionId) },
  }));
}

/**
 * Settlement gave up on a measurement: `measurement.refused` for the key that submitted it, once
 * per version of its inputs (`gen`: the event id is derived from it).
 */
export function refusedEvent(m: Pick<StoredMeasurement, 'id' | 'kind_key' | 'period' | 'revision' | 'submitted_by' | 'gen'>): DomainEvent {
  return {
    type: 'measurement.refused',
    data: { measurement_id: m.id, kind: m.kind_key, period: m.period, revision: m.revision, reason: 'settlement_failed' },
    audience: { institutionIds: [], submitterKeyId: m.submitted_by },
    dedupeKey: `${m.id}:${m.gen}`,
  };
}
