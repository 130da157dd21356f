/**
 * The settlement planner (settlement/planner.ts, funding.ts, outcome.ts) without a database:
 * examples of every decision `settle` makes, and fast-check properties that drive one award
 * through random recomputations, fundings, objections and finalisations against a model ledger.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from '../../../src/domain/canonical-json.js';
import { describe, expect, it } from 'vitest';
import { accountCode, type AccountRef } from '../../../src/ledger/accounts.js';
import type { EntryDraft } from '../../../src/ledger/entries.js';
import { planFinalisation, planFunding, type AwaitingAward } from '../../../src/settlement/funding.js';
import { InvariantError } from '../../../src/settlement/invariant.js';
import { statusOf, type PayeeMoney } from '../../../src/settlement/lifecycle.js';
import { digestOutcome, hashOutcome, legacyResultHash, type Outcome } from '../../../src/settlement/outcome.js';
import {
  planAwardChange,
  planReviewWindow,
  planSettlement,
  type AwardIdentity,
  type AwardPlan,
  type CurrentAward,
  type MeasurementFacts,
  type RuleFacts,
  type SettlementInputs,
} from '../../../src/settlement/planner.js';
import { planSettlementBatch } from '../../../src/settlement/batch.js';
import { enrolment, institution, institutionMap, version } from './helpers.js';

const DAY_MS = 86_400_000;
const FUND = 'fund-1';
const NOW = new Date('2026-01-10T12:00:00Z');
const later = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

// A child born 2019-03-15, 548 days at V then 548 at D in its first 36 months (1096 days).
const institutions = institutionMap(institution('V', 'vuggestue'), institution('D', 'dagpleje'));
const enrolments = [enrolment('V', '2019-03-15', '2020-09-13'), enrolment('D', '2020-09-13', null)];
const child = { birth_date: '2019-03-15', attributes: {} };

const rule: RuleFacts = {
  id: 'rule-1',
  fund_id: FUND,
  kind_key: 'sprog',
  periods: ['age-3'],
  requirements: null,
  versions: [{ id: 'v-1', version: 1, effective_from: '2020-01-01', spec: version({ predicate: { op: 'eq', value: 'ok' }, review_days: 30 }) }],
};

const measurement = (over: Partial<MeasurementFacts> = {}): MeasurementFacts => ({
  id: 'm-1',
  seq: 7n,
  child_id: 'c-1',
  kind_key: 'sprog',
  period: 'age-3',
  value: 'ok',
  measured_on: '2023-04-01',
  status: 'active',
  ...over,
});

const inputs = (m: Partial<MeasurementFacts> = {}, r: RuleFacts = rule): SettlementInputs => ({
  rule: r,
  measurement: measurement(m),
  child,
  enrolments,
  institutions,
});

let ids = 0;
const newId = () => `award-${++ids}`;

/** What the award row and its payees hold after a plan was written (as `awardsRepo.forMeasurements` reads it back). */
function stored(plan: AwardPlan, open = 0): CurrentAward {
  const a = plan.award;
  return {
    id: a.id,
    revision: a.revision,
    result_hash: a.result_hash,
    payees: plan.payees,
    reserved_ore: a.reserved_ore,
    open_objections: open,
    provisional_since: a.provisional_since,
    review_until: a.review_until,
    finalised_at: a.finalised_at,
  };
}

function write(inp: SettlementInputs, current: CurrentAward | null, now = NOW): AwardPlan {
  const d = planSettlement(inp, current, now, newId);
  if (d.action !== 'write') throw new Error(`expected a write, got ${d.action}`);
  return d.plan;
}

/** The award after its reservation was topped up (what the funding pass writes). */
const funded = (a: CurrentAward): CurrentAward => ({ ...a, reserved_ore: a.payees.reduce((s, p) => s + p.amount - p.payable, 0n) });
/** The award after finalisation (what `markFinal` writes). */
const finalised = (a: CurrentAward, at = NOW): CurrentAward => ({
  ...a,
  reserved_ore: 0n,
  payees: a.payees.map((p) => ({ ...p, payable: p.amount })),
  finalised_at: at,
});

