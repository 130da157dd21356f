/**
 * The share of an award a rule retains for a child with full enrolment — an eligible enrolment on
 * every day of every window — computed exactly from the windows (SETTLEMENT.md §4–§5): a window
 * pays `share_bp/10000 × (its days before measured_on) / |D_w|`; everything else is retained
 * (shares summing below 10000, and the days of a window on or after the award's date).
 * Pure; exact rationals; no floating point.
 */
import { addMonths, compareDates, fromDayNumber, toDayNumber } from '../settlement/dates.js';
import * as q from '../settlement/rational.js';
import type { Rational } from '../settlement/rational.js';
import type { AgeBasis } from '../settlement/types.js';
import { rangeLength, windowRangeForBirthDate } from '../settlement/windows.js';
import { typicalDate, type PeriodSpec } from '../domain/periods.js';
import { INDICATORS, type CatalogueKind } from './indicators.js';
import type { RuleTemplate } from './rule-templates.js';

export interface WindowedVersion {
  age_basis: AgeBasis;
  season_start?: string | null;
  windows: ReadonlyArray<{ from: number; to: number; share_bp: number; kinds: readonly string[] }>;
}

/** An enrolment of a pathway: institution kind and half-open `[start, end)`. */
export interface PathwaySpan {
  kind: string;
  start: string;
  end: string;
}

const BP = 10000n;

