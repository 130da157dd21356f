import type { Principal } from '../auth/principal.js';
import { ForecastRefusal } from '../forecast/errors.js';
import { computeForecast, type ComputeResult } from '../forecast/compute.js';
import { buildBuckets, rateKey, type Bucket, type CohortRow } from '../forecast/model.js';
import {
  applyScenario,
  DEFAULT_ASSUMED_RATE,
  GROUPS,
  parseDecimal,
  parseScenario,
  posterior,
  PRIOR_WEIGHT,
  type Rate,
  type ScenarioItem,
} from '../forecast/rates.js';
import { attributesFrom, knownAt, squaresAt } from '../forecast/summary.js';
import {
  awardUnitsOf,
  geometryAt,
  kindsOf,
  SEGMENTS,
  type AwardUnit,
  type CohortFrame,
  type CohortGeometry,
  type ForecastRule,
  type ForecastVersion,
} from '../forecast/units.js';
import * as repo from '../repositories/forecast.js';
import * as summaryRepo from '../repositories/forecast-summary.js';
import { getFund } from '../repositories/funds.js';
import * as rulesRepo from '../repositories/rules.js';
import { fundBalances } from '../repositories/ledger.js';
import { toDayNumber } from '../settlement/dates.js';
import type { Executor } from '../db/database.js';
import type { Rational } from '../settlement/rational.js';
import { recordAudit } from './audit.js';
import { businessDate } from './business-date.js';
import { ForecastSummaryService, keysOf } from './forecast-summary.js';
import { OutcomeSummaryService } from './outcome-summary.js';
import type { ServiceDeps } from './deps.js';

/** What the forecast is computed from, kept while the inputs stand still (DECISIONS D155). */
export interface ForecastBasis {
  fundId: string;
  today: string;
  seq: bigint;
  computedAt: Date;
  rules: ForecastRule[];
  units: AwardUnit[];
  notForecast: Array<{ rule_id: string; reason: string }>;
  buckets: Bucket[];
  decided: Map<string, { decided: number; earned: number; earnedOre: bigint }>;
  committedOre: bigint;
  /** Geometry per `${unit}|${birth date}` (the pipeline dates its children with it). */
  geometry: (unit: number, birthDate: string) => CohortGeometry;
}

export const MAX_HORIZON = 100;
export const DEFAULT_HORIZON = 25;
/** A kept basis is recomputed after this long even when nothing announced a change (D155). */
const BASIS_TTL_MS = 10 * 60_000;

export interface RateReport {
  rule_id: string;
  group: 'restgruppe' | 'other';
  decided: number;
  earned: number;
  assumed_rate: string;
  assumed_rate_set: boolean;
  prior_weight: number;
  posterior_rate: string;
  rate: string;
  rate_sd: number;
}

export interface ForecastReport extends ComputeResult {
  fund_id: string;
  as_of: string;
  horizon_years: number;
  scenario: string | null;
  available_ore: bigint;
  reserved_ore: bigint;
  committed_ore: bigint;
  rule_names: Map<string, string>;
  rates: RateReport[];
  not_forecast: Array<{ rule_id: string; reason: string }>;
  basis: { computed_at: string; inputs_seq: string; cohorts: number };
}

const decimal = (r: Rational, places = 4) => (Number(r.num) / Number(r.den)).toFixed(places);

/**
 * The fund's liability forecast (issue 13 item 1; docs/FORECAST.md). The per-cohort basis is read
 * from the summary (only the changed cohorts after the day's first read, D187), kept per fund while
 * `forecast_inputs_seq` and the business date stand still; every request applies the current
 * assumed rates, the scenario and the ledger's holdings to it.
 */
export class ForecastService {
  private readonly kept = new Map<string, ForecastBasis>();
  private geometryDay = '';
  private readonly geometryCache = new Map<string, Map<string, CohortGeometry>>();
  private readonly building = new Map<string, Promise<ForecastBasis>>();
  /** The summary's pending cohorts per fund as last read on day `t`, by id with the row version (D187). */
  private readonly cohortReads = new Map<string, { t: number; cohorts: Map<number, CohortRead> }>();

  readonly summary: ForecastSummaryService;