describe('planSettlement: one (rule, measurement)', () => {
  it('a new earned award: split by days, awaiting funds, its review window started, nothing posted yet', () => {
    const plan = write(inputs(), null);
    expect(plan.award).toMatchObject({
      rule_id: 'rule-1',
      fund_id: FUND,
      child_id: 'c-1',
      measurement_id: 'm-1',
      measurement_seq: 7n,
      revision: 1,
      rule_version_id: 'v-1',
      status: 'awaiting_funds',
      earned: true,
      amount_ore: 1_000_000n,
      payout_total_ore: 1_000_000n,
      retained_ore: 0n,
      reserved_ore: 0n,
      reserve_target_ore: 1_000_000n,
      provisional_since: NOW,
      review_until: later(30),
      finalised_at: null,
    });
    expect(plan.payees).toEqual([
      { institutionId: 'D', amount: 500_000n, payable: 0n },
      { institutionId: 'V', amount: 500_000n, payable: 0n },
    ]);
    expect(plan.revision).toEqual({
      award_id: plan.award.id,
      revision: 1,
      earned: true,
      amount_ore: 1_000_000n,
      retained_ore: 0n,
      payouts: { V: '500000', D: '500000' },
    });
    expect(plan.ledgerEntries).toEqual([]);
    expect(plan.award.explanation).toMatchObject({ rule_id: 'rule-1', rule_version_id: 'v-1', version: 1, earned: true });
    expect(plan.award.result_hash).toMatch(/^r2:[0-9a-f]{64}$/);
    // One RFC 8785 text of the explanation: stored as is, and what the ledger entries commit to.
    expect(JSON.parse(plan.award.explanation_text)).toEqual(plan.award.explanation);
    expect(plan.award.explanation_sha256).toBe(
      createHash('sha256')
        .update(canonicalJson(plan.award.explanation as never))
        .digest('hex'),
    );
  });

  it('the compact result hash changes exactly when the full one does (the explanation enters by its digest)', () => {
    const outcomeOf = (explanation: unknown, amount = 0n): Outcome => ({
      versionId: 'v',
      reviewDays: 1,
      earned: amount > 0n,
      amount,
      retained: amount,
      payouts: new Map(),
      involved: [],
      explanation,
    });
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.bigInt({ min: 0n, max: 10n }), fc.bigInt({ min: 0n, max: 10n }), (x, y, a, b) => {
        const [p, q] = [outcomeOf(x, a), outcomeOf(y, b)];
        expect(hashOutcome(p) === hashOutcome(q)).toBe(legacyResultHash(p) === legacyResultHash(q));
      }),
    );
  });

  it('an award last computed before D167 (its hash in the full form) is unchanged by the same inputs: no new revision', () => {
    const first = write(inputs(), null);
    const old = stored(first);
    const outcome = {
      versionId: first.award.rule_version_id,
      reviewDays: 0,
      earned: first.award.earned,
      amount: first.award.amount_ore,
      retained: first.award.retained_ore,
      payouts: new Map(first.payees.filter((p) => p.amount > 0n).map((p) => [p.institutionId, p.amount])),
      involved: [],
      explanation: first.award.explanation,
    };
    const legacy = { ...old, result_hash: legacyResultHash(outcome) };
    expect(planSettlement(inputs(), legacy, later(5), newId)).toEqual({ action: 'unchanged', hash: legacy.result_hash });
    // A real change gets the compact form.
    const changed = planSettlement(inputs({ value: 'not ok' }), legacy, later(5), newId);
    expect(changed.action === 'write' && changed.plan.award.result_hash.startsWith('r2:')).toBe(true);
  });

  it('the same inputs again change nothing (same hash)', () => {
    const first = write(inputs(), null);
    expect(planSettlement(inputs(), stored(first), later(5), newId)).toEqual({ action: 'unchanged', hash: first.award.result_hash });
  });

  it('skips a period the rule does not cover, and a measurement no version is in force for', () => {
    expect(planSettlement(inputs({ period: 'age-5' }), null, NOW, newId)).toEqual({ action: 'skip', reason: 'period_not_covered' });
    expect(planSettlement(inputs({ measured_on: '2019-12-31' }), null, NOW, newId)).toEqual({ action: 'skip', reason: 'no_version_in_force' });
  });

  it('a retraction of a funded award zeroes it and releases its reservation', () => {
    const award = funded(stored(write(inputs(), null)));
    const plan = write(inputs({ status: 'retracted', value: null }), award, later(1));
    expect(plan.award).toMatchObject({
      id: award.id,
      revision: 2,
      rule_version_id: null,
      status: 'not_earned',
      earned: false,
      amount_ore: 0n,
      reserved_ore: 0n,
      reserve_target_ore: 0n,
      provisional_since: null,
      review_until: null,
    });
    expect(plan.award.explanation).toEqual({
      earned: false,
      reason: 'retracted',
      measurement: { period: 'age-3', measured_on: '2023-04-01', status: 'retracted' },
    });
    expect(plan.payees.map((p) => [p.institutionId, p.amount])).toEqual([
      ['D', 0n],
      ['V', 0n],
    ]);
    expect(plan.ledgerEntries).toEqual([
      {
        kind: 'release',
        fundId: FUND,
        awardId: award.id,
        memo: 'reservation no longer needed',
        lines: [
          { account: { fundId: FUND, type: 'reserved' }, amount: -1_000_000n },
          { account: { fundId: FUND, type: 'available' }, amount: 1_000_000n },
        ],
      },
    ]);
  });

  it('a correction that no version is in force for zeroes an existing award', () => {
    const award = stored(write(inputs(), null));
    const plan = write(inputs({ measured_on: '2019-06-01' }), award);
    expect(plan.award).toMatchObject({ earned: false, amount_ore: 0n, status: 'not_earned' });
    expect(plan.award.explanation).toMatchObject({ reason: 'no_version_in_force' });
  });

  it('a decrease after finalisation moves payable back to available at once (claw-back), per payee', () => {
    const award = finalised(funded(stored(write(inputs(), null))));
    // The child leaves V for D earlier: V's share shrinks, D's grows.
    const moved = { ...inputs(), enrolments: [enrolment('V', '2019-03-15', '2020-03-15'), enrolment('D', '2020-03-15', null)] };
    const plan = write(moved, award, later(40));
    const v = plan.payees.find((p) => p.institutionId === 'V')!;
    const d = plan.payees.find((p) => p.institutionId === 'D')!;
    expect(v.payable).toBe(v.amount);
    expect(d.payable).toBe(500_000n);
    expect(plan.ledgerEntries).toEqual([
      {
        kind: 'payable_adjustment',
        fundId: FUND,
        awardId: award.id,
        memo: 'award decreased after finalisation',
        lines: [
          { account: { fundId: FUND, type: 'payable', institutionId: 'V' }, amount: -(500_000n - v.amount) },
          { account: { fundId: FUND, type: 'available' }, amount: 500_000n - v.amount },
        ],
      },
    ]);
    // D's increase needs a new reservation and a new review window.
    expect(plan.award).toMatchObject({
      status: 'awaiting_funds',
      reserved_ore: 0n,
      reserve_target_ore: d.amount - 500_000n,
      review_until: later(70),
      finalised_at: null,
    });
  });
});

