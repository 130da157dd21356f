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
  /** Null for a composite rule (its requirements are in `requirements`). */
  kind_key: string | null;
  /** Periods the rule pays for; null: every period of its kind. */
  periods: string[] | null;
  /** A composite rule's named requirements (SETTLEMENT.md §11), in their order; empty for a single-kind rule. */
  requirements: Array<{ name: string; kind_key: string; period: string }>;
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
 * The requirements of a rule (SETTLEMENT.md §11): a single-kind rule is one requirement named
 * after its kind, satisfied by any of its periods; a composite rule has its `requires`, each with
 * its one period (DECISIONS D138).
 */
export function requirementsOf(rule: Pick<ForecastRule, 'kind_key' | 'periods' | 'requirements'>): Requirement[] {
  if (rule.kind_key === null) return rule.requirements.map((r) => ({ name: r.name, kind: r.kind_key, periods: [r.period] }));
  return [{ name: rule.kind_key, kind: rule.kind_key, periods: rule.periods }];
}

/** The measurement kinds a rule's requirements name (whose catalogue periods date it). */
export function kindsOf(rule: Pick<ForecastRule, 'kind_key' | 'periods' | 'requirements'>): string[] {
  return [...new Set(requirementsOf(rule).map((r) => r.kind))];
}

/** One award a rule makes per child: its period (null for a composite rule) and the period of each requirement. */
export interface AwardUnit {
  ruleId: string;
  /** The award's period; null: the rule's one award per child (a composite rule), decided by any award of the rule. */
  period: string | null;
  specs: PeriodSpec[];
}

export type UnitsOrReason = { units: AwardUnit[] } | { reason: string };

/**
 * The units of a rule. A single-kind rule makes one award per period it pays (awards are per
 * measurement identity); a composite rule makes one award per child, dated by the latest of its
 * requirements. A period without a measurement age in the catalogue cannot be dated: the rule is
 * then not forecast, with the reason.
 */
export function awardUnitsOf(rule: ForecastRule, periodsOf: (kind: string) => ReadonlyMap<string, PeriodSpec>): UnitsOrReason {
  const reqs = requirementsOf(rule);
  if (!reqs.length) return { reason: 'the rule has no requirements' };
  const lookup = (kind: string, period: string): PeriodSpec | string => {
    const spec = periodsOf(kind).get(period);
    return spec ?? `period ${period} of ${kind} has no measurement age in the catalogue`;
  };
  if (rule.kind_key !== null) {
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
  /** The window in SEGMENTS parts of (nearly) equal length (shared with the frame). */
  segments: ReadonlyArray<{ start: number; end: number }>;
  /** The days of each part still ahead (all 0 when `futureDays` is). */
  segmentFuture: readonly number[];
}

const NOTHING_AHEAD: readonly number[] = Object.freeze(new Array(6).fill(0));

/** Parts of a window whose attribution rate is estimated separately (early and late days of a window differ). */
export const SEGMENTS = 6;

export interface CohortGeometry {
  /** When the last requirement is typically measured. */
  measuredOn: string;
  /** measuredOn + review_days, or today when that has passed (an overdue outcome is expected now). */
  payableOn: string;
  /** Index into the rule's versions of the version in force on measuredOn; null: none in force. */
  versionIdx: number | null;
  windows: WindowGeometry[];
}

/** One window of a cohort's frame: where it lies, what it pays, and its six parts (day numbers). */
export interface WindowFrame {
  start: number;
  end: number;
  /** |D_w|. */
  length: number;
  /** Where attributable days end: max(start, min(end, expected measured_on)). */
  stop: number;
  share_bp: number;
  kinds: string[];
  segments: Array<{ start: number; end: number }>;
}

/**
 * What does not depend on today for children of a unit born on one date: the expected
 * measurement, the payable day (before "an overdue outcome is expected now"), the version in force
 * and its windows. The forecast's summary (summary.ts) is kept against frames; `cohortGeometry`
 * adds today.
 */
export interface CohortFrame {
  measuredOn: string;
  /** measuredOn as a day number. */
  m: number;
  /** measuredOn + review_days (day number, and as a date); null when no version is in force. */
  payable: number | null;
  payableOn: string;
  versionIdx: number | null;
  windows: WindowFrame[];
}

export function cohortFrame(rule: ForecastRule, unit: AwardUnit, birthDate: string): CohortFrame {
  let measuredOn = typicalDate(unit.specs[0]!, birthDate);
  for (const spec of unit.specs.slice(1)) {
    const d = typicalDate(spec, birthDate);
    if (compareDates(d, measuredOn) > 0) measuredOn = d;
  }
  const version = selectVersion(rule.versions, measuredOn);
  if (!version) return { measuredOn, m: toDayNumber(measuredOn), payable: null, payableOn: measuredOn, versionIdx: null, windows: [] };
  const m = toDayNumber(measuredOn);
  const birth = parseIsoDate(birthDate);
  const season = version.age_basis === 'seasons' && version.season_start ? parseSeasonStart(version.season_start) : null;
  const windows = version.windows.map((w): WindowFrame => {
    const r = windowRange(version.age_basis, birth, w, season);
    const length = Math.max(0, r.end - r.start);
    const segments: WindowFrame['segments'] = [];
    for (let s = 0; s < SEGMENTS; s++) {
      segments.push({ start: r.start + Math.floor((length * s) / SEGMENTS), end: r.start + Math.floor((length * (s + 1)) / SEGMENTS) });
    }
    return { start: r.start, end: r.end, length, stop: Math.max(r.start, Math.min(r.end, m)), share_bp: w.share_bp, kinds: w.kinds, segments };
  });
  const payable = m + version.review_days;
  return { measuredOn, m, payable, payableOn: fromDayNumber(payable), versionIdx: rule.versions.indexOf(version), windows };
}

/** A frame as seen on `today`: the known and the coming days of each window. */
export function geometryAt(frame: CohortFrame, today: string): CohortGeometry {
  const t = toDayNumber(today);
  const m = frame.m;
  if (frame.payable === null) return { measuredOn: frame.measuredOn, payableOn: maxIso(frame.measuredOn, today), versionIdx: null, windows: [] };
  const windows = frame.windows.map((w): WindowGeometry => {
    const cut = Math.max(w.start, Math.min(w.end, m, t));
    const futureDays = Math.max(0, Math.min(w.end, m) - Math.max(w.start, t));
    return {
      start: w.start,
      end: w.end,
      length: w.length,
      cut,
      pastDays: cut - w.start,
      futureDays,
      share_bp: w.share_bp,
      kinds: w.kinds,
      segments: w.segments,
      segmentFuture: futureDays === 0 ? NOTHING_AHEAD : w.segments.map((s) => Math.max(0, Math.min(s.end, m) - Math.max(s.start, t))),
    };
  });
  return { measuredOn: frame.measuredOn, payableOn: frame.payable < t ? today : frame.payableOn, versionIdx: frame.versionIdx, windows };
}

/** The geometry of a unit for children born on `birthDate`, as seen on `today`. */
export function cohortGeometry(rule: ForecastRule, unit: AwardUnit, birthDate: string, today: string): CohortGeometry {
  return geometryAt(cohortFrame(rule, unit, birthDate), today);
}

function maxIso(a: string, b: string): string {
  return compareDates(a, b) >= 0 ? a : b;
}
