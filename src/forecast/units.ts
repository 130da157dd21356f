/**
 * What the forecast expects of one rule for one child (docs/FORECAST.md): the awards the rule will
 * make (its "units"), the requirements each needs, and — for a child born on a given date — when
 * the last requirement is typically measured, when the award becomes payable, and the rule
 * version's windows cut at that date and at today. Pure; no I/O.
 */
import { compareDates, fromDayNumber, parseIsoDate, toDayNumber } from '../settlement/dates.js';
import { selectVersion } from '../settlement/predicate.js';
import type { AmountSpec, AgeBasis, Multiplier, WindowSpec } from '../settlement/types.js';
import { parseSeasonStart, windowRange } from '../settlement/windows.js';
import { typicalDate, type PeriodSpec } from '../domain/periods.js';

export interface ForecastVersion {
  effective_from: string;
  amount: AmountSpec;
  multipliers: Multiplier[];
  age_basis: AgeBasis;
  season_start?: string | null;
  windows: WindowSpec[];
  review_days: number;
}

export interface ForecastRule {
  id: string;
  name: string;
  /** Null for a composite rule (its requirements are in `rule_requirements`). */
  kind_key: string | null;
  /** Periods the rule pays for; null: every period of its kind. */
  periods: string[] | null;
  /** Published versions, in publication order. */
  versions: ForecastVersion[];
}

/** A named requirement: a measurement of `kind` in one of `periods` (null: any period of the kind). */
export interface Requirement {
  name: string;
  kind: string;
  periods: string[] | null;
}

/**
 * The requirements of a rule — the one place composite rules plug in (SETTLEMENT.md §11): a
 * single-kind rule is one requirement named after its kind, satisfied by any of its periods.
 * A composite rule will return its `requires` here, each with its one period.
 */
export function requirementsOf(rule: Pick<ForecastRule, 'kind_key' | 'periods'>): Requirement[] {
  if (rule.kind_key === null) return []; // composite: not forecast yet (DECISIONS 138)
  return [{ name: rule.kind_key, kind: rule.kind_key, periods: rule.periods }];
}

/** One award a rule makes per child: its period (null for a composite rule) and the period of each requirement. */
export interface AwardUnit {
  ruleId: string;
  period: string | null;
  specs: PeriodSpec[];
}

export type UnitsOrReason = { units: AwardUnit[] } | { reason: string };

/**
 * The units of a rule. A single requirement with several periods makes one award per period
 * (awards are per measurement identity); several requirements make one award per child.
 * A period without a measurement age in the catalogue cannot be dated: the rule is then not
 * forecast, with the reason.
 */
export function awardUnitsOf(rule: ForecastRule, periodsOf: (kind: string) => ReadonlyMap<string, PeriodSpec>): UnitsOrReason {
  if (rule.kind_key === null) return { reason: 'a composite rule: the forecast does not date composite rules yet' };
  const reqs = requirementsOf(rule);
  if (!reqs.length) return { reason: 'the rule has no requirements' };
  const lookup = (kind: string, period: string): PeriodSpec | string => {
    const spec = periodsOf(kind).get(period);
    return spec ?? `period ${period} of ${kind} has no measurement age in the catalogue`;
  };
  if (reqs.length === 1) {
    const req = reqs[0]!;
    const periods = req.periods ?? [...periodsOf(req.kind).keys()];
    if (!periods.length) return { reason: `${req.kind} has no periods with a measurement age in the catalogue` };
    const units: AwardUnit[] = [];
    for (const period of periods) {
      const spec = lookup(req.kind, period);
      if (typeof spec === 'string') return { reason: spec };
      units.push({ ruleId: rule.id, period, specs: [spec] });
    }
    return { units };
  }
  const specs: PeriodSpec[] = [];
  for (const req of reqs) {
    if (req.periods?.length !== 1) return { reason: `requirement ${req.name} names no single period` };
    const spec = lookup(req.kind, req.periods[0]!);
    if (typeof spec === 'string') return { reason: spec };
    specs.push(spec);
  }
  return { units: [{ ruleId: rule.id, period: null, specs }] };
}

/** One window of the version in force, for one birth date, in day numbers. */
export interface WindowGeometry {
  start: number;
  end: number;
  /** |D_w|. */
  length: number;
  /** End of the days already known: min(end, expected measured_on, today). */
  cut: number;
  /** Known days: [start, cut). */
  pastDays: number;
  /** Days still ahead that can be attributed: [max(start, today), min(end, expected measured_on)). */
  futureDays: number;
  share_bp: number;
  kinds: string[];
  /** The window in SEGMENTS parts of (nearly) equal length, with the days of each still ahead. */
  segments: Array<{ start: number; end: number; futureDays: number }>;
}

/** Parts of a window whose attribution rate is estimated separately (early and late days of a window differ). */
export const SEGMENTS = 6;

function segmentsOf(start: number, end: number, m: number, t: number): WindowGeometry['segments'] {
  const length = Math.max(0, end - start);
  const out: WindowGeometry['segments'] = [];
  for (let s = 0; s < SEGMENTS; s++) {
    const a = start + Math.floor((length * s) / SEGMENTS);
    const b = start + Math.floor((length * (s + 1)) / SEGMENTS);
    out.push({ start: a, end: b, futureDays: Math.max(0, Math.min(b, m) - Math.max(a, t)) });
  }
  return out;
}

export interface CohortGeometry {
  /** When the last requirement is typically measured. */
  measuredOn: string;
  /** measuredOn + review_days, or today when that has passed (an overdue outcome is expected now). */
  payableOn: string;
  /** Index into the rule's versions of the version in force on measuredOn; null: none in force. */
  versionIdx: number | null;
  windows: WindowGeometry[];
}

/** The geometry of a unit for children born on `birthDate`, as seen on `today`. */
export function cohortGeometry(rule: ForecastRule, unit: AwardUnit, birthDate: string, today: string): CohortGeometry {
  let measuredOn = typicalDate(unit.specs[0]!, birthDate);
  for (const spec of unit.specs.slice(1)) {
    const d = typicalDate(spec, birthDate);
    if (compareDates(d, measuredOn) > 0) measuredOn = d;
  }
  const version = selectVersion(rule.versions, measuredOn);
  if (!version) return { measuredOn, payableOn: maxIso(measuredOn, today), versionIdx: null, windows: [] };
  const payable = fromDayNumber(toDayNumber(measuredOn) + version.review_days);
  const m = toDayNumber(measuredOn);
  const t = toDayNumber(today);
  const birth = parseIsoDate(birthDate);
  const season = version.age_basis === 'seasons' && version.season_start ? parseSeasonStart(version.season_start) : null;
  const windows = version.windows.map((w): WindowGeometry => {
    const r = windowRange(version.age_basis, birth, w, season);
    const cut = Math.max(r.start, Math.min(r.end, m, t));
    return {
      start: r.start,
      end: r.end,
      length: Math.max(0, r.end - r.start),
      cut,
      pastDays: cut - r.start,
      futureDays: Math.max(0, Math.min(r.end, m) - Math.max(r.start, t)),
      share_bp: w.share_bp,
      kinds: w.kinds,
      segments: segmentsOf(r.start, r.end, m, t),
    };
  });
  return { measuredOn, payableOn: maxIso(payable, today), versionIdx: rule.versions.indexOf(version), windows };
}

function maxIso(a: string, b: string): string {
  return compareDates(a, b) >= 0 ? a : b;
}
