import { createHash, randomUUID } from 'node:crypto';
import type { Executor } from '../db/database.js';
import { canonicalJson } from '../domain/canonical-json.js';
import * as accounts from '../ledger/accounts.js';
import * as awardsRepo from '../repositories/awards.js';
import * as fundsRepo from '../repositories/funds.js';
import * as ledgerRepo from '../repositories/ledger.js';
import * as measurementsRepo from '../repositories/measurements.js';
import * as inputs from '../repositories/settlement-inputs.js';
import { computeAward, selectVersion } from '../settlement/index.js';
import { planFinalise, planRecompute, statusOf, type AwardMoney } from '../settlement/lifecycle.js';
import type { AwardResult } from '../settlement/types.js';
import type { Principal } from '../auth/principal.js';
import { problems } from '../http/problem.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { EntryDraft, LedgerService } from './ledger.js';
import { finalisedEvents, settlementEvents } from './settlement-events.js';
import { publishEvents } from './webhook-events.js';

const DAY_MS = 86_400_000;

export interface EarlyFinalisation {
  fundId: string;
  awardIds?: string[] | undefined;
  /** A calendar date: only awards whose review window ends on or before it (business time zone). */
  reviewUntilBy?: string | undefined;
  /** Why; kept in the audit log. */
  reason: string;
}
const FUNDING_BATCH = 1000;
const FINALISE_BATCH = 500;

/** A computed outcome: the core's result, or zero for a retraction / no version in force. */
interface Outcome {
  versionId: string | null;
  reviewDays: number;
  earned: boolean;
  amount: bigint;
  retained: bigint;
  payouts: Map<string, bigint>;
  /** Institutions that contributed days (kept as zero rows so they can see and object). */
  involved: string[];
  explanation: unknown;
}

function zeroOutcome(reason: 'retracted' | 'no_version_in_force', m: measurementsRepo.MeasurementRow): Outcome {
  return {
    versionId: null,
    reviewDays: 0,
    earned: false,
    amount: 0n,
    retained: 0n,
    payouts: new Map(),
    involved: [],
    explanation: { earned: false, reason, measurement: { period: m.period, measured_on: m.measured_on, status: m.status } },
  };
}

function fromResult(rule: { id: string }, version: { id: string; version: number }, reviewDays: number, r: AwardResult): Outcome {
  const involved = new Set<string>();
  for (const w of r.explanation.windows) for (const i of w.institutions) involved.add(i.institution_id);
  return {
    versionId: version.id,
    reviewDays,
    earned: r.earned,
    amount: r.amount_ore,
    retained: r.retained_ore,
    payouts: new Map(r.payouts.map((p) => [p.institution_id, p.amount_ore])),
    involved: [...involved],
    explanation: { rule_id: rule.id, rule_version_id: version.id, version: version.version, ...r.explanation },
  };
}

function hashOutcome(o: Outcome): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        version: o.versionId,
        earned: o.earned,
        amount: o.amount.toString(),
        retained: o.retained.toString(),
        payouts: [...o.payouts].sort().map(([id, a]) => [id, a.toString()]),
        explanation: o.explanation as never,
      }),
    )
    .digest('hex');
}

function samePayouts(a: AwardMoney['payees'], b: AwardMoney['payees']): boolean {
  const amounts = (p: AwardMoney['payees']) =>
    p.filter((x) => x.amount > 0n).map((x) => `${x.institutionId}=${x.amount}`).sort().join(',');
  return amounts(a) === amounts(b);
}

/**
 * Turns measurements into awards and ledger postings. Workers call these methods; each runs
 * in one transaction and is idempotent: settling the same inputs twice posts nothing.
 */