describe('planAwardChange: the review window and status', () => {
  const identity: AwardIdentity = { id: 'a-1', rule_id: 'r', fund_id: FUND, child_id: 'c', measurement_id: 'm', measurement_seq: 1n };
  const outcome = (payouts: Array<[string, bigint]>, note = 'x', reviewDays = 10): Outcome => {
    const paid = payouts.reduce((s, [, a]) => s + a, 0n);
    return { versionId: 'v', reviewDays, earned: true, amount: paid + 5n, retained: 5n, payouts: new Map(payouts), involved: [], explanation: { note } };
  };
  const change = (o: Outcome, current: CurrentAward | null, now = NOW) => planAwardChange({ identity, outcome: o, digest: digestOutcome(o), current, now });

  it('an explanation-only change keeps the running review window; a payout change restarts it', () => {
    const first = stored(change(outcome([['i', 100n]]), null));
    const same = change(outcome([['i', 100n]], 'y'), first, later(3));
    expect(same.award).toMatchObject({ provisional_since: NOW, review_until: later(10), revision: 2 });
    const more = change(outcome([['i', 120n]], 'y'), first, later(3));
    expect(more.award).toMatchObject({ provisional_since: later(3), review_until: later(13) });
  });

  it('keeps an award final (and when it was finalised) when only its explanation changes', () => {
    const done = finalised(funded(stored(change(outcome([['i', 100n]]), null))), later(11));
    const plan = change(outcome([['i', 100n]], 'y'), done, later(20));
    expect(plan.award).toMatchObject({ status: 'final', reserve_target_ore: 0n, provisional_since: null, review_until: null, finalised_at: later(11) });
  });

  it('an open objection holds a funded award; the status follows', () => {
    const held = { ...funded(stored(change(outcome([['i', 100n]]), null))), open_objections: 1 };
    expect(change(outcome([['i', 80n]]), held).award.status).toBe('held');
  });

  it('an earned award whose whole amount is retained is final at once with nothing to move', () => {
    const plan = change(outcome([]), null);
    expect(plan.award).toMatchObject({ status: 'final', earned: true, amount_ore: 5n, retained_ore: 5n, reserve_target_ore: 0n, finalised_at: null });
  });

  it('asserts its invariants', () => {
    const first = stored(change(outcome([['i', 100n]]), null));
    const o = outcome([['i', 100n]]);
    expect(() => planAwardChange({ identity, outcome: o, digest: digestOutcome(o), current: first, now: NOW })).toThrow(/unchanged result/);
    // …also against a hash stored in the full form of before D167.
    expect(() =>
      planAwardChange({ identity, outcome: o, digest: digestOutcome(o), current: { ...first, result_hash: legacyResultHash(o) }, now: NOW }),
    ).toThrow(/unchanged result/);
    expect(() => change(o, { ...first, id: 'other' })).toThrow(/identity names the current award/);
    expect(() => change({ ...o, amount: o.amount + 1n }, null)).toThrow(/payouts 100 \+ retained 5 ≠ amount 106/);
    expect(() => change({ ...o, earned: false }, null)).toThrow(/not earned has amount/);
    expect(() => change({ ...o, retained: -5n, amount: 95n }, null)).toThrow(InvariantError);
    const o2 = outcome([['i', 90n]]);
    expect(() => change(o2, { ...first, reserved_ore: 101n })).toThrow(/reserved 101 outside/);
    expect(() => change(o2, { ...first, payees: [{ institutionId: 'i', amount: 100n, payable: 150n }] })).toThrow(/payable 150/);
  });

  it('planReviewWindow: no money left to finalise, no window', () => {
    expect(planReviewWindow({ reserveTarget: 0n, payoutsChanged: true, current: null, reviewDays: 5, now: NOW })).toEqual({
      provisionalSince: null,
      reviewUntil: null,
      restarted: false,
    });
  });
});