  constructor(
    private readonly deps: ServiceDeps,
    /** The outcome summary, whose totals give the decided awards per rule and origin (repo.decidedCounts). */
    private readonly outcomes = new OutcomeSummaryService(deps),
  ) {
    this.summary = new ForecastSummaryService(deps);
  }

  today(): string {
    return businessDate(this.deps.clock(), this.deps.timeZone);
  }

  async forecast(fundId: string, query: { horizon: number; scenario?: string | undefined }): Promise<ForecastReport> {
    if (!Number.isInteger(query.horizon) || query.horizon < 1 || query.horizon > MAX_HORIZON) {
      throw new ForecastRefusal('invalid', 'query.horizon', `must be a whole number of years from 1 to ${MAX_HORIZON}`);
    }
    await this.requireFund(fundId);
    const basis = await this.basis(fundId);
    const scenario = this.scenarioOf(query.scenario, basis);
    const assumed = await repo.assumedRates(
      this.deps.db,
      basis.rules.map((r) => r.id),
    );
    const { rates, report } = this.rates(basis, assumed, scenario);
    const balances = await fundBalances(this.deps.db, fundId);
    const meanEarnedOre = new Map(basis.rules.map((r) => [r.id, this.meanEarned(basis, r.id)]));
    const result = computeForecast({
      startYear: Number(basis.today.slice(0, 4)),
      horizon: query.horizon,
      rules: basis.rules,
      buckets: basis.buckets,
      rates,
      meanEarnedOre,
      holdings: { availableOre: balances.available, reservedOre: balances.reserved },
      committedOre: basis.committedOre,
    });
    const unpriced = result.unpriced.map((id) => ({ rule_id: id, reason: 'a value-based amount and no earned award yet to estimate it from' }));
    return {
      ...result,
      fund_id: fundId,
      as_of: basis.today,
      horizon_years: query.horizon,
      scenario: query.scenario ?? null,
      available_ore: balances.available,
      reserved_ore: balances.reserved,
      committed_ore: basis.committedOre,
      rule_names: new Map(basis.rules.map((r) => [r.id, r.name])),
      rates: report,
      not_forecast: [...basis.notForecast, ...unpriced],
      basis: { computed_at: basis.computedAt.toISOString(), inputs_seq: String(basis.seq), cohorts: basis.buckets.length },
    };
  }

  meanEarned(basis: ForecastBasis, ruleId: string): bigint | null {
    let n = 0;
    let sum = 0n;
    for (const g of GROUPS) {
      const d = basis.decided.get(`${ruleId}|${g}`);
      if (d) {
        n += d.earned;
        sum += d.earnedOre;
      }
    }
    return n ? sum / BigInt(n) : null;
  }

  private scenarioOf(text: string | undefined, basis: ForecastBasis): ScenarioItem[] {
    if (text === undefined || text.trim() === '') return [];
    const parsed = parseScenario(text);
    if ('error' in parsed) throw new ForecastRefusal('invalid', 'query.scenario', parsed.error);
    const known = new Set(basis.rules.map((r) => r.id));
    const unknown = parsed.items.find((i) => i.ruleId !== null && !known.has(i.ruleId));
    if (unknown) throw new ForecastRefusal('invalid', 'query.scenario', `unknown rule ${unknown.ruleId} (not a rule of this fund)`);
    return parsed.items;
  }

  /** The rate per (rule, group): posterior of the assumed-rate prior and the decided awards, then the scenario. */
  rates(basis: ForecastBasis, assumed: Map<string, { rate: string }>, scenario: ScenarioItem[]): { rates: Map<string, Rate>; report: RateReport[] } {
    const rates = new Map<string, Rate>();
    const report: RateReport[] = [];
    for (const rule of basis.rules) {
      const assumedText = assumed.get(rule.id)?.rate ?? DEFAULT_ASSUMED_RATE;
      const prior = parseDecimal(assumedText)!;
      for (const group of GROUPS) {
        const d = basis.decided.get(`${rule.id}|${group}`) ?? { decided: 0, earned: 0, earnedOre: 0n };
        const rate = applyScenario(rule.id, posterior(prior, d), scenario);
        rates.set(`${rule.id}|${group}`, rate);
        report.push({
          rule_id: rule.id,
          group,
          decided: d.decided,
          earned: d.earned,
          assumed_rate: decimal(prior),
          assumed_rate_set: assumed.has(rule.id),
          prior_weight: PRIOR_WEIGHT,
          posterior_rate: decimal(rate.posterior),
          rate: decimal(rate.rate),
          rate_sd: Math.round(Math.sqrt(rate.variance) * 1e4) / 1e4,
        });
      }
    }
    return { rates, report };
  }

