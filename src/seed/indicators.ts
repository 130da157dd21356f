import { catalogueKind, INDICATORS } from '../catalogue/indicators.js';
import { addMonths, fromDayNumber, toDayNumber } from '../settlement/dates.js';
import type { SeedKind, SeedMeasurement } from './records.js';

/**
 * The indicators the rule templates read (src/catalogue/rule-templates.ts), for
 * `population({ indicators: 'templates' })` — docs/SEED.md gives the distributions and dates,
 * DECISIONS D172–D174 the choices. Pure; all draws come from `rand`, the child's own stream
 * (childStreamSeed), never from the population's main stream.
 *
 * Every measurement is dated inside its catalogue period for a child on the standard pathway (the
 * seed's life course: grade g is the school year from 1 August of the year the child turns 6 + g)
 * and within the kind's validity dates; only what has happened by `today` is produced.
 */
export interface IndicatorChild {
  ref: string;
  birth: string;
  restgruppe: boolean;
  /** The age-3 sprogvurdering result the main stream drew (the age-4 follow-up depends on it). */
  language3: string;
  /** Enrolled in youth education on 1 October of the year after grade 9 (the main stream's enrolments). */
  inYouthEducation: boolean;
}

/** Standard normal (Box–Muller); `1 - rand()` is in (0, 1]. */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Φ(z), Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): the adaptive tests' percentiles. */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const plusDays = (date: string, days: number) => fromDayNumber(toDayNumber(date) + days);

/** The school year start (1 August) of grade g for a child born in `year` on the standard pathway. */
const gradeStart = (year: number, g: number) => `${year + 6 + g}-08-01`;

/** Within the kind's (and the period's) validity dates in the catalogue. */
function valid(kind: SeedKind, period: string, on: string): boolean {
  const k = catalogueKind(kind);
  if (!k) throw new Error(`${kind} is not in the catalogue`);
  const p = k.periods.find((x) => x.period === period);
  const within = (from?: string, to?: string) => (!from || on >= from) && (!to || on < to);
  return within(k.valid_from, k.valid_to) && (!p || within(p.valid_from, p.valid_to));
}

/**
 * The national reading test regime of the school year starting `start`: the catalogue's reading
 * kind valid then, the grades it tests and when in the year (null before 2009/10: no test).
 */
export function readingRegime(start: string): { kind: SeedKind; grades: number[]; typicalMonths: number } | null {
  const k = INDICATORS.find(
    (x) => /^national_test\.[a-z]+\.reading$/.test(x.key) && (!x.valid_from || start >= x.valid_from) && (!x.valid_to || start < x.valid_to),
  );
  if (!k) return null;
  return { kind: k.key as SeedKind, grades: k.periods.map((p) => p.grade!), typicalMonths: k.periods[0]!.typical_months };
}

/** A reading score on the regime's own scale for a pupil whose test result is `z` (standard normal). */
function readingScore(kind: SeedKind, z: number): number {
  if (kind === 'national_test.adaptive.reading') return clamp(Math.ceil(100 * normalCdf(z)), 1, 100); // norm-based percentile
  if (kind === 'national_test.transition.reading') return clamp(Math.round(60 + 18 * z), 0, 100); // percent of the points
  return Math.max(0, Math.round(60 + 18 * z)); // færdighedstest: placeholder scale (not yet published)
}

/** The day of a test: around the regime's typical month (adaptive: spring; the linear tests: early autumn, 2022/23 November–December). */
function testDay(start: string, typicalMonths: number, rand: () => number): string {
  if (start === '2022-08-01') return plusDays('2022-11-01', Math.floor(rand() * 45));
  return plusDays(addMonths(start, typicalMonths), Math.floor(rand() * 61) - 30);
}

/** Percent of `offered` parent activities attended with propensity p (binomial), rounded to whole percent. */
function participation(p: number, offered: number, rand: () => number): number {
  let attended = 0;
  for (let i = 0; i < offered; i++) if (rand() < p) attended++;
  return Math.round((100 * attended) / offered);
}

