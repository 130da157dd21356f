import type { Principal } from '../auth/principal.js';
import { ForecastRefusal } from '../forecast/errors.js';
import { computeForecast, type ComputeResult } from '../forecast/compute.js';
import { buildBuckets, type Bucket, type CohortRow } from '../forecast/model.js';
import { applyScenario, DEFAULT_ASSUMED_RATE, GROUPS, parseDecimal, parseScenario, posterior, PRIOR_WEIGHT, type Rate, type ScenarioItem } from '../forecast/rates.js';
import { awardUnitsOf, cohortGeometry, type AwardUnit, type CohortGeometry, type ForecastRule } from '../forecast/units.js';
import * as repo from '../repositories/forecast.js';
import { getFund } from '../repositories/funds.js';
import * as rulesRepo from '../repositories/rules.js';
import { fundBalances } from '../repositories/ledger.js';
import { fromDayNumber, toDayNumber } from '../settlement/dates.js';
import * as q from '../settlement/rational.js';
import type { Executor } from '../db/database.js';
import type { Rational } from '../settlement/rational.js';
import { recordAudit } from './audit.js';
import { businessDate } from './business-date.js';
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
 * The fund's liability forecast (issue 13 item 1; docs/FORECAST.md). The per-cohort basis is one
 * SQL scan, kept per fund while `forecast_inputs_seq` and the business date stand still; every
 * request applies the current assumed rates, the scenario and the ledger's holdings to it.
 */
export class ForecastService {
  private readonly kept = new Map<string, ForecastBasis>();
  private readonly building = new Map<string, Promise<ForecastBasis>>();

  constructor(private readonly deps: ServiceDeps) {}

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
    const assumed = await repo.assumedRates(this.deps.db, basis.rules.map((r) => r.id));
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
          rule_id: rule.id, group, decided: d.decided, earned: d.earned, assumed_rate: decimal(prior), assumed_rate_set: assumed.has(rule.id),
          prior_weight: PRIOR_WEIGHT, posterior_rate: decimal(rate.posterior), rate: decimal(rate.rate), rate_sd: Math.round(Math.sqrt(rate.variance) * 1e4) / 1e4,
        });
      }
    }
    return { rates, report };
  }

  async requireFund(fundId: string): Promise<void> {
    const fund = await getFund(this.deps.db, fundId);
    if (!fund) throw new ForecastRefusal('not_found', null, 'No such fund.');
  }

  async setAssumedRate(actor: Principal, ruleId: string, input: { rate: string | null; note?: string | null | undefined }): Promise<{ rule_id: string; rate: string | null }> {
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
    const db = this.deps.db;
    return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
      const seq = await repo.inputsSeq(trx);
      const rules: ForecastRule[] = await repo.fundRules(trx, fundId);
      const periods = await repo.kindPeriods(trx, [...new Set(rules.flatMap((r) => (r.kind_key === null ? [] : [r.kind_key])))]);
      const units: AwardUnit[] = [];
      const notForecast: Array<{ rule_id: string; reason: string }> = [];
      for (const rule of rules) {
        const r = awardUnitsOf(rule, (kind) => periods.get(kind) ?? new Map());
        if ('reason' in r) notForecast.push({ rule_id: rule.id, reason: r.reason });
        else units.push(...r.units);
      }
      const ruleById = new Map(rules.map((r) => [r.id, r]));
      const geo = new Map<string, CohortGeometry>();
      const geometry = (unit: number, birthDate: string) => {
        const key = `${unit}|${birthDate}`;
        let g = geo.get(key);
        if (!g) {
          g = cohortGeometry(ruleById.get(units[unit]!.ruleId)!, units[unit]!, birthDate, today);
          geo.set(key, g);
        }
        return g;
      };
      const dates = await repo.birthDates(trx);
      const windows = scanWindows(units, dates, geometry);
      const keys = [...new Set(['restgruppe_origin', ...rules.flatMap((r) => r.versions.flatMap((v) => (v.multipliers ?? []).map((m) => m.attribute)))])].sort();
      await repo.scanSettings(trx);
      const t0 = performance.now();
      const rows = await repo.cohortScan(trx, units.map((u) => ({ ruleId: u.ruleId, period: u.period })), windows, keys);
      const t1 = performance.now();
      const cohorts = toCohorts(rows, keys);
      const profile = await this.profile(trx, units, dates, geometry, today);
      const t2 = performance.now();
      const buckets = buildBuckets(rules, units, cohorts, (c) => geometry(c.unit, c.birthDate), profile);
      this.deps.log.debug({ scan_ms: Math.round(t1 - t0), profile_ms: Math.round(t2 - t1), buckets_ms: Math.round(performance.now() - t2), cohorts: cohorts.length, windows: windows.length }, 'forecast basis built');
      const decided = new Map<string, { decided: number; earned: number; earnedOre: bigint }>();
      for (const d of await repo.decidedCounts(trx, rules.map((r) => r.id))) {
        decided.set(`${d.ruleId}|${d.restgruppe ? 'restgruppe' : 'other'}`, d);
      }
      const basis: ForecastBasis = {
        fundId, today, seq, computedAt: this.deps.clock(), rules, units, notForecast, buckets, decided,
        committedOre: await repo.committedOre(trx, fundId), geometry,
      };
      this.kept.set(fundId, basis);
      return basis;
    });
  }

  /** Attribution rate per (unit, version, window, segment) among the latest cohorts that have passed the window. */
  private async profile(
    trx: Executor,
    units: AwardUnit[],
    dates: string[],
    geometry: (unit: number, birthDate: string) => CohortGeometry,
    today: string,
  ): Promise<Map<string, Rational>> {
    const t = toDayNumber(today);
    const segments: repo.ProfileSegment[] = [];
    units.forEach((_, unit) => {
      const windows = new Map<number, number>();
      for (let i = dates.length - 1; i >= 0; i--) {
        const birthDate = dates[i]!;
        geometry(unit, birthDate).windows.forEach((w, win) => {
          if (w.end > t || w.length === 0 || (windows.get(win) ?? 0) >= PROFILE_COHORTS) return;
          windows.set(win, (windows.get(win) ?? 0) + 1);
          w.segments.forEach((s, seg) => {
            if (s.end > s.start) segments.push({ unit, birthDate, win, seg, start: fromDayNumber(s.start), end: fromDayNumber(s.end), kinds: w.kinds });
          });
        });
      }
    });
    const sums = new Map<string, { covered: bigint; days: bigint }>();
    for (const r of await repo.coverageProfile(trx, segments)) {
      const key = `${r.unit}|${geometry(r.unit, r.birth_date).versionIdx}|${r.win}|${r.seg}`;
      const s = sums.get(key) ?? { covered: 0n, days: 0n };
      s.covered += BigInt(r.covered);
      s.days += BigInt(r.days);
      sums.set(key, s);
    }
    return new Map([...sums].filter(([, s]) => s.days > 0n).map(([k, s]) => [k, q.rational(s.covered, s.days)]));
  }
}

