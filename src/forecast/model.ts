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
  /** Σ over the cohort's children of the days already attributed, per window index (absent: 0; exact integers). */
  knownDays: number[];
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

/** Round half to even: exact, deterministic. */
export function roundHalfEven(r: Rational): bigint {
  const f = q.floor(r);
  const rest = q.sub(r, q.fromInteger(f));
  const c = q.compare(rest, q.rational(1n, 2n));
  return c < 0 ? f : c > 0 ? f + 1n : f % 2n === 0n ? f : f + 1n;
}

/** A numeric key of (unit, version, window[, sixth]) for the attribution rates (no strings in the per-cohort loop). */
export function rateKey(unit: number, version: number, win: number, seg = 0): number {
  if (!(version < 4096 && win < 4096 && seg < 8)) throw new RangeError('precondition: fewer than 4096 versions and windows');
  return ((unit * 4096 + version) * 4096 + win) * 8 + seg;
}

/** The rate at which past days of each (unit, version, window) were attributed, over every cohort. */
function attributionRates(cohorts: CohortRow[], geometries: CohortGeometry[]): Map<number, number> {
  const sums = new Map<number, { known: number; past: number }>();
  cohorts.forEach((c, i) => {
    const g = geometries[i]!;
    if (g.versionIdx === null) return;
    g.windows.forEach((w, j) => {
      const key = rateKey(c.unit, g.versionIdx!, j);
      const s = sums.get(key) ?? sums.set(key, { known: 0, past: 0 }).get(key)!;
      s.known += c.knownDays[j] ?? 0;
      s.past += c.children * w.pastDays;
    });
  });
  // Integer sums far below 2^53 divided once: the correctly rounded quotient, as the exact ratio would give.
  return new Map([...sums].map(([k, s]) => [k, s.past === 0 ? 1 : s.known / s.past]));
}

export function buildBuckets(
  rules: ForecastRule[],
  units: AwardUnit[],
  cohorts: CohortRow[],
  geometry: (c: CohortRow) => CohortGeometry,
  /** The attribution profile by `rateKey(unit, version, window, sixth)`. */
  profile: ReadonlyMap<number, number> = new Map(),
): Bucket[] {
  const geometries = cohorts.map(geometry);
  const rho = attributionRates(cohorts, geometries);
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  // The share ahead depends on the unit and birth date only (one geometry object each), not on the cohort's attributes.
  const aheadOf = new Map<CohortGeometry, number>();
  const buckets = new Map<string, Bucket>();
  cohorts.forEach((c, i) => {
    const g = geometries[i]!;
    if (g.versionIdx === null) return;
    const unit = units[c.unit]!;
    const version = ruleById.get(unit.ruleId)!.versions[g.versionIdx]!;
    const knownSum = knownShare(c, g);
    let ahead = aheadOf.get(g);
    if (ahead === undefined) {
      ahead = aheadShare(c.unit, g, rho, profile);
      aheadOf.set(g, ahead);
    }
    const group: Group = c.attributes['restgruppe_origin'] === true ? 'restgruppe' : 'other';
    const factorBp = firstMatchingMultiplier(version.multipliers, c.attributes)?.factor_bp ?? null;
    const year = Number(g.payableOn.slice(0, 4));
    const key = `${c.unit}|${g.versionIdx}|${year}|${group}|${factorBp}`;
    const b = buckets.get(key) ?? { unit: c.unit, ruleId: unit.ruleId, versionIdx: g.versionIdx, year, group, factorBp, children: 0, weight: 0n, weightSq: 0 };
    b.children += c.children;
    // Σ_i w_i = Σ known shares + n · the share expected ahead, fixed to 10⁻¹⁵ here (an estimate,
    // not money: amounts and rates stay exact, and the sum is rounded once at the end).
    b.weight += BigInt(Math.round((knownSum + c.children * ahead) * 1e15));
    b.weightSq += c.knownSq + 2 * ahead * knownSum + c.children * ahead * ahead;
    buckets.set(key, b);
  });
  return [...buckets.values()];
}

/** A cohort's known share: Σ over its children of Σ_w share_w · known days_w / |D_w|. */
function knownShare(c: CohortRow, g: CohortGeometry): number {
  let knownSum = 0;
  g.windows.forEach((w, j) => {
    if (w.length === 0) return;
    const known = c.knownDays[j] ?? 0;
    if (known > c.children * w.pastDays) throw new Error('precondition: known days within the past days');
    knownSum += (w.share_bp * known) / (10000 * w.length);
  });
  return knownSum;
}

/**
 * The share one child can expect ahead: per segment of each window, its days ahead at the rate
 * that segment was attributed for the children who have passed it (the profile), else at the rate
 * of the window's past days among the pending.
 */
function aheadShare(unit: number, g: CohortGeometry, rho: ReadonlyMap<number, number>, profile: ReadonlyMap<number, number>): number {
  let ahead = 0;
  g.windows.forEach((w, j) => {
    if (w.length === 0) return;
    let days = 0;
    if (w.futureDays > 0) {
      const fallback = rho.get(rateKey(unit, g.versionIdx!, j))!;
      w.segmentFuture.forEach((d, s) => {
        if (d > 0) days += (profile.get(rateKey(unit, g.versionIdx!, j, s)) ?? fallback) * d;
      });
    }
    ahead += (w.share_bp * days) / (10000 * w.length);
  });
  if (!(ahead >= 0 && ahead <= 1 + 1e-9)) throw new Error('postcondition: the share ahead within 0–1');
  return ahead;
}

export { GROUPS };
export type { Rate };
