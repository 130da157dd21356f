import {
  addMonths,
  addMonthsCivil,
  compareDates,
  daysFromCivil,
  fromDayNumber,
  isIsoDate,
  parseIsoDate,
  toDayNumber,
  type CivilDate,
} from '../settlement/dates.js';

/**
 * When a measurement period is plausibly measured (docs/INDICATORS.md, "Periods").
 *
 * - basis `age`: `measured_on` ∈ [B + from months, B + to months) for a child born on B
 *   (month addition as SETTLEMENT.md §4: the day of month is kept and clamped).
 * - basis `grade`: relative to A = 1 August of the year the child turns 6 + grade — the start of
 *   that grade's school year for a child who starts børnehaveklassen (grade 0) in August of the
 *   year it turns 6, as the folkeskole does. Children who start a year early or late, or repeat a
 *   year, are allowed for by `early_years` / `late_years`:
 *   `measured_on` ∈ [A + from − 12·early months, A + to + 12·late months).
 *
 * Pure: the ingest checks a chunk's items against the periods it loaded once for the chunk.
 */
export interface PeriodSpec {
  period: string;
  basis: 'age' | 'grade';
  grade: number | null;
  from_months: number;
  to_months: number;
  typical_months: number;
  early_years: number;
  late_years: number;
  valid_from: string | null;
  valid_to: string | null;
}

/** What a kind contributes to the check: its validity dates and its periods (none = any period). */
export interface KindPlausibility {
  key: string;
  valid_from: string | null;
  valid_to: string | null;
  periods: ReadonlyMap<string, PeriodSpec>;
}

/** A refusal naming the item's field (`period` or `measured_on`). */
export interface PeriodProblem {
  field: 'period' | 'measured_on';
  message: string;
}

/** 1 August of the standard school year of `grade` for a child born on `birthDate`. */
export function gradeAnchor(birthDate: string, grade: number): string {
  const year = Number(birthDate.slice(0, 4)) + 6 + grade;
  return `${String(year).padStart(4, '0')}-08-01`;
}

/** The plausible range as day numbers `[start, end)` for a child born on `birth` (no string work: the ingest's hot path). */
function rangeDays(p: PeriodSpec, birth: CivilDate): { start: number; end: number } {
  if (p.from_months >= p.to_months) throw new RangeError(`period ${p.period}: from_months must be below to_months`);
  const day = (d: CivilDate) => daysFromCivil(d.year, d.month, d.day);
  if (p.basis === 'age') return { start: day(addMonthsCivil(birth, p.from_months)), end: day(addMonthsCivil(birth, p.to_months)) };
  if (p.grade === null) throw new RangeError(`period ${p.period}: basis grade needs a grade`);
  const anchor: CivilDate = { year: birth.year + 6 + p.grade, month: 8, day: 1 };
  return { start: day(addMonthsCivil(anchor, p.from_months - 12 * p.early_years)), end: day(addMonthsCivil(anchor, p.to_months + 12 * p.late_years)) };
}

/** The half-open date range `[start, end)` in which `measured_on` is plausible for this child. */
export function periodRange(p: PeriodSpec, birthDate: string): { start: string; end: string } {
  if (!isIsoDate(birthDate)) throw new RangeError(`not a date: ${birthDate}`);
  const r = rangeDays(p, parseIsoDate(birthDate));
  return { start: fromDayNumber(r.start), end: fromDayNumber(r.end) };
}

/** When the period is usually measured for this child (the forecast's expected date). */
export function typicalDate(p: PeriodSpec, birthDate: string): string {
  return p.basis === 'age' ? addMonths(birthDate, p.typical_months) : addMonths(gradeAnchor(birthDate, p.grade!), p.typical_months);
}

function within(date: string, from: string | null, to: string | null): boolean {
  return (from === null || compareDates(date, from) >= 0) && (to === null || compareDates(date, to) < 0);
}

function validity(from: string | null, to: string | null): string {
  if (from && to) return `from ${from} until before ${to}`;
  return from ? `from ${from}` : `until before ${to}`;
}

/**
 * Null when the measurement is plausible: the period is one of the kind's periods (a kind
 * without periods accepts any), `measured_on` lies within the kind's and the period's validity
 * dates and within the period's age or grade range for a child born on `birthDate`.
 */
export function checkPeriod(kind: KindPlausibility, period: string, measuredOn: string, birthDate: string): PeriodProblem | null {
  if (!within(measuredOn, kind.valid_from, kind.valid_to)) {
    return { field: 'measured_on', message: `is outside the dates ${kind.key} is measured (${validity(kind.valid_from, kind.valid_to)})` };
  }
  if (kind.periods.size === 0) return null;
  const p = kind.periods.get(period);
  if (!p) {
    const known = [...kind.periods.keys()];
    const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, …` : known.join(', ');
    return { field: 'period', message: `is not a period of ${kind.key} (its periods: ${list})` };
  }
  if (!within(measuredOn, p.valid_from, p.valid_to)) {
    return { field: 'measured_on', message: `is outside the dates period ${period} of ${kind.key} is measured (${validity(p.valid_from, p.valid_to)})` };
  }
  const days = rangeDays(p, parseIsoDate(birthDate));
  const on = toDayNumber(measuredOn);
  if (on < days.start || on >= days.end) {
    const range = { start: fromDayNumber(days.start), end: fromDayNumber(days.end) };
    const what = p.basis === 'age' ? 'age' : `grade ${p.grade}`;
    return {
      field: 'measured_on',
      message: `is outside the ${what} range of period ${period} for this child: expected ${range.start} ≤ measured_on < ${range.end}`,
    };
  }
  return null;
}
