/**
 * Step 2 of the forecast (model.ts has step 1): rates × amounts × shares per bucket, summed per
 * year and rule; intervals; holdings. Pure.
 */
import * as q from '../settlement/rational.js';
import type { Rational } from '../settlement/rational.js';
import { floorDiv } from '../settlement/rational.js';
import type { ForecastRule } from './units.js';
import { roundHalfEven, SCALE, Z90, type Bucket } from './model.js';
import type { Group, Rate } from './rates.js';

export interface ComputeInput {
  startYear: number;
  horizon: number;
  rules: ForecastRule[];
  buckets: Bucket[];
  /** Rate per `${ruleId}|${group}`. */
  rates: Map<string, Rate>;
  /** For value-based amounts: the mean amount of the rule's earned awards (null: none earned yet). */
  meanEarnedOre: Map<string, bigint | null>;
  holdings: { availableOre: bigint; reservedOre: bigint };
  /** Decided awards not yet payable (awaiting funds, provisional, held): money already owed. */
  committedOre: bigint;
}

export interface Figures {
  expected_ore: bigint;
  lower_ore: bigint;
  upper_ore: bigint;
  expected_awards: number;
  pending_outcomes: number;
}

export interface YearFigures extends Figures {
  year: number;
  cumulative_expected_ore: bigint;
  cumulative_upper_ore: bigint;
  holdings_left_ore: bigint;
  rules: Array<Figures & { rule_id: string }>;
}

export interface ComputeResult {
  years: YearFigures[];
  /** Over the whole horizon, with the variance of the sum (rates shared across years). */
  total: Figures;
  rules: Array<{ rule_id: string; expected_ore: bigint; expected_awards: number; pending_outcomes: number; beyond_horizon_ore: bigint }>;
  holdings_ore: bigint;
  runs_out_in: number | null;
  runs_out_in_at_upper: number | null;
  beyond_horizon_ore: bigint;
  /** Rules whose value-based amount cannot be estimated yet. */
  unpriced: string[];
}

interface Acc {
  mean: Rational;
  count: Rational;
  pending: number;
  /** Per group: Σ a_i (float) and Σ a_i². */
  sum: Record<Group, number>;
  sumSq: Record<Group, number>;
}

const emptyAcc = (): Acc => ({ mean: q.ZERO, count: q.ZERO, pending: 0, sum: { restgruppe: 0, other: 0 }, sumSq: { restgruppe: 0, other: 0 } });
const toNum = (r: Rational) => Number(r.num) / Number(r.den);

function amountOf(rule: ForecastRule, b: Bucket, meanEarned: bigint | null | undefined): bigint | null {
  const amount = rule.versions[b.versionIdx]!.amount;
  if ('fixed_ore' in amount) {
    const base = BigInt(amount.fixed_ore);
    return b.factorBp === null ? base : floorDiv(base * BigInt(b.factorBp), 10000n);
  }
  return meanEarned ?? null;
}

function variance(acc: Acc, rateOf: (g: Group) => Rate): number {
  let v = 0;
  for (const g of ['restgruppe', 'other'] as Group[]) {
    const p = toNum(rateOf(g).rate);
    v += acc.sumSq[g] * p * (1 - p) + acc.sum[g] * acc.sum[g] * rateOf(g).variance;
  }
  return v;
}

function figures(acc: Acc, v: number): Figures {
  const expected = roundHalfEven(acc.mean);
  const sd = Math.sqrt(Math.max(0, v));
  const mean = toNum(acc.mean);
  const lower = BigInt(Math.max(0, Math.floor(mean - Z90 * sd)));
  const upper = BigInt(Math.ceil(mean + Z90 * sd));
  return {
    expected_ore: expected,
    lower_ore: lower < expected ? lower : expected,
    upper_ore: upper > expected ? upper : expected,
    expected_awards: Math.round(toNum(acc.count) * 100) / 100,
    pending_outcomes: acc.pending,
  };
}

function add(acc: Acc, b: Bucket, amount: bigint, rate: Rate): void {
  const w = q.rational(b.weight, SCALE);
  acc.mean = q.add(acc.mean, q.mul(q.mul(q.fromInteger(amount), rate.rate), w));
  acc.count = q.add(acc.count, q.mul(q.fromInteger(b.children), rate.rate));
  acc.pending += b.children;
  const a = Number(amount);
  acc.sum[b.group] += a * toNum(w);
  acc.sumSq[b.group] += a * a * b.weightSq;
}