describe('planSettlementBatch', () => {
  const other: RuleFacts = { ...rule, id: 'rule-2', fund_id: 'fund-2', periods: ['age-5'] };
  const unrelated: RuleFacts = { ...rule, id: 'rule-3', fund_id: 'fund-3', kind_key: 'laesning' };
  const batch = (current: CurrentAward[] = []) => ({
    measurements: [measurement()],
    rules: [rule, other, unrelated],
    children: new Map([['c-1', child]]),
    enrolments: new Map([['c-1', enrolments]]),
    institutions,
    current: current.map((a) => ({ ...a, rule_id: 'rule-1', measurement_id: 'm-1' })),
  });

  it('plans each applicable rule once, and funds every fund with a rule on the kind (the barrier is per kind)', () => {
    const plan = planSettlementBatch(batch(), NOW, () => 'new-id');
    expect(plan.awards.map((a) => [a.award.id, a.award.rule_id])).toEqual([['new-id', 'rule-1']]);
    expect(plan.touchedFunds).toEqual(['fund-1', 'fund-2']);
    expect(plan.changed).toBe(1);
    const again = planSettlementBatch(batch([stored(plan.awards[0]!)]), NOW, () => 'unused');
    expect(again).toEqual({ awards: [], touchedFunds: ['fund-1', 'fund-2'], changed: 0 });
  });

  it('refuses a measurement of a missing child', () => {
    expect(() => planSettlementBatch({ ...batch(), children: new Map() }, NOW, newId)).toThrow(/missing child/);
  });
});

