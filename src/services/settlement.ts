import type { Executor } from '../db/database.js';
import { newId } from '../domain/ids.js';
import * as accounts from '../ledger/accounts.js';
import * as awardsRepo from '../repositories/awards.js';
import * as fundsRepo from '../repositories/funds.js';
import * as ledgerRepo from '../repositories/ledger.js';
import * as measurementsRepo from '../repositories/measurements.js';
import * as inputs from '../repositories/settlement-inputs.js';
import type { RuleWithVersions } from '../repositories/settlement-inputs.js';
import type { CompositePair } from '../settlement/composite.js';
import type { MeasurementFacts } from '../settlement/planner.js';
import { planFinalisation, planFunding } from '../settlement/funding.js';
import { planSettlementBatch, type BatchPlan, type SettlementBatch } from '../settlement/batch.js';
import type { Principal } from '../auth/principal.js';
import { problems } from '../domain/problem.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { LedgerService } from './ledger.js';
import { finalisedEvents, refusedEvent, settlementEvents } from './settlement-events.js';
import { publishEvents } from './webhook-events.js';
import { withRevisions, type PostedRevision } from '../ledger/explanation.js';

/** The revision each of these stored awards is at (what funding and finalisation entries post). */
const currentRevisions = (awards: awardsRepo.AwardRow[]) =>
  new Map<string, PostedRevision>(awards.map((a) => [a.id, { revision: a.revision, explanationSha256: a.explanation_sha256 }]));

/** A settlement batch as loaded: the planner's inputs, with the measurement rows the events report. */
type LoadedBatch = SettlementBatch & { measurements: measurementsRepo.StoredMeasurement[]; current: awardsRepo.AwardWithPayees[] };
type LoadedPair = CompositePair & { current: awardsRepo.AwardWithPayees | null };

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

/**
 * Turns measurements into awards and ledger postings. Workers call these methods; each runs
 * in one transaction and is idempotent: settling the same inputs twice posts nothing. Every
 * decision is made by the pure planner (`src/settlement/planner.ts`, `funding.ts`); this
 * service loads what it needs, plans, and writes.
 */