function merge(into: Acc, from: Acc): void {
  into.mean = q.add(into.mean, from.mean);
  into.count = q.add(into.count, from.count);
  into.pending += from.pending;
  for (const g of ['restgruppe', 'other'] as Group[]) {
    into.sum[g] += from.sum[g];
    into.sumSq[g] += from.sumSq[g];
  }
}

/** Accumulates the buckets per (year index, rule), per rule over the horizon, and beyond it. */
function accumulate(input: ComputeInput) {
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  const cells = new Map<string, Acc>();
  const beyond = new Map<string, Acc>();
  const unpriced = new Set<string>();
  for (const b of input.buckets) {
    const rule = ruleById.get(b.ruleId);
    if (!rule) throw new Error(`precondition: bucket of an unknown rule ${b.ruleId}`);
    const amount = amountOf(rule, b, input.meanEarnedOre.get(b.ruleId));
    if (amount === null) {
      unpriced.add(b.ruleId);
      continue;
    }
    const rate = input.rates.get(`${b.ruleId}|${b.group}`)!;
    const y = b.year - input.startYear;
    const target = y < input.horizon ? cells : beyond;
    const key = y < input.horizon ? `${y}|${b.ruleId}` : b.ruleId;
    const acc = target.get(key) ?? emptyAcc();
    add(acc, b, amount, rate);
    target.set(key, acc);
  }
  return { cells, beyond, unpriced };
}

export function computeForecast(input: ComputeInput): ComputeResult {
  if (!Number.isInteger(input.horizon) || input.horizon < 1) throw new RangeError('precondition: horizon ≥ 1');
  const { cells, beyond, unpriced } = accumulate(input);
  const rateOf = (ruleId: string) => (g: Group) => input.rates.get(`${ruleId}|${g}`)!;
  const holdings = input.holdings.availableOre + input.holdings.reservedOre;
  const cumulative = new Map(input.rules.map((r) => [r.id, emptyAcc()]));
  const years: YearFigures[] = [];
  let runsOut: number | null = null;
  let runsOutUpper: number | null = null;
  for (let y = 0; y < input.horizon; y++) {
    const year = input.startYear + y;
    const total = emptyAcc();
    let v = 0;
    let cumVar = 0;
    const perRule = input.rules.map((r) => {
      const acc = cells.get(`${y}|${r.id}`) ?? emptyAcc();
      const rv = variance(acc, rateOf(r.id));
      merge(total, acc);
      merge(cumulative.get(r.id)!, acc);
      v += rv;
      cumVar += variance(cumulative.get(r.id)!, rateOf(r.id));
      return { rule_id: r.id, ...figures(acc, rv) };
    });
    const cumMean = [...cumulative.values()].reduce((s, a) => q.add(s, a.mean), q.ZERO);
    const cumExpected = input.committedOre + roundHalfEven(cumMean);
    const cumUpper = input.committedOre + BigInt(Math.ceil(toNum(cumMean) + Z90 * Math.sqrt(cumVar)));
    if (runsOut === null && cumExpected > holdings) runsOut = year;
    if (runsOutUpper === null && cumUpper > holdings) runsOutUpper = year;
    years.push({
      year,
      ...figures(total, v),
      cumulative_expected_ore: cumExpected,
      cumulative_upper_ore: cumUpper,
      holdings_left_ore: holdings - cumExpected,
      rules: perRule,
    });
  }
  const all = emptyAcc();
  let allVar = 0;
  const rules = input.rules.map((r) => {
    const acc = cumulative.get(r.id)!;
    merge(all, acc);
    allVar += variance(acc, rateOf(r.id));
    const after = beyond.get(r.id) ?? emptyAcc();
    const f = figures(acc, 0);
    return {
      rule_id: r.id,
      expected_ore: f.expected_ore,
      expected_awards: f.expected_awards,
      pending_outcomes: f.pending_outcomes,
      beyond_horizon_ore: roundHalfEven(after.mean),
    };
  });
  const beyondAll = [...beyond.values()].reduce((s, a) => q.add(s, a.mean), q.ZERO);
  const result = {
    years,
    total: figures(all, allVar),
    rules,
    holdings_ore: holdings,
    runs_out_in: runsOut,
    runs_out_in_at_upper: runsOutUpper,
    beyond_horizon_ore: roundHalfEven(beyondAll),
    unpriced: [...unpriced],
  };
  for (const yf of result.years) {
    if (yf.lower_ore > yf.expected_ore || yf.upper_ore < yf.expected_ore) throw new Error('postcondition: lower ≤ expected ≤ upper');
  }
  return result;
}
