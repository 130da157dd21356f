/**
 * An institution's pipeline (issue 13 item 3; docs/FORECAST.md, "The institution's pipeline"):
 * for each of its former children and each award of a rule paying its kind that is not yet
 * decided, what the institution would receive if earned and what it can expect — its own days in
 * the windows (up to the expected measurement date; an ongoing enrolment counted as if the child
 * stays; a day the child also spent at another institution of the window's kinds split between
 * them as the settlement splits it, §5), × the amount with the multiplier, × the rate of the rule
 * and group. Pure.
 */
import { firstMatchingMultiplier } from '../settlement/award.js';
import { toDayNumber } from '../settlement/dates.js';
import * as q from '../settlement/rational.js';
import { floorDiv, type Rational } from '../settlement/rational.js';
import { roundHalfEven } from './model.js';
import type { CohortGeometry, ForecastRule } from './units.js';

export interface PipelineChild {
  id: string;
  birth_date: string;
  attributes: Record<string, unknown>;
  /** Its enrolments at the institution. */
  spans: Array<{ start: string; end: string | null }>;
  /** Its enrolments at other institutions, with their kind (a day shared with one is split). */
  others: Array<{ start: string; end: string | null; kind: string }>;
}

export interface PipelineItem {
  child_id: string;
  rule_id: string;
  period: string | null;
  expected_measured_on: string;
  expected_payable_on: string;
  share: string;
  rate: string;
  if_earned_ore: bigint;
  expected_ore: bigint;
}

/**
 * The institution's days within [from, to) as §5 counts them: each day an own enrolment covers,
 * divided by the number of the child's enrolments that cover it at institutions of the window's
 * kinds (an ongoing enrolment runs on). A fraction when a day is shared.
 */
export function ownDays(own: PipelineChild['spans'], others: PipelineChild['spans'], from: number, to: number): Rational {
  const clip = (s: { start: string; end: string | null }): [number, number] => [
    Math.max(toDayNumber(s.start), from),
    Math.min(s.end === null ? to : toDayNumber(s.end), to),
  ];
  const mine = own.map(clip).filter(([a, b]) => b > a);
  if (!mine.length) return q.ZERO;
  const theirs = others.map(clip).filter(([a, b]) => b > a);
  const cuts = [...new Set([...mine, ...theirs].flat())].sort((a, b) => a - b);
  let days = q.ZERO;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i]!, cuts[i + 1]!];
    const covers = ([x, y]: [number, number]) => x <= a && b <= y;
    const n = mine.filter(covers).length;
    if (n === 0) continue;
    days = q.add(days, q.rational(BigInt(n * (b - a)), BigInt(n + theirs.filter(covers).length)));
  }
  if (q.compare(days, q.fromInteger(BigInt(Math.max(0, to - from)))) > 0) throw new Error('postcondition: at most the days of the range');
  return days;
}

/** The institution's share of the amount for one child and unit: Σ share_w · its days in w before the measurement / |D_w|. */
export function institutionShare(geometry: CohortGeometry, kind: string, child: Pick<PipelineChild, 'spans' | 'others'>): Rational {
  const m = toDayNumber(geometry.measuredOn);
  let share = q.ZERO;
  for (const w of geometry.windows) {
    if (!w.kinds.includes(kind) || w.length === 0) continue;
    const days = ownDays(
      child.spans,
      child.others.filter((o) => w.kinds.includes(o.kind)),
      w.start,
      Math.min(w.end, m),
    );
    share = q.add(share, q.div(q.mul(q.fromInteger(BigInt(w.share_bp)), days), q.fromInteger(10000n * BigInt(w.length))));
  }
  if (q.compare(share, q.ZERO) < 0 || q.compare(share, q.ONE) > 0) throw new Error('postcondition: share within 0–1');
  return share;
}

/** One item, or null when the institution would receive nothing. */
export function pipelineItem(
  rule: ForecastRule,
  unit: { period: string | null },
  child: PipelineChild,
  geometry: CohortGeometry,
  kind: string,
  rate: Rational,
  meanEarnedOre: bigint | null,
): PipelineItem | null {
  if (geometry.versionIdx === null) return null;
  const version = rule.versions[geometry.versionIdx]!;
  const share = institutionShare(geometry, kind, child);
  if (q.isZero(share)) return null;
  let amount: bigint | null = meanEarnedOre;
  if ('fixed_ore' in version.amount) {
    const factor = firstMatchingMultiplier(version.multipliers, child.attributes)?.factor_bp;
    amount = factor === undefined ? BigInt(version.amount.fixed_ore) : floorDiv(BigInt(version.amount.fixed_ore) * BigInt(factor), 10000n);
  }
  if (amount === null) return null;
  const ifEarned = q.mul(q.fromInteger(amount), share);
  return {
    child_id: child.id,
    rule_id: rule.id,
    period: unit.period,
    expected_measured_on: geometry.measuredOn,
    expected_payable_on: geometry.payableOn,
    share: q.toDecimal(share, 6),
    rate: q.toDecimal(rate, 4),
    if_earned_ore: roundHalfEven(ifEarned),
    expected_ore: roundHalfEven(q.mul(ifEarned, rate)),
  };
}