/** The average of seven bound exam subjects on the 7-step scale, one decimal. */
function examAverage(ability: number, rand: () => number): number {
  // Cut points on the standard normal: −3 0.5 %, 00 3 %, 02 12 %, 4 22 %, 7 30 %, 10 23 %, 12 9.5 %.
  const cuts: Array<[number, number]> = [
    [-2.576, -3],
    [-1.812, 0],
    [-1.015, 2],
    [-0.319, 4],
    [0.454, 7],
    [1.311, 10],
  ];
  let sum = 0;
  for (let s = 0; s < 7; s++) {
    const z = 0.85 * ability + 0.53 * normal(rand);
    sum += cuts.find(([cut]) => z < cut)?.[1] ?? 12;
  }
  return Math.round((sum * 10) / 7) / 10;
}

/** What a young person is enrolled in 15 months after grade 9. */
function admission(c: IndicatorChild, exam: number, on: string, rand: () => number): string {
  if (!c.inYouthEducation) return on >= '2019-08-01' && rand() < 0.4 ? 'fgu' : 'none';
  const gymnasial = rand() < (exam >= 7 ? 0.8 : 0.45) - (c.restgruppe ? 0.1 : 0);
  const r = rand();
  const type = gymnasial ? (r < 0.65 ? 'stx' : r < 0.85 ? 'hhx' : r < 0.95 ? 'htx' : 'hf') : r < 0.8 ? 'eud' : 'eux';
  // From 2030 the epx replaces two-year hf and eux (docs/INDICATORS.md).
  return on >= '2030-08-01' && (type === 'hf' || type === 'eux') ? 'epx' : type;
}

/** The template indicators of one child, everything measured by `today`. */
export function templateIndicators(c: IndicatorChild, rand: () => number, today: string): SeedMeasurement[] {
  const out: SeedMeasurement[] = [];
  const measure = (kind: SeedKind, period: string, on: string, value: SeedMeasurement['value']) => {
    if (on <= today && valid(kind, period, on)) out.push({ child_ref: c.ref, kind, period, value, measured_on: on, source: 'seed' });
  };
  const year = Number(c.birth.slice(0, 4));
  const ability = normal(rand) - (c.restgruppe ? 0.5 : 0);
  const parents = clamp(0.88 + 0.12 * normal(rand) - (c.restgruppe ? 0.12 : 0), 0.05, 1);

  // One year into børnehave: the follow-up sprogvurdering and the institution year's participation.
  const keepsGenerel = { generel: 0.92, fokuseret: 0.55, saerlig: 0.2 }[c.language3] ?? 0.7;
  const r = rand();
  const generel = keepsGenerel - (c.restgruppe ? 0.07 : 0);
  measure(
    'sprogvurdering',
    'age-4',
    plusDays(addMonths(c.birth, 48), Math.floor(rand() * 61)),
    r < generel ? 'generel' : rand() < 0.7 ? 'fokuseret' : 'saerlig',
  );
  const fourth = addMonths(c.birth, 48);
  const yearEnd = Number(fourth.slice(5, 7)) >= 8 ? Number(fourth.slice(0, 4)) + 1 : Number(fourth.slice(0, 4));
  measure('foraeldredeltagelse', 'age-4', `${yearEnd}-07-31`, participation(parents, 4 + Math.floor(rand() * 5), rand));

  // The national reading tests of the regime in force in each school year.
  for (let g = 2; g <= 8; g++) {
    const start = gradeStart(year, g);
    const regime = readingRegime(start);
    const z = 0.8 * ability + 0.6 * normal(rand);
    const day = regime ? testDay(start, regime.typicalMonths, rand) : start;
    if (regime?.grades.includes(g)) measure(regime.kind, `grade-${g}`, day, readingScore(regime.kind, z));
  }

  // Grade 2: attendance (absent days of 200, exponential rate), participation; both at the year's end.
  const absence = (c.restgruppe ? 0.065 : 0.045) * -Math.log(1 - rand());
  measure('elevfremmoede', 'grade-2', `${year + 9}-06-25`, Math.round((1000 * (200 - Math.min(200, Math.round(200 * absence)))) / 200) / 10);
  measure('foraeldredeltagelse', 'grade-2', `${year + 9}-07-31`, participation(parents, 3 + Math.floor(rand() * 4), rand));

  // Grade 9's exams, and what the young person is enrolled in 15 months later.
  const exam = examAverage(ability, rand);
  measure('exam.folkeskole_average', 'grade-9', `${year + 16}-06-25`, exam);
  const admitted = `${year + 17}-10-01`;
  measure('youth_education.admission', 'after-grade-9.15m', admitted, admission(c, exam, admitted, rand));
  return out;
}
