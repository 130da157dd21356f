/**
 * The probability that a pending outcome is earned (docs/FORECAST.md, "How likely"): a Beta
 * prior whose mean is the rule's assumed rate (set by an administrator; 0.5 when none is set)
 * and whose weight is PRIOR_WEIGHT pseudo-awards, updated with the decided awards of the same
 * rule and comparison group (restgruppe origin or not). The posterior mean is the rate; its
 * variance enters the interval (all of a group's outcomes share it). A scenario then overrides
 * or shifts the rates. Exact rationals for the mean (it multiplies money); floats for variances.
 */
import { rational, type Rational } from '../settlement/rational.js';
import * as q from '../settlement/rational.js';

export const PRIOR_WEIGHT = 10;
export const DEFAULT_ASSUMED_RATE = '0.5';

export type Group = 'restgruppe' | 'other';
export const GROUPS: Group[] = ['restgruppe', 'other'];

export interface Decided {
  decided: number;
  earned: number;
}

/** A scenario: `set` replaces a rate, `shift` adds to it (clamped to 0–1); per rule or for all. */
export interface ScenarioItem {
  ruleId: string | null;
  op: 'set' | 'shift';
  value: Rational;
}

export interface Rate {
  /** Posterior mean before the scenario. */
  posterior: Rational;
  /** The rate used: the posterior, or what the scenario made of it. */
  rate: Rational;
  /** Variance of the rate (0 when a scenario fixes it). */
  variance: number;
}

/** Parses a decimal such as "0.45", "-0.05", "1" into a rational (no exponent, at most 6 places). */
export function parseDecimal(text: string): Rational | null {
  const m = /^([+-]?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return null;
  const frac = m[3] ?? '';
  const num = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
  return rational(num, 10n ** BigInt(frac.length));
}

const clamp01 = (r: Rational): Rational => (q.compare(r, q.ZERO) < 0 ? q.ZERO : q.compare(r, q.ONE) > 0 ? q.ONE : r);

/** Beta(a0 + earned, b0 + decided − earned) with a0 = assumed · w, b0 = (1 − assumed) · w. */
export function posterior(assumed: Rational, d: Decided): { mean: Rational; variance: number } {
  if (d.earned < 0 || d.earned > d.decided) throw new RangeError('earned must lie within 0..decided');
  if (q.compare(assumed, q.ZERO) < 0 || q.compare(assumed, q.ONE) > 0) throw new RangeError('assumed rate outside 0–1');
  const w = q.fromInteger(PRIOR_WEIGHT);
  const alpha = q.add(q.mul(assumed, w), q.fromInteger(d.earned));
  const total = q.add(w, q.fromInteger(d.decided));
  const mean = q.div(alpha, total);
  const a = Number(alpha.num) / Number(alpha.den);
  const n = PRIOR_WEIGHT + d.decided;
  const b = n - a;
  return { mean, variance: (a * b) / (n * n * (n + 1)) };
}

/** The rate of one rule and group after the scenario (the last matching item wins: per-rule items after global ones). */
export function applyScenario(ruleId: string, post: { mean: Rational; variance: number }, scenario: ScenarioItem[]): Rate {
  let rate = post.mean;
  let variance = post.variance;
  const items = [...scenario.filter((s) => s.ruleId === null), ...scenario.filter((s) => s.ruleId === ruleId)];
  for (const item of items) {
    if (item.op === 'set') {
      rate = item.value;
      variance = 0;
    } else {
      rate = clamp01(q.add(rate, item.value));
    }
  }
  const result = { posterior: post.mean, rate, variance };
  if (q.compare(result.rate, q.ZERO) < 0 || q.compare(result.rate, q.ONE) > 0) throw new Error('postcondition: rate within 0–1');
  return result;
}

export type ScenarioParse = { items: ScenarioItem[] } | { error: string };

/**
 * `scenario`: comma-separated items, each `[<rule id>:]<rate>` (sets the rate, 0–1) or
 * `[<rule id>:]+<points>` / `-<points>` (shifts it by that many percentage points, ±100),
 * e.g. `+5` (every rate 5 points higher) or `0b…:0.3,-2`.
 */
export function parseScenario(text: string): ScenarioParse {
  const items: ScenarioItem[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const m = /^(?:([0-9a-fA-F-]{36}):)?(.+)$/.exec(part);
    if (!m) return { error: `"${part}" is not [rule id:]rate or [rule id:]±points` };
    const ruleId = m[1]?.toLowerCase() ?? null;
    const value = m[2]!;
    const number = parseDecimal(value);
    if (!number) return { error: `"${value}" is not a number` };
    if (value.startsWith('+') || value.startsWith('-')) {
      if (q.compare(q.mul(number, number), q.fromInteger(10000)) > 0) return { error: `a shift of ${value} points is outside ±100` };
      items.push({ ruleId, op: 'shift', value: q.div(number, q.fromInteger(100)) });
    } else {
      if (q.compare(number, q.ONE) > 0) return { error: `rate ${value} is outside 0–1` };
      items.push({ ruleId, op: 'set', value: number });
    }
  }
  return { items };
}