describe('planFunding and planFinalisation', () => {
  const awaiting = (id: string, seq: bigint, target: bigint, reserved = 0n, open = 0): AwaitingAward => ({
    id,
    measurement_seq: seq,
    earned: true,
    reserved_ore: reserved,
    reserve_target_ore: target,
    open_objections: open,
  });

  it('funds in order and stops at the first award it cannot cover (a later, smaller one waits)', () => {
    const plan = planFunding({
      fundId: FUND,
      awaiting: [awaiting('a', 1n, 100n), awaiting('b', 2n, 500n, 200n, 1), awaiting('c', 3n, 400n), awaiting('d', 4n, 1n)],
      available: 500n,
      barrier: null,
    });
    expect(plan.reservations).toEqual([
      { id: 'a', reserved: 100n, status: 'provisional' },
      { id: 'b', reserved: 500n, status: 'held' },
    ]);
    expect(plan.ledgerEntries.map((e) => [e.awardId, e.lines.map((l) => l.amount)])).toEqual([
      ['a', [-100n, 100n]],
      ['b', [-300n, 300n]],
    ]);
    expect(plan).toMatchObject({ available: 100n, blocked: true });
  });

  it('stops at the barrier: an award at or after the earliest unsettled measurement waits', () => {
    const plan = planFunding({ fundId: FUND, awaiting: [awaiting('a', 1n, 100n), awaiting('b', 5n, 100n)], available: 1000n, barrier: 5n });
    expect(plan.reservations.map((r) => r.id)).toEqual(['a']);
    expect(plan).toMatchObject({ available: 900n, blocked: true });
    expect(planFunding({ fundId: FUND, awaiting: [awaiting('a', 1n, 100n)], available: 1000n, barrier: null }).blocked).toBe(false);
  });

  it('asserts order, need and a non-negative balance', () => {
    expect(() => planFunding({ fundId: FUND, awaiting: [awaiting('a', 2n, 1n), awaiting('b', 1n, 1n)], available: 10n, barrier: null })).toThrow(
      /funding order/,
    );
    expect(() => planFunding({ fundId: FUND, awaiting: [awaiting('a', 1n, 1n, 1n)], available: 10n, barrier: null })).toThrow(/not waiting/);
    expect(() => planFunding({ fundId: FUND, awaiting: [], available: -1n, barrier: null })).toThrow(/negative/);
  });

  it('finalisation moves each reservation to the payees, with the memo saying why', () => {
    const payees: PayeeMoney[] = [
      { institutionId: 'V', amount: 300n, payable: 100n },
      { institutionId: 'D', amount: 0n, payable: 0n },
    ];
    const [entry] = planFinalisation([{ id: 'a', fund_id: FUND, reserved_ore: 200n, payees }], { early: true });
    expect(entry).toEqual({
      kind: 'finalise',
      fundId: FUND,
      awardId: 'a',
      memo: 'finalised early by an administrator',
      lines: [
        { account: { fundId: FUND, type: 'reserved' }, amount: -200n },
        { account: { fundId: FUND, type: 'payable', institutionId: 'V' }, amount: 200n },
      ],
    });
    expect(planFinalisation([{ id: 'a', fund_id: FUND, reserved_ore: 200n, payees }], { early: false })[0]!.memo).toBe('review window passed');
    expect(() => planFinalisation([{ id: 'a', fund_id: FUND, reserved_ore: 150n, payees }], { early: false })).toThrow(/fully funded/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: one award's whole life against a model ledger.

class ModelLedger {
  readonly balances = new Map<string, bigint>();
  apply(entries: readonly EntryDraft[]): void {
    for (const e of entries) {
      expect(e.lines.reduce((s, l) => s + l.amount, 0n)).toBe(0n);
      for (const l of e.lines) this.add(l.account, l.amount);
    }
  }
  add(account: AccountRef, amount: bigint): void {
    const code = accountCode(account);
    this.balances.set(code, (this.balances.get(code) ?? 0n) + amount);
  }
  get(account: AccountRef): bigint {
    return this.balances.get(accountCode(account)) ?? 0n;
  }
}

const PAYEES = ['A', 'B', 'C'];
const arbOutcome: fc.Arbitrary<Outcome> = fc
  .record({
    payouts: fc.uniqueArray(fc.tuple(fc.constantFrom(...PAYEES), fc.bigInt({ min: 1n, max: 1_000_000n })), { selector: ([id]) => id }),
    retained: fc.bigInt({ min: 0n, max: 1_000n }),
    earned: fc.boolean(),
    reviewDays: fc.integer({ min: 0, max: 60 }),
    note: fc.nat(3),
    involved: fc.subarray(PAYEES),
  })
  .map(({ payouts, retained, earned, reviewDays, note, involved }) => {
    const paid = payouts.reduce((s, [, a]) => s + a, 0n);
    const isEarned = earned || paid + retained > 0n;
    return { versionId: 'v', reviewDays, earned: isEarned, amount: paid + retained, retained, payouts: new Map(payouts), involved, explanation: { note } };
  });

type Step =
  | { kind: 'recompute'; outcome: Outcome }
  | { kind: 'deposit'; ore: bigint }
  | { kind: 'fund' }
  | { kind: 'object' }
  | { kind: 'resolve' }
  | { kind: 'finalise' }
  | { kind: 'wait'; days: number };

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: arbOutcome.map((outcome) => ({ kind: 'recompute' as const, outcome })), weight: 4 },
  { arbitrary: fc.bigInt({ min: 1n, max: 2_000_000n }).map((ore) => ({ kind: 'deposit' as const, ore })), weight: 2 },
  { arbitrary: fc.constant({ kind: 'fund' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'object' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'resolve' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'finalise' as const }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 40 }).map((days) => ({ kind: 'wait' as const, days })), weight: 2 },
);

describe('planner properties', () => {
  it('through any history, the award’s rows agree with the ledger, money is conserved, and closing out pays the last payouts', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { maxLength: 30 }), arbOutcome, (steps, last) => {
        const identity: AwardIdentity = { id: 'a-1', rule_id: 'r', fund_id: FUND, child_id: 'c', measurement_id: 'm', measurement_seq: 1n };
        const ledger = new ModelLedger();
        let deposited = 0n;
        let now = NOW;
        let award: CurrentAward | null = null;
        let target = 0n;
        let status = 'none';
        let earned = false;

        const recompute = (o: Outcome) => {
          const digest = digestOutcome(o);
          if (award?.result_hash === digest.resultHash) return;
          const before = award;
          const plan = planAwardChange({ identity, outcome: o, digest, current: award, now });
          ledger.apply(plan.ledgerEntries);
          award = stored(plan, before?.open_objections ?? 0);
          target = plan.award.reserve_target_ore;
          status = plan.status;
          earned = o.earned;
          const changed =
            !before ||
            before.payees
              .filter((p) => p.amount > 0n)
              .map((p) => `${p.institutionId}${p.amount}`)
              .join() !==
              plan.payees
                .filter((p) => p.amount > 0n)
                .map((p) => `${p.institutionId}${p.amount}`)
                .join();
          if (target > 0n && (changed || !before?.provisional_since)) expect(plan.award.review_until).toEqual(new Date(now.getTime() + o.reviewDays * DAY_MS));
          if (target > 0n && !changed && before?.provisional_since) expect(plan.award.review_until).toEqual(before.review_until);
        };
        const fund = () => {
          if (!award) return;
          const waiting: AwaitingAward[] =
            award.reserved_ore < target
              ? [
                  {
                    id: award.id,
                    measurement_seq: 1n,
                    earned,
                    reserved_ore: award.reserved_ore,
                    reserve_target_ore: target,
                    open_objections: award.open_objections,
                  },
                ]
              : [];
          const available = ledger.get({ fundId: FUND, type: 'available' });
          const plan = planFunding({ fundId: FUND, awaiting: waiting, available, barrier: null });
          ledger.apply(plan.ledgerEntries);
          expect(plan.available).toBe(ledger.get({ fundId: FUND, type: 'available' }));
          for (const r of plan.reservations) {
            award = { ...award, reserved_ore: r.reserved };
            status = r.status;
          }
        };
        const finalise = () => {
          if (!award || status !== 'provisional') return;
          ledger.apply(planFinalisation([{ id: award.id, fund_id: FUND, reserved_ore: award.reserved_ore, payees: award.payees }], { early: true }));
          award = finalised(award, now);
          target = 0n;
          status = 'final';
        };

        for (const step of steps) {
          if (step.kind === 'recompute') recompute(step.outcome);
          else if (step.kind === 'deposit') {
            ledger.add({ fundId: FUND, type: 'available' }, step.ore);
            deposited += step.ore;
          } else if (step.kind === 'fund') fund();
          else if (step.kind === 'finalise') finalise();
          else if (step.kind === 'wait') now = new Date(now.getTime() + step.days * DAY_MS);
          else {
            const cur = award as CurrentAward | null;
            if (cur) {
              const open = Math.max(0, cur.open_objections + (step.kind === 'object' ? 1 : -1));
              award = { ...cur, open_objections: open };
              status = statusOf({ earned, reserved: cur.reserved_ore, reserveTarget: target, openObjections: open });
            }
          }
          // The award's rows say what the ledger holds for it; nothing is created or lost.
          const a = award as CurrentAward | null;
          const reserved = ledger.get({ fundId: FUND, type: 'reserved' });
          expect(reserved).toBe(a?.reserved_ore ?? 0n);
          for (const id of PAYEES)
            expect(ledger.get({ fundId: FUND, type: 'payable', institutionId: id })).toBe(a?.payees.find((p) => p.institutionId === id)?.payable ?? 0n);
          const available = ledger.get({ fundId: FUND, type: 'available' });
          expect(available).toBeGreaterThanOrEqual(0n);
          const payable = PAYEES.reduce((s, id) => s + ledger.get({ fundId: FUND, type: 'payable', institutionId: id }), 0n);
          expect(available + reserved + payable).toBe(deposited);
        }

        // Close out: the last result, enough money, objections resolved, funded, finalised.
        recompute(last);
        ledger.add({ fundId: FUND, type: 'available' }, 10_000_000n);
        if (award) award = { ...(award as CurrentAward), open_objections: 0 };
        status = award ? statusOf({ earned, reserved: (award as CurrentAward).reserved_ore, reserveTarget: target, openObjections: 0 }) : status;
        fund();
        finalise();
        for (const id of PAYEES) {
          expect(ledger.get({ fundId: FUND, type: 'payable', institutionId: id })).toBe(last.payouts.get(id) ?? 0n);
        }
        expect(ledger.get({ fundId: FUND, type: 'reserved' })).toBe(0n);
      }),
      { numRuns: 300 },
    );
  });

  it('settling twice with the same inputs plans nothing the second time, whatever the measurement and enrolments', () => {
    const arbEnrolments = fc.array(
      fc.record({ inst: fc.constantFrom('V', 'D'), start: fc.integer({ min: 0, max: 1500 }), length: fc.option(fc.integer({ min: 1, max: 900 })) }),
      { maxLength: 3 },
    );
    const day = (n: number) => new Date(Date.UTC(2019, 2, 15) + n * DAY_MS).toISOString().slice(0, 10);
    fc.assert(
      fc.property(arbEnrolments, fc.constantFrom('ok', 'nej'), fc.constantFrom<'active' | 'retracted'>('active', 'retracted'), (raw, value, status) => {
        const inp: SettlementInputs = {
          ...inputs({ value: status === 'active' ? value : null, status }),
          enrolments: raw.map((e) => enrolment(e.inst, day(e.start), e.length === null ? null : day(e.start + e.length))),
        };
        const first = planSettlement(inp, null, NOW, newId);
        if (first.action !== 'write') throw new Error(`expected a write, got ${first.action}`);
        const plan = first.plan;
        expect(plan.award.payout_total_ore + plan.award.retained_ore).toBe(plan.award.amount_ore);
        expect(planSettlement(inp, stored(plan), later(1), newId)).toEqual({ action: 'unchanged', hash: plan.award.result_hash });
      }),
      { numRuns: 200 },
    );
  });

  it('a funding pass reserves a prefix of the queue, in order, never more than is available', () => {
    const arbQueue = fc.array(fc.record({ target: fc.bigInt({ min: 1n, max: 1000n }), reservedShare: fc.nat(99) }), { maxLength: 12 });
    fc.assert(
      fc.property(arbQueue, fc.bigInt({ min: 0n, max: 6000n }), fc.option(fc.nat(12)), (queue, available, barrier) => {
        const awaiting = queue.map((q, i) => ({
          id: `a${i}`,
          measurement_seq: BigInt(i),
          earned: true,
          reserved_ore: (q.target * BigInt(q.reservedShare)) / 100n,
          reserve_target_ore: q.target,
          open_objections: 0,
        }));
        const plan = planFunding({ fundId: FUND, awaiting, available, barrier: barrier === null ? null : BigInt(barrier) });
        const n = plan.reservations.length;
        expect(plan.reservations.map((r) => r.id)).toEqual(awaiting.slice(0, n).map((a) => a.id));
        const spent = awaiting.slice(0, n).reduce((s, a) => s + a.reserve_target_ore - a.reserved_ore, 0n);
        expect(plan.available).toBe(available - spent);
        expect(plan.available).toBeGreaterThanOrEqual(0n);
        const next = awaiting[n];
        if (next) {
          expect(plan.blocked).toBe(true);
          const atBarrier = barrier !== null && next.measurement_seq >= BigInt(barrier);
          expect(atBarrier || next.reserve_target_ore - next.reserved_ore > plan.available).toBe(true);
        } else expect(plan.blocked).toBe(false);
      }),
    );
  });
});