export class SettlementService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
  ) {}

  /** (Re)settles these measurements: compute every applicable rule's award, post differences. */
  async settle(measurementIds: string[]): Promise<{ settled: number; changed: number }> {
    if (!measurementIds.length) return { settled: 0, changed: 0 };
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const batch = await this.loadBatch(trx, [...new Set(measurementIds)]);
      if (!batch) return { settled: 0, changed: 0 };
      const now = this.deps.clock();
      const plan = planSettlementBatch(batch, now, newId);
      // This job's own rows first — awards and the events — then,
      // under the fund locks held to the commit, the postings and funding passes: the only part
      // that two jobs on one fund do one after the other (D171).
      await this.writeAwards(trx, plan, now);
      await publishEvents(trx, settlementEvents(batch.measurements, plan.awards, batch.current), now);
      await this.postAndFund(trx, plan);
      return { settled: batch.measurements.length, changed: plan.changed };
    });
    if (result.changed) this.deps.afterCommit(); // seal (and relay) now rather than at the next poll
    return result;
  }

  /**
   * Locks the measurements, takes the waiting ones out of the backlog (settled by this transaction
   * when it commits), and loads everything their awards depend on.
   */
  private async loadBatch(trx: Executor, measurementIds: string[]): Promise<LoadedBatch | null> {
    const locked = await measurementsRepo.lockForSettlement(trx, measurementIds);
    const waiting = await measurementsRepo.claimWaiting(
      trx,
      locked.map((m) => m.id),
    );
    const measurements = locked.filter((m) => waiting.has(m.id));
    if (!measurements.length) return null;
    const childIds = [...new Set(measurements.map((m) => m.child_id))];
    const rules = await inputs.rulesForKinds(trx, [...new Set(measurements.map((m) => m.kind_key))]);
    // Composite pairs are locked before any award row is (see lockCompositePairs).
    const composites = await this.loadComposites(trx, measurements, rules);
    const [children, enrolments, current] = await Promise.all([
      inputs.childrenFacts(trx, childIds),
      inputs.enrolmentsOfChildren(trx, childIds),
      awardsRepo.forMeasurements(
        trx,
        measurements.map((m) => m.id),
      ),
    ]);
    const institutionIds = new Set<string>();
    for (const list of enrolments.values()) for (const e of list) institutionIds.add(e.institution_id);
    const institutions = await inputs.institutionsWithSuccessors(trx, institutionIds);
    const compositeCurrent = composites.flatMap((c) => (c.current ? [c.current] : []));
    return { measurements, rules, children, enrolments, institutions, current: [...current, ...compositeCurrent], composites };
  }

  /**
   * The (composite rule, child) pairs these measurements are a requirement of (§11), locked, each
   * with the child's measurements of every requirement and the pair's current award.
   */
  private async loadComposites(trx: Executor, measurements: readonly measurementsRepo.StoredMeasurement[], rules: RuleWithVersions[]): Promise<LoadedPair[]> {
    const pairs = new Map<string, { rule: RuleWithVersions; child_id: string }>();
    for (const m of measurements) {
      for (const rule of rules) {
        if (rule.requirements?.some((r) => r.kind_key === m.kind_key && r.period === m.period))
          pairs.set(`${rule.id}:${m.child_id}`, { rule, child_id: m.child_id });
      }
    }
    if (!pairs.size) return [];
    await inputs.lockCompositePairs(trx, [...pairs.keys()]);
    const wanted = [...new Map([...pairs.values()].flatMap((p) => p.rule.requirements!).map((r) => [`${r.kind_key}\u0000${r.period}`, r])).values()];
    const childIds = [...new Set([...pairs.values()].map((p) => p.child_id))];
    const [rows, current] = await Promise.all([
      inputs.measurementsOfPairs(trx, childIds, wanted),
      awardsRepo.forRuleChildren(
        trx,
        [...pairs.values()].map((p) => ({ rule_id: p.rule.id, child_id: p.child_id })),
      ),
    ]);
    const currentByPair = new Map(current.map((a) => [`${a.rule_id}:${a.child_id}`, a]));
    return [...pairs].map(([key, { rule, child_id }]) => {
      const mine = rows.filter((m) => m.child_id === child_id);
      const byName = new Map<string, MeasurementFacts>();
      for (const r of rule.requirements!) {
        const m = mine.find((x) => x.kind_key === r.kind_key && x.period === r.period);
        if (m) byName.set(r.name, m);
      }
      return { rule, child_id, measurements: byName, current: currentByPair.get(key) ?? null };
    });
  }

  /** Writes a batch plan's rows: awards (keeping superseded explanations), payees, revisions. */
  private async writeAwards(trx: Executor, plan: BatchPlan, now: Date): Promise<void> {
    const awards = plan.awards.map((p) => p.award);
    // Revision 1: the planner found no current award (a new row, no payees yet); later revisions
    // overwrite a stored award (D211).
    const existing = awards.filter((a) => a.revision > 1).map((a) => a.id);
    await awardsRepo.keepSupersededExplanations(trx, existing);
    await awardsRepo.upsertMany(trx, awards, now);
    await awardsRepo.replacePayeesMany(trx, new Map(plan.awards.map((p) => [p.award.id, p.payees])), existing);
    await awardsRepo.insertRevisions(
      trx,
      plan.awards.map((p) => p.revision),
    );
  }

  /** Posts a batch plan's entries and gives every fund it touched a funding pass, under the fund locks. */
  private async postAndFund(trx: Executor, plan: BatchPlan): Promise<void> {
    // What each entry commits to: the new revision's explanation digest (docs/LEDGER.md),
    // computed by the planner with the explanation's stored text (one serialisation, D167).
    const revisions = new Map<string, PostedRevision>(
      plan.awards.map((p) => [p.award.id, { revision: p.award.revision, explanationSha256: p.award.explanation_sha256 }]),
    );
    const entries = withRevisions(
      plan.awards.flatMap((p) => p.ledgerEntries),
      revisions,
    );
    // Every fund this batch posts to or funds, locked at once in id order (no lock cycles with
    // another job); held to the commit, so funding stays in acceptance order per fund.
    await this.ledger.lockFunds(trx, [...plan.touchedFunds, ...entries.map((e) => e.fundId)]);
    await this.ledger.post(trx, entries);
    for (const fundId of plan.touchedFunds) await this.fundAwaiting(trx, fundId);
  }

  /**
   * Reserves money for a fund's awards awaiting funds, strictly in acceptance order: stops at
   * the first award the available balance cannot cover, and at any earlier measurement still
   * waiting for settlement (its award, once computed, comes first). `planFunding` decides.
   */
  async fundAwaiting(trx: Executor, fundId: string): Promise<number> {
    await this.ledger.lockFunds(trx, [fundId]);
    const barrier = await measurementsRepo.earliestUnsettledSeq(trx, await inputs.ruleKindsOfFund(trx, fundId));
    const availableCode = accounts.accountCode(accounts.available(fundId));
    let available = (await ledgerRepo.balances(trx, [availableCode])).get(availableCode) ?? 0n;
    let funded = 0;
    for (;;) {
      const awaiting = await awardsRepo.awaitingFunds(trx, fundId, FUNDING_BATCH);
      const plan = planFunding({ fundId, awaiting, available, barrier });
      await awardsRepo.setReservations(trx, plan.reservations);
      await this.ledger.post(trx, withRevisions(plan.ledgerEntries, currentRevisions(awaiting)));
      available = plan.available;
      funded += plan.reservations.length;
      if (plan.blocked || awaiting.length < FUNDING_BATCH) return funded;
    }
  }

  /**
   * Settlement gave up on this measurement (its job failed on it alone): `measurement.refused`
   * for the key that submitted it, once per version of its inputs (`gen`). It stays unsettled
   * and visible in /v1/settlement/status; settled later, it gets `measurement.settled`.
   */
  async reportRefused(measurementId: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const m = await measurementsRepo.get(trx, measurementId);
      if (!m || m.settled) return;
      await publishEvents(trx, [refusedEvent(m)], this.deps.clock());
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
        const now = this.deps.clock();
        const entries = planFinalisation(due, { early: opts.early });
        await awardsRepo.markFinal(
          trx,
          due.map((a) => a.id),
          now,
        );
        await this.ledger.post(trx, withRevisions(entries, currentRevisions(due)));
        await publishEvents(trx, finalisedEvents(due), now);
        await onBatch?.(
          trx,
          due.map((a) => a.id),
        );
        return due.length;
      });
      total += n;
      if (n < FINALISE_BATCH) return total;
    }
  }
}