/** How many of the latest cohorts past a window's end make its attribution profile. */
const PROFILE_COHORTS = 60;

/** The known parts of the windows to scan: per unit and birth date, every window with past days. */
function scanWindows(units: AwardUnit[], birthDates: string[], geometry: (unit: number, birthDate: string) => CohortGeometry): repo.ScanWindow[] {
  const out: repo.ScanWindow[] = [];
  units.forEach((_, unit) => {
    for (const birthDate of birthDates) {
      geometry(unit, birthDate).windows.forEach((w, win) => {
        if (w.pastDays > 0 && w.length > 0) {
          out.push({ unit, birthDate, win, start: fromDayNumber(w.start), cut: fromDayNumber(w.cut), kinds: w.kinds, weight: w.share_bp / (10000 * w.length) });
        }
      });
    }
  });
  return out;
}

/** Scan rows to cohorts: the attribute pairs (present?, value) back into an object. */
function toCohorts(rows: repo.ScanRow[], keys: string[]): CohortRow[] {
  const byKey = new Map<string, CohortRow>();
  const cohortOf = (r: repo.ScanRow) => {
    const key = `${r.unit}|${r.birth_date}|${JSON.stringify(r.attrs)}`;
    let c = byKey.get(key);
    if (!c) {
      const attributes: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        if (r.attrs[2 * i] === true) attributes[k] = r.attrs[2 * i + 1];
      });
      c = { unit: r.unit, birthDate: r.birth_date, attributes, children: 0, knownDays: new Map(), knownSq: 0 };
      byKey.set(key, c);
    }
    return c;
  };
  for (const r of rows) {
    const c = cohortOf(r);
    if (r.row === 'cohort') {
      c.children = Number(r.n);
      c.knownSq = r.ksq ?? 0;
    } else {
      c.knownDays.set(r.win!, BigInt(r.days!));
    }
  }
  return [...byKey.values()];
}