  async requireFund(fundId: string): Promise<void> {
    const fund = await getFund(this.deps.db, fundId);
    if (!fund) throw new ForecastRefusal('not_found', null, 'No such fund.');
  }

  async setAssumedRate(
    actor: Principal,
    ruleId: string,
    input: { rate: string | null; note?: string | null | undefined },
  ): Promise<{ rule_id: string; rate: string | null }> {
    const rule = await rulesRepo.getRule(this.deps.db, ruleId);
    if (!rule) throw new ForecastRefusal('not_found', null, 'No such rule.');
    const rate = input.rate === null ? null : parseDecimal(input.rate);
    if (input.rate !== null && (!rate || rate.num < 0n || rate.num > rate.den || !/^\d(\.\d{1,4})?$/.test(input.rate))) {
      throw new ForecastRefusal('invalid', 'body.rate', 'must be a decimal from 0 to 1 with at most 4 places, e.g. "0.45"');
    }
    await this.deps.db.transaction().execute(async (trx) => {
      if (input.rate === null) await repo.clearAssumedRate(trx, ruleId);
      else await repo.setAssumedRate(trx, { ruleId, rate: input.rate, note: input.note ?? null, setBy: actor.keyId });
      await recordAudit(trx, actor, 'rule.assumed_rate.set', { type: 'rule', id: ruleId }, { rate: input.rate });
    });
    return { rule_id: ruleId, rate: input.rate };
  }

  /** The kept basis when the inputs and the date are unchanged, else a new one (one build at a time per fund). */
  async basis(fundId: string): Promise<ForecastBasis> {
    const today = this.today();
    const seq = await repo.inputsSeq(this.deps.db);
    const kept = this.kept.get(fundId);
    if (kept && kept.today === today && kept.seq === seq && this.deps.clock().getTime() - kept.computedAt.getTime() < BASIS_TTL_MS) return kept;
    const running = this.building.get(fundId);
    if (running) return running;
    const build = this.buildBasis(fundId, today).finally(() => this.building.delete(fundId));
    this.building.set(fundId, build);
    return build;
  }