/** Days of `[start, end)` covered by at least one of `spans` (half-open day numbers). */
function coveredDays(start: number, end: number, spans: ReadonlyArray<{ start: number; end: number }>): number {
  const parts = spans
    .map((s) => ({ start: Math.max(s.start, start), end: Math.min(s.end, end) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  let days = 0;
  let reached = start;
  for (const part of parts) {
    if (part.end <= reached) continue;
    days += part.end - Math.max(part.start, reached);
    reached = part.end;
  }
  return days;
}

/**
 * Retained fraction of the amount (0 … 1) for a child born on `birthDate` whose award is dated
 * `measuredOn`. Without `pathway`: full enrolment (every day of every window attributed). With
 * it: a day of a window is attributed when an enrolment of an eligible kind contains it (§5: the
 * enrolments of a day share it, so overlaps do not add up).
 */
export function retainedShare(version: WindowedVersion, birthDate: string, measuredOn: string, pathway?: readonly PathwaySpan[]): Rational {
  const total = version.windows.reduce((s, w) => s + w.share_bp, 0);
  if (total > 10000) throw new RangeError(`shares sum to ${total} bp, more than 10000`);
  const cut = toDayNumber(measuredOn);
  const spans = pathway?.map((p) => ({ kind: p.kind, start: toDayNumber(p.start), end: toDayNumber(p.end) }));
  let paid = q.ZERO;
  for (const w of version.windows) {
    if (!(Number.isInteger(w.from) && Number.isInteger(w.to) && w.from >= 0 && w.to > w.from && w.share_bp >= 0)) {
      throw new RangeError(`invalid window ${JSON.stringify(w)}`);
    }
    const range = windowRangeForBirthDate(version.age_basis, birthDate, w, version.season_start ?? null);
    const length = rangeLength(range);
    if (length === 0) continue; // an empty window (possible with seasons) pays nothing
    const end = Math.min(range.end, Math.max(cut, range.start));
    const attributed = spans
      ? coveredDays(
          range.start,
          end,
          spans.filter((s) => w.kinds.includes(s.kind)),
        )
      : end - range.start;
    paid = q.add(paid, q.rational(BigInt(w.share_bp) * BigInt(attributed), BP * BigInt(length)));
  }
  const retained = q.sub(q.ONE, paid);
  if (q.compare(retained, q.ZERO) < 0 || q.compare(retained, q.ONE) > 0) throw new Error('retained share outside [0, 1]');
  return retained;
}

/**
 * The typical pathway of docs/SEED.md — the seed's life stages without their randomness: day care
 * from 10 months to the 3rd birthday, børnehave to 1 August of the year the child turns 6, school
 * 10 August that year to 25 June of the year it turns 16, youth education 15 August that year for
 * three years.
 */
export function typicalPathway(birthDate: string): PathwaySpan[] {
  const year = Number(birthDate.slice(0, 4));
  const y = (n: number) => String(year + n).padStart(4, '0');
  return [
    { kind: 'vuggestue', start: addMonths(birthDate, 10), end: addMonths(birthDate, 36) },
    { kind: 'boernehave', start: addMonths(birthDate, 36), end: `${y(6)}-08-01` },
    { kind: 'skole', start: `${y(6)}-08-10`, end: `${y(16)}-06-25` },
    { kind: 'ungdomsuddannelse', start: `${y(16)}-08-15`, end: `${y(19)}-06-25` },
  ];
}

/** A catalogue period as the period check reads it. */
export function periodSpecOf(kind: CatalogueKind, period: string): PeriodSpec {
  const p = kind.periods.find((x) => x.period === period);
  if (!p) throw new RangeError(`${kind.key} has no period ${period}`);
  return {
    period: p.period,
    basis: p.basis,
    grade: p.grade ?? null,
    from_months: p.from_months,
    to_months: p.to_months,
    typical_months: p.typical_months,
    early_years: p.early_years ?? 0,
    late_years: p.late_years ?? 0,
    valid_from: p.valid_from ?? null,
    valid_to: p.valid_to ?? null,
  };
}

/** §11: the award's date is the latest of its requirements' dates; here each at its catalogue period's typical age. */
export function typicalAwardDate(template: RuleTemplate, birthDate: string, catalogue: CatalogueKind[] = INDICATORS): string {
  let latest: string | null = null;
  for (const { kind, period } of Object.values(template.requires)) {
    const k = catalogue.find((c) => c.key === kind);
    if (!k) throw new RangeError(`${template.key}: unknown kind ${kind}`);
    const date = typicalDate(periodSpecOf(k, period), birthDate);
    if (latest === null || compareDates(date, latest) > 0) latest = date;
  }
  if (latest === null) throw new RangeError(`${template.key}: no requirements`);
  return latest;
}

export interface RetainedSummary {
  template: string;
  /** The reference child: its award date (each requirement at its typical age) and figures. */
  birthDate: string;
  awardDate: string;
  full: Rational;
  pathway: Rational;
  /** Least and most retained over every birth date in `birthDates`, each at its typical award date. */
  fullRange: [Rational, Rational];
  pathwayRange: [Rational, Rational];
}

function widen(range: [Rational, Rational], r: Rational): [Rational, Rational] {
  return [q.compare(r, range[0]) < 0 ? r : range[0], q.compare(r, range[1]) > 0 ? r : range[1]];
}

/** A template version's retained share — full enrolment and typical pathway — for a reference child and over many birth dates. */
export function summariseRetained(template: RuleTemplate, versionIndex: number, reference: string, birthDates: string[]): RetainedSummary {
  const version = template.versions[versionIndex];
  if (!version) throw new RangeError(`${template.key} has no version ${versionIndex}`);
  const figures = (b: string) => {
    const on = typicalAwardDate(template, b);
    return { on, full: retainedShare(version, b, on), pathway: retainedShare(version, b, on, typicalPathway(b)) };
  };
  const ref = figures(reference);
  let fullRange: [Rational, Rational] = [ref.full, ref.full];
  let pathwayRange: [Rational, Rational] = [ref.pathway, ref.pathway];
  for (const b of birthDates) {
    const f = figures(b);
    fullRange = widen(fullRange, f.full);
    pathwayRange = widen(pathwayRange, f.pathway);
  }
  return { template: template.key, birthDate: reference, awardDate: ref.on, full: ref.full, pathway: ref.pathway, fullRange, pathwayRange };
}

/** `r` as a percentage with two decimals, truncated (never overstated), e.g. "18.27 %". */
export function percent(r: Rational): string {
  return `${q.toDecimal(q.mul(r, q.fromInteger(100)), 2)} %`;
}

/** Every birth date of 2019 and 2020 (a common and a leap year): the range docs/SEED.md reports. */
export function birthDatesOf2019And2020(): string[] {
  const out: string[] = [];
  for (let d = toDayNumber('2019-01-01'); d < toDayNumber('2021-01-01'); d++) out.push(fromDayNumber(d));
  return out;
}

/** The rows of docs/SEED.md's retained-share table (a unit test checks the document holds them verbatim). */
export function retainedTableRows(templates: RuleTemplate[], reference = '2020-03-15'): string[] {
  const births = birthDatesOf2019And2020();
  return templates.map((t) => {
    const s = summariseRetained(t, t.versions.length - 1, reference, births);
    const range = (r: [Rational, Rational]) => (q.equals(r[0], r[1]) ? percent(r[0]) : `${percent(r[0])} – ${percent(r[1])}`);
    return `| \`${t.key}\` | ${s.awardDate} | ${percent(s.full)} (${q.toFraction(s.full)}) | ${range(s.fullRange)} | ${percent(s.pathway)} (${q.toFraction(s.pathway)}) | ${range(s.pathwayRange)} |`;
  });
}