export class SettlementService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
  ) {}

  /** (Re)settles these measurements: compute every applicable rule's award, post differences. */
  async settle(measurementIds: string[]): Promise<{ settled: number; changed: number }> {
    if (!measurementIds.length) return { settled: 0, changed: 0 };
    return this.deps.db.transaction().execute(async (trx) => {
      const locked = await measurementsRepo.lockForSettlement(trx, [...new Set(measurementIds)]);
      const todo = locked.filter((m) => m.settled_gen < m.gen);
      if (!todo.length) return { settled: 0, changed: 0 };

      const childIds = [...new Set(todo.map((m) => m.child_id))];
      const [rules, children, enrolments, existing] = await Promise.all([
        inputs.rulesForKinds(trx, [...new Set(todo.map((m) => m.kind_key))]),
        inputs.childrenFacts(trx, childIds),
        inputs.enrolmentsOfChildren(trx, childIds),
        awardsRepo.forMeasurements(
          trx,
          todo.map((m) => m.id),
        ),
      ]);
      const institutionIds = new Set<string>();
      for (const list of enrolments.values()) for (const e of list) institutionIds.add(e.institution_id);
      const institutions = await inputs.institutionsWithSuccessors(trx, institutionIds);
      const existingByKey = new Map(existing.map((a) => [`${a.rule_id}:${a.measurement_id}`, a]));

      const now = this.deps.clock();
      const drafts: EntryDraft[] = [];
      const awardWrites: Array<awardsRepo.AwardWrite & { id: string; revision: number }> = [];
      const payeeWrites = new Map<string, AwardMoney['payees']>();
      const revisionWrites: awardsRepo.RevisionWrite[] = [];
      const touchedFunds = new Set<string>();
      let changed = 0;

      for (const m of todo) {
        const child = children.get(m.child_id);
        if (!child) throw new Error(`measurement ${m.id} refers to a missing child`);
        for (const rule of rules) {
          if (rule.kind_key !== m.kind_key) continue;
          // The funding barrier is per kind: settling this measurement lifts it for every fund
          // with a rule on the kind, whether or not the rule applies or the award changes.
          touchedFunds.add(rule.fund_id);
          if (rule.periods && !rule.periods.includes(m.period)) continue;
          const prev = existingByKey.get(`${rule.id}:${m.id}`);
          const version = selectVersion(rule.versions, m.measured_on);
          if (!version && !prev) continue; // §3: no version in force → no award

          // A retraction leaves a zero award, whether or not the measurement was settled before.
          const outcome = version && m.status === 'active'
            ? fromResult(
                rule,
                version,
                version.spec.review_days,
                computeAward({
                  version: version.spec,
                  measurement: { value: m.value!, measured_on: m.measured_on },
                  child,
                  enrolments: enrolments.get(m.child_id) ?? [],
                  institutions,
                }),
              )
            : zeroOutcome(m.status === 'retracted' ? 'retracted' : 'no_version_in_force', m);
          const hash = hashOutcome(outcome);
          if (prev && prev.result_hash === hash) continue; // same inputs, same award: nothing to post

          changed++;
          const money: AwardMoney = prev ? { payees: prev.payees, reserved: prev.reserved_ore } : { payees: [], reserved: 0n };
          const plan = planRecompute(money, outcome.payouts, outcome.involved);
          for (const r of plan.payableReleases) {
            drafts.push({
              kind: 'payable_adjustment',
              fundId: rule.fund_id,
              awardId: prev?.id ?? null,
              memo: 'award decreased after finalisation',
              lines: [
                { account: accounts.payable(rule.fund_id, r.institutionId), amount: -r.amount },
                { account: accounts.available(rule.fund_id), amount: r.amount },
              ],
            });
          }
          if (plan.reserveRelease > 0n) {
            drafts.push({
              kind: 'release',
              fundId: rule.fund_id,
              awardId: prev?.id ?? null,
              memo: 'reservation no longer needed',
              lines: [
                { account: accounts.reserved(rule.fund_id), amount: -plan.reserveRelease },
                { account: accounts.available(rule.fund_id), amount: plan.reserveRelease },
              ],
            });
          }

          const payoutsChanged = !prev || !samePayouts(prev.payees, plan.next.payees);
          const restartReview = plan.reserveTarget > 0n && (payoutsChanged || !prev?.provisional_since);
          const provisionalSince = restartReview ? now : plan.reserveTarget > 0n ? (prev?.provisional_since ?? now) : null;
          const reviewUntil = provisionalSince
            ? restartReview
              ? new Date(now.getTime() + outcome.reviewDays * DAY_MS)
              : (prev?.review_until ?? null)
            : null;
          const status = statusOf({
            earned: outcome.earned,
            reserved: plan.next.reserved,
            reserveTarget: plan.reserveTarget,
            openObjections: prev?.open_objections ?? 0,
          });
          const payoutTotal = [...outcome.payouts.values()].reduce((s, a) => s + a, 0n);
          const write: awardsRepo.AwardWrite = {
            rule_id: rule.id,
            measurement_id: m.id,
            fund_id: rule.fund_id,
            child_id: m.child_id,
            measurement_seq: m.seq,
            rule_version_id: outcome.versionId,
            status,
            earned: outcome.earned,
            amount_ore: outcome.amount,
            payout_total_ore: payoutTotal,
            retained_ore: outcome.retained,
            reserved_ore: plan.next.reserved,
            reserve_target_ore: plan.reserveTarget,
            result_hash: hash,
            explanation: outcome.explanation,
            provisional_since: provisionalSince,
            review_until: reviewUntil,
            finalised_at: status === 'final' ? (prev?.finalised_at ?? null) : null,
          };
          const revision = (prev?.revision ?? 0) + 1;
          // A new award gets its id here, so every write of this batch can name it.
          const id = prev?.id ?? randomUUID();
          awardWrites.push({ ...write, id, revision });
          payeeWrites.set(id, plan.next.payees);
          revisionWrites.push({
            award_id: id,
            revision,
            earned: outcome.earned,
            amount_ore: outcome.amount,
            retained_ore: outcome.retained,
            payouts: Object.fromEntries([...outcome.payouts].map(([k, v]) => [k, v.toString()])),
          });
        }
      }

      await awardsRepo.keepSupersededExplanations(
        trx,
        awardWrites.filter((a) => a.revision > 1).map((a) => a.id),
      );
      await awardsRepo.upsertMany(trx, awardWrites);
      await awardsRepo.replacePayeesMany(trx, payeeWrites);
      await awardsRepo.insertRevisions(trx, revisionWrites);
      await this.ledger.post(trx, drafts);
      await measurementsRepo.markSettled(
        trx,
        todo.map((m) => m.id),
      );
      for (const fundId of [...touchedFunds].sort()) await this.fundAwaiting(trx, fundId);
      await publishEvents(trx, settlementEvents(todo, awardWrites, payeeWrites, existingByKey), now);
      return { settled: todo.length, changed };
    });
  }

  /**
   * Reserves money for a fund's awards awaiting funds, strictly in acceptance order: stops at
   * the first award the available balance cannot cover, and at any earlier measurement still
   * waiting for settlement (its award, once computed, comes first).
   */
  async fundAwaiting(trx: Executor, fundId: string): Promise<number> {
    await this.ledger.lock(trx);
    const kinds = await trx.selectFrom('rules').select('kind_key').distinct().where('fund_id', '=', fundId).execute();
    const barrier = await measurementsRepo.earliestUnsettledSeq(
      trx,
      kinds.map((k) => k.kind_key),
    );
    const availableCode = accounts.accountCode(accounts.available(fundId));
    let available = (await ledgerRepo.balances(trx, [availableCode])).get(availableCode) ?? 0n;
    let funded = 0;
    for (;;) {
      const awaiting = await awardsRepo.awaitingFunds(trx, fundId, FUNDING_BATCH);
      const drafts: EntryDraft[] = [];
      const reservations: Parameters<typeof awardsRepo.setReservations>[1] = [];
      let blocked = false;
      for (const a of awaiting) {
        if (barrier !== null && a.measurement_seq >= barrier) {
          blocked = true;
          break;
        }
        const need = a.reserve_target_ore - a.reserved_ore;
        if (need > available) {
          blocked = true;
          break;
        }
        available -= need;
        drafts.push({
          kind: 'reserve',
          fundId,
          awardId: a.id,
          memo: 'award funded',
          lines: [
            { account: accounts.available(fundId), amount: -need },
            { account: accounts.reserved(fundId), amount: need },
          ],
        });
        reservations.push({
          id: a.id,
          reserved: a.reserve_target_ore,
          status: statusOf({ earned: a.earned, reserved: a.reserve_target_ore, reserveTarget: a.reserve_target_ore, openObjections: a.open_objections }),
        });
        funded++;
      }
      await awardsRepo.setReservations(trx, reservations);
      await this.ledger.post(trx, drafts);
      if (blocked || awaiting.length < FUNDING_BATCH) break;
    }
    return funded;
  }

  /**
   * Settlement gave up on this measurement (its job failed on it alone): `measurement.refused`
   * for the key that submitted it, once per version of its inputs (`gen`). It stays unsettled
   * and visible in /v1/settlement/status; settled later, it gets `measurement.settled`.
   */
  async reportRefused(measurementId: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const m = await measurementsRepo.get(trx, measurementId);
      if (!m || m.settled_gen >= m.gen) return;
      await publishEvents(
        trx,
        [
          {
            type: 'measurement.refused',
            data: { measurement_id: m.id, kind: m.kind_key, period: m.period, revision: m.revision, reason: 'settlement_failed' },
            audience: { institutionIds: [], submitterKeyId: m.submitted_by },
            dedupeKey: `${m.id}:${m.gen}`,
          },
        ],
        this.deps.clock(),
      );
    });
  }

  /** Runs a funding pass for one fund in its own transaction (after a deposit). */
  async fund(fundId: string): Promise<number> {
    return this.deps.db.transaction().execute((trx) => this.fundAwaiting(trx, fundId));
  }

  /**
   * An administrator finalising one fund's awards now instead of waiting for their review
   * windows — all of them, only these ids, and/or only those whose window ends by a date. Every
   * batch commits with an audit record of who, why and which awards (DECISIONS 60), so no award
   * is finalised early unrecorded; a request that finalises nothing is recorded too.
   */
  async finaliseEarly(actor: Principal, opts: EarlyFinalisation): Promise<number> {
    await this.checkEarlyFinalisation(opts);
    const selection = {
      reason: opts.reason,
      ...(opts.awardIds ? { award_ids_requested: opts.awardIds.length } : {}),
      ...(opts.reviewUntilBy ? { review_until_by: opts.reviewUntilBy } : {}),
    };
    const audit = (db: Executor, ids: string[]) =>
      recordAudit(db, actor, 'awards.finalise_early', { type: 'fund', id: opts.fundId }, { ...selection, finalised: ids.length, award_ids: ids });
    const finalised = await this.finalise(
      {
        early: true,
        fundId: opts.fundId,
        awardIds: opts.awardIds,
        dueBy: opts.reviewUntilBy ? { date: opts.reviewUntilBy, timeZone: this.deps.timeZone } : undefined,
      },
      audit,
    );
    if (finalised === 0) await audit(this.deps.db, []);
    return finalised;
  }

  /** The fund exists and every award named belongs to it (422 naming the field otherwise). */
  private async checkEarlyFinalisation(opts: EarlyFinalisation): Promise<void> {
    if (!(await fundsRepo.getFund(this.deps.db, opts.fundId))) throw problems.invalid('body.fund_id', 'unknown fund');
    if (!opts.awardIds) return;
    const funds = await awardsRepo.fundsOf(this.deps.db, opts.awardIds);
    const wrong = opts.awardIds.flatMap((id, i) =>
      funds.get(id) === opts.fundId ? [] : [{ field: `body.award_ids.${i}`, message: funds.has(id) ? 'is an award of another fund' : 'is not an award' }],
    );
    if (wrong.length) throw problems.invalidMany(wrong, 'Every award to finalise must be an award of the fund.');
  }

  /**
   * Finalises funded, unheld, provisional awards: those whose review window has passed, or
   * — with `early` — all of them (optionally only of one fund or these awards).
   */
  async finalise(
    opts: { early: boolean; fundId?: string | undefined; awardIds?: string[] | undefined; dueBy?: { date: string; timeZone: string } | undefined },
    /** Runs in each batch's transaction with the ids it finalised (the early path's audit record). */
    onBatch?: (trx: Executor, ids: string[]) => Promise<void>,
  ): Promise<number> {
    let total = 0;
    let after: awardsRepo.FinaliseCursor | null = null;
    for (;;) {
      const n = await this.deps.db.transaction().execute(async (trx) => {
        const batch = await awardsRepo.finalisable(trx, {
          now: opts.early ? null : this.deps.clock(),
          fundId: opts.fundId,
          awardIds: opts.awardIds,
          dueBy: opts.dueBy,
          after,
          limit: FINALISE_BATCH,
        });
        after = batch.next;
        const due = batch.awards;
        if (!due.length) return 0;
        const drafts: EntryDraft[] = [];
        const now = this.deps.clock();
        for (const a of due) {
          const plan = planFinalise({ payees: a.payees, reserved: a.reserved_ore });
          drafts.push({
            kind: 'finalise',
            fundId: a.fund_id,
            awardId: a.id,
            memo: opts.early ? 'finalised early by an administrator' : 'review window passed',
            lines: [
              { account: accounts.reserved(a.fund_id), amount: -a.reserved_ore },
              ...plan.moves.map((mv) => ({ account: accounts.payable(a.fund_id, mv.institutionId), amount: mv.amount })),
            ],
          });
        }
        await awardsRepo.markFinal(
          trx,
          due.map((a) => a.id),
          now,
        );
        await this.ledger.post(trx, drafts);
        await publishEvents(trx, finalisedEvents(due), now);
        await onBatch?.(trx, due.map((a) => a.id));
        return due.length;
      });
      total += n;
      if (n < FINALISE_BATCH) return total;
    }
  }
}