  private async buildBasis(fundId: string, today: string): Promise<ForecastBasis> {
    // The counter first: a change committed after this read bumps it, so a basis that misses it is not kept (D155).
    const seq = await repo.inputsSeq(this.deps.db);
    const t0 = performance.now();
    const refreshed = await this.summary.refresh();
    const outcomes = await this.outcomes.refresh(); // the decided awards come from outcome_counts, kept from change marks too (D199)
    const t1 = performance.now();
    return this.deps.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const rules = (await repo.fundRules(trx, fundId)).map((r): ForecastRule => ({ ...r, versions: r.versions as ForecastVersion[] }));
        const periods = await repo.kindPeriods(trx, [...new Set(rules.flatMap(kindsOf))]);
        const units: AwardUnit[] = [];
        const notForecast: Array<{ rule_id: string; reason: string }> = [];
        for (const rule of rules) {
          const r = awardUnitsOf(rule, (kind) => periods.get(kind) ?? new Map());
          if ('reason' in r) notForecast.push({ rule_id: rule.id, reason: r.reason });
          else units.push(...r.units);
        }
        // The summary's units (same rules, same transaction): their frames are cached per process.
        const kept = new Map((await this.summary.units(trx)).map((u) => [`${u.ruleId}|${u.period}`, u]));
        const keptUnits = units.map((u) => kept.get(`${u.ruleId}|${u.period ?? ''}`)!);
        const frameOf = keptUnits.map((u) => u.frame);
        const geo = keptUnits.map((u) => this.geometries(today, u.fingerprint));
        const geometry = (unit: number, birthDate: string) => {
          const g = geo[unit]!;
          return g.get(birthDate) ?? g.set(birthDate, geometryAt(frameOf[unit]!(birthDate), today)).get(birthDate)!;
        };
        const cohorts = cohortRows(
          rules,
          units,
          today,
          await this.pendingCohorts(
            trx,
            fundId,
            rules.map((r) => r.id),
            toDayNumber(today),
          ),
        );
        const t2 = performance.now();
        const profile = await this.profile(trx, units, await summaryRepo.birthDates(trx), frameOf, today);
        const t3 = performance.now();
        const buckets = buildBuckets(rules, units, cohorts, (c) => geometry(c.unit, c.birthDate), profile);
        this.deps.log.debug(
          {
            refresh_ms: Math.round(t1 - t0),
            refreshed,
            outcome_marks: outcomes.marks,
            cohorts_ms: Math.round(t2 - t1),
            profile_ms: Math.round(t3 - t2),
            buckets_ms: Math.round(performance.now() - t3),
            cohorts: cohorts.length,
          },
          'forecast basis built',
        );
        const decided = new Map<string, { decided: number; earned: number; earnedOre: bigint }>();
        for (const d of await repo.decidedCounts(
          trx,
          rules.map((r) => r.id),
        )) {
          decided.set(`${d.ruleId}|${d.restgruppe ? 'restgruppe' : 'other'}`, d);
        }
        const basis: ForecastBasis = {
          fundId,
          today,
          seq,
          computedAt: this.deps.clock(),
          rules,
          units,
          notForecast,
          buckets,
          decided,
          committedOre: await repo.committedOre(trx, fundId),
          geometry,
        };
        this.kept.set(fundId, basis);
        return basis;
      });
  }

  /**
   * The fund's pending cohorts seen on day `t`, in id order. Only cohorts whose row version changed
   * since the last read (on the same day) are read again with their events: the summary's writer
   * rewrites a cohort's row whenever it changes the cohort or its events (D187).
   */
  private async pendingCohorts(trx: Executor, fundId: string, ruleIds: string[], t: number): Promise<CohortRead[]> {
    const versions = await summaryRepo.cohortVersions(trx, ruleIds);
    const last = this.cohortReads.get(fundId);
    const before = last && last.t === t ? last.cohorts : new Map<number, CohortRead>();
    const cohorts = new Map<number, CohortRead>();
    const stale: number[] = [];
    for (const { id, v } of versions) {
      const kept = before.get(id);
      if (kept && kept.row.v === v) cohorts.set(id, kept);
      else stale.push(id);
    }
    if (stale.length) {
      // Most changed (a new day, a rebuilt summary, the first read): one pass over the fund's cohorts.
      const read = await summaryRepo.pendingCohorts(trx, ruleIds, t, stale.length * 2 > versions.length ? undefined : stale);
      const known = new Map<number, CohortRead['known']>();
      for (const e of read.known)
        (known.get(e.cohort_id) ?? known.set(e.cohort_id, []).get(e.cohort_id)!).push([e.win, { alpha: Number(e.alpha), beta: Number(e.beta) }]);
      const squares = new Map(read.squares.map((e) => [e.cohort_id, e]));
      for (const row of read.cohorts) cohorts.set(row.id, { row, known: known.get(row.id) ?? [], squares: squares.get(row.id) ?? { a: 0, b: 0, c: 0 } });
    }
    this.cohortReads.set(fundId, { t, cohorts });
    return [...cohorts.values()].sort((a, b) => a.row.id - b.row.id);
  }

  /** Geometries of one unit (by fingerprint) as seen today, kept for the day: a cold forecast reuses them. */
  private geometries(today: string, fingerprint: string): Map<string, CohortGeometry> {
    if (this.geometryDay !== today) {
      this.geometryDay = today;
      this.geometryCache.clear();
    }
    return this.geometryCache.get(fingerprint) ?? this.geometryCache.set(fingerprint, new Map()).get(fingerprint)!;
  }

  /** Attribution rate per (unit, version, window, segment) among the latest cohorts that have passed the window. */
  private async profile(
    trx: Executor,
    units: AwardUnit[],
    dates: Array<{ birthDate: string; children: number }>,
    frameOf: Array<(birthDate: string) => CohortFrame>,
    today: string,
  ): Promise<Map<number, number>> {
    const t = toDayNumber(today);
    const picked: Array<{ unit: number; birthDate: string; children: number; win: number; frame: CohortFrame }> = [];
    units.forEach((_, unit) => {
      const taken = new Map<number, number>();
      for (let i = dates.length - 1; i >= 0; i--) {
        const { birthDate, children } = dates[i]!;
        const frame = frameOf[unit]!(birthDate);
        frame.windows.forEach((w, win) => {
          if (w.end > t || w.length === 0 || (taken.get(win) ?? 0) >= PROFILE_COHORTS) return;
          taken.set(win, (taken.get(win) ?? 0) + 1);
          picked.push({ unit, birthDate, children, win, frame });
        });
      }
    });
    const keys = new Map(
      picked.map((p) => [
        `${units[p.unit]!.ruleId}|${units[p.unit]!.period ?? ''}|${p.birthDate}`,
        { ruleId: units[p.unit]!.ruleId, period: units[p.unit]!.period ?? '', birthDate: p.birthDate },
      ]),
    );
    const covered = new Map<string, string[]>();
    for (const r of await summaryRepo.profileCovered(trx, [...keys.values()])) covered.set(`${r.rule_id}|${r.period}|${r.birth_date}`, r.covered);
    const sums = new Map<number, { covered: number; days: number }>();
    for (const { unit, birthDate, children, win, frame } of picked) {
      const u = units[unit]!;
      const cov = covered.get(`${u.ruleId}|${u.period ?? ''}|${birthDate}`);
      frame.windows[win]!.segments.forEach((s, seg) => {
        if (s.end <= s.start) return;
        const key = rateKey(unit, frame.versionIdx!, win, seg);
        const sum = sums.get(key) ?? sums.set(key, { covered: 0, days: 0 }).get(key)!;
        sum.covered += Number(cov?.[SEGMENTS * win + seg] ?? 0);
        sum.days += (s.end - s.start) * children;
      });
    }
    // Integer sums (below 2^53) divided once: the correctly rounded quotient of the exact ratio.
    return new Map([...sums].filter(([, s]) => s.days > 0).map(([k, s]) => [k, s.covered / s.days]));
  }
}

