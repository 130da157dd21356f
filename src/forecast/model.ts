/**
 * The liability forecast's arithmetic (docs/FORECAST.md). Two pure steps:
 *
 * 1. `buildBuckets` (from the per-cohort scan, kept while the inputs stand still): pending
 *    outcomes per (unit, version, payable year, group, multiplier) with the sum of their expected
 *    window shares — known days from the enrolments, days ahead at the rate past days of the same
 *    window were attributed — as an integer scaled by SCALE, and the sum of squares (a float: it
 *    only feeds the interval).
 * 2. `computeForecast` (every request): amount × rate × shares per bucket, exact rationals,
 *    summed per year and rule, rounded half-to-even to whole øre at the end; the 90 % interval from
 *    summed variances (normal approximation); holdings, committed awards and the year the money
 *    runs out.
 */
import { firstMatchingMultiplier } from '../settlement/award.js';
import { parseIsoDate } from '../settlement/dates.js';
import * as q from '../settlement/rational.js';
import type { Rational } from '../settlement/rational.js';
import type { AwardUnit, CohortGeometry, ForecastRule } from './units.js';
import { GROUPS, type Group, type Rate } from './rates.js';

/** Shares are summed as integers of 10⁻¹⁵ of a child's full amount (exact to far below an øre). */
export const SCALE = 10n ** 15n;
/** Two-sided 90 %: the 95th percentile of the standard normal distribution. */
export const Z90 = 1.6448536269514722;

export interface CohortRow {
  unit: number;
  birthDate: string;
  attributes: Record<string, unknown>;
  children: number;
  /** Σ over the cohort's children of the days already attributed, per window index. */
  knownDays: Map<number, bigint>;
  /** Σ over the children of (Σ_w share_w · known days_w / |D_w|)², the known part of each child's share, squared. */
  knownSq: number;
}

export interface Bucket {
  unit: number;
  ruleId: string;
  versionIdx: number;
  year: number;
  group: Group;
  factorBp: number | null;
  children: number;
  /** Σ_i w_i · SCALE, w_i = the child's expected share of the amount (0–1). */
  weight: bigint;
  /** Σ_i w_i² */
  weightSq: number;
}

const ratio = (num: bigint, den: bigint): Rational => (den === 0n ? q.ONE : q.rational(num, den));

/** Round half to even: exact, deterministic. */
export function roundHalfEven(r: Rational): bigint {
  const f = q.floor(r);
  const rest = q.sub(r, q.fromInteger(f));
  const c = q.compare(rest, q.rational(1n, 2n));
  return c < 0 ? f : c > 0 ? f + 1n : f % 2n === 0n ? f : f + 1n;
}


/** The rate at which past days of each (unit, version, window) were attributed, over every cohort. */
function attributionRates(cohorts: CohortRow[], geometry: (c: CohortRow) => CohortGeometry): Map<string, Rational> {
  const sums = new Map<string, { known: bigint; past: bigint }>();
  for (const c of cohorts) {
    const g = geometry(c);
    g.windows.forEach((w, j) => {
      const key = `${c.unit}|${g.versionIdx}|${j}`;
      const s = sums.get(key) ?? { known: 0n, past: 0n };
      s.known += c.knownDays.get(j) ?? 0n;
      s.past += BigInt(c.children) * BigInt(w.pastDays);
      sums.set(key, s);
    });
  }
  return new Map([...sums].map(([k, s]) => [k, ratio(s.known, s.past)]));
}

export function buildBuckets(
  rules: ForecastRule[],
  units: AwardUnit[],
  cohorts: CohortRow[],
  geometry: (c: CohortRow) => CohortGeometry,
  profile: ReadonlyMap<string, Rational> = new Map(),
): Bucket[] {
  const asNumber = (r: Rational) => Number(r.num) / Number(r.den);
  const rho = new Map([...attributionRates(cohorts, geometry)].map(([k, r]) => [k, asNumber(r)]));
  const rates = new Map([...profile].map(([k, r]) => [k, asNumber(r)]));
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const buckets = new Map<string, Bucket>();
  for (const c of cohorts) {
    const g = geometry(c);
    if (g.versionIdx === null) continue;
    const unit = units[c.unit]!;
    const version = ruleById.get(unit.ruleId)!.versions[g.versionIdx]!;
    const { knownSum, ahead } = shares(c, g, rho, rates);
    const group: Group = c.attributes['restgruppe_origin'] === true ? 'restgruppe' : 'other';
    const factorBp = firstMatchingMultiplier(version.multipliers, c.attributes)?.factor_bp ?? null;
    const year = parseIsoDate(g.payableOn).year;
    const key = `${c.unit}|${g.versionIdx}|${year}|${group}|${factorBp}`;
    const b = buckets.get(key) ?? { unit: c.unit, ruleId: unit.ruleId, versionIdx: g.versionIdx, year, group, factorBp, children: 0, weight: 0n, weightSq: 0 };
    b.children += c.children;
    // Σ_i w_i = Σ known shares + n · the share expected ahead, fixed to 10⁻¹⁵ here (an estimate,
    // not money: amounts and rates stay exact, and the sum is rounded once at the end).
    b.weight += BigInt(Math.round((knownSum + c.children * ahead) * 1e15));
    b.weightSq += c.knownSq + 2 * ahead * knownSum + c.children * ahead * ahead;
    buckets.set(key, b);
  }
  return [...buckets.values()];
}

/**
 * A cohort's known share (Σ over its children of Σ_w share_w · known days_w / |D_w|) and the share
 * one child can expect ahead: per segment of each window, its days ahead at the rate that segment
 * was attributed for the children who have passed it (the profile), else at the rate of the
 * window's past days among the pending.
 */
function shares(c: CohortRow, g: CohortGeometry, rho: Map<string, number>, profile: Map<string, number>): { knownSum: number; ahead: number } {
  let knownSum = 0;
  let ahead = 0;
  g.windows.forEach((w, j) => {
    if (w.length === 0) return;
    const known = c.knownDays.get(j) ?? 0n;
    if (known > BigInt(c.children) * BigInt(w.pastDays)) throw new Error('precondition: known days within the past days');
    const fallback = rho.get(`${c.unit}|${g.versionIdx}|${j}`)!;
    let days = 0;
    if (w.futureDays > 0) {
      w.segmentFuture.forEach((ahead, s) => {
        if (ahead > 0) days += (profile.get(`${c.unit}|${g.versionIdx}|${j}|${s}`) ?? fallback) * ahead;
      });
    }
    knownSum += (w.share_bp * Number(known)) / (10000 * w.length);
    ahead += (w.share_bp * days) / (10000 * w.length);
  });
  if (!(ahead >= 0 && ahead <= 1 + 1e-9)) throw new Error('postcondition: the share ahead within 0–1');
  return { knownSum, ahead };
}

export { GROUPS };
export type { Rate };