/** How many of the latest cohorts past a window's end make its attribution profile. */
const PROFILE_COHORTS = 60;

/** A pending cohort as read from the summary on a day: its row and its events after that day, summed. */
interface CohortRead {
  row: summaryRepo.PendingCohortRow;
  /** [window, Σ events after the day] */
  known: Array<[number, { alpha: number; beta: number }]>;
  squares: { a: number; b: number; c: number };
}

/**
 * The fund's pending cohorts seen on `today`: children, known days per window (final + the events
 * after today) and the sum of squares of the known shares.
 */
function cohortRows(rules: ForecastRule[], units: AwardUnit[], today: string, reads: CohortRead[]): CohortRow[] {
  const t = toDayNumber(today);
  const unitOf = new Map(units.map((u, i) => [`${u.ruleId}|${u.period ?? ''}`, i]));
  const keysOfRule = new Map(rules.map((r) => [r.id, keysOf(r)]));
  const attributes = new Map<string, Record<string, unknown>>();
  const attributesOf = (ruleId: string, attrs: string) => {
    const k = `${ruleId}|${attrs}`;
    return attributes.get(k) ?? attributes.set(k, attributesFrom(keysOfRule.get(ruleId)!, attrs)).get(k)!;
  };
  const out: CohortRow[] = [];
  for (const { row: c, known, squares } of reads) {
    const unit = unitOf.get(`${c.rule_id}|${c.period}`);
    if (unit === undefined) continue; // a unit of a rule this fund no longer forecasts
    const tau = t - c.birth_day;
    const knownDays = c.known_final === '' ? [] : c.known_final.split(',').map(Number);
    for (const [win, e] of known) {
      while (knownDays.length <= win) knownDays.push(0);
      knownDays[win] = knownAt(knownDays[win]!, e, tau);
    }
    out.push({
      unit,
      birthDate: c.birth_date,
      attributes: attributesOf(c.rule_id, c.attrs),
      children: c.children,
      knownDays,
      knownSq: squaresAt(c.sq_final, squares, tau),
    });
  }
  return out;
}
