/**
 * The Danish indicator catalogue shipped with the service (docs/INDICATORS.md explains every
 * entry, its source and what changed when). Installed by `installCatalogue` on start: entries
 * missing from the database are inserted once; nothing an administrator changed is overwritten
 * (DECISIONS.md D121).
 *
 * Periods (src/domain/periods.ts): basis `age` counts months from birth; basis `grade` counts
 * months from 1 August of the grade's standard school year (the child turns 6 + grade in that
 * calendar year), with a tolerance of `early_years` / `late_years` for children who start school
 * early or late or repeat a year.
 *
 * Bump CATALOGUE_VERSION when adding entries and give the new entries `since` = the new version.
 * Never change an entry in place once released: installed databases keep the old one (an
 * administrator may replace it); add a new kind instead (e.g. a new test regime).
 */
export const CATALOGUE_VERSION = 1;

export type IndicatorSource = 'municipality' | 'stil' | 'star' | 'dst' | 'institution';

export interface CataloguePeriod {
  period: string;
  basis: 'age' | 'grade';
  grade?: number;
  from_months: number;
  to_months: number;
  typical_months: number;
  early_years?: number;
  late_years?: number;
  valid_from?: string;
  valid_to?: string;
  description: string;
}

export interface CatalogueKind {
  key: string;
  type: 'enum' | 'number' | 'boolean';
  values?: string[];
  min?: number;
  max?: number;
  unit: string | null;
  source: IndicatorSource;
  family: string;
  valid_from?: string;
  valid_to?: string;
  description: string;
  periods: CataloguePeriod[];
  /** The catalogue version that first shipped this kind. */
  since: number;
}

/** Families group kinds; an administrator extends one by creating a kind with its `family`. */
export const FAMILIES: Record<string, string> = {
  language: 'Language assessments in day care and at school start',
  national_test: 'National tests of the folkeskole, one kind per test regime and subject',
  school: 'School attendance',
  parents: 'Parental participation',
  exam: 'Folkeskole exams',
  youth_education: 'Transition to youth education',
  labour_market: 'Cash benefits and NEET status 16–21',
  ocn: 'OCN criteria: an open family — administrators add criteria as kinds with family "ocn"',
};

/** Grade tolerance used unless a period says otherwise: one year early, two late (late start + one repeated year). */
export const GRADE_EARLY_YEARS = 1;
export const GRADE_LATE_YEARS = 2;

const SCHOOL_YEAR_START_2022 = '2022-08-01';
const SCHOOL_YEAR_START_2026 = '2026-08-01';
const SCHOOL_YEAR_START_2017 = '2017-08-01';

function grade(g: number, p: Omit<CataloguePeriod, 'period' | 'basis' | 'grade'>, period = `grade-${g}`): CataloguePeriod {
  return { period, basis: 'grade', grade: g, early_years: GRADE_EARLY_YEARS, late_years: GRADE_LATE_YEARS, ...p };
}

/** A status for the whole year of age N (from the N-th birthday to the day before the next). */
function yearOfAge(n: number, description: string, typicalInYear: number): CataloguePeriod {
  return { period: `age-${n}`, basis: 'age', from_months: 12 * n, to_months: 12 * n + 12, typical_months: 12 * n + typicalInYear, description };
}

/** A test taken during the school year of grade g (the whole school year is plausible). */
function testGrade(g: number, typical: number, extra: Partial<CataloguePeriod> = {}): CataloguePeriod {
  return grade(g, { from_months: 0, to_months: 12, typical_months: typical, description: `the test of grade ${g}`, ...extra });
}

const ADAPTIVE = {
  type: 'number' as const,
  min: 1,
  max: 100,
  unit: 'percentile',
  source: 'stil' as const,
  family: 'national_test',
  valid_from: '2009-08-01',
  valid_to: SCHOOL_YEAR_START_2022,
  since: 1,
};
const adaptiveNote =
  'Adaptive national test (de nationale test), obligatory from 2009/10 to 2021/22, taken in the spring (January–April). ' +
  "Value: the pupil's norm-based result as a percentile 1–100. Not comparable with the transition tests or the færdighedstest.";

const TRANSITION = {
  type: 'number' as const,
  min: 0,
  max: 100,
  unit: 'percent_correct',
  source: 'stil' as const,
  family: 'national_test',
  valid_from: SCHOOL_YEAR_START_2022,
  valid_to: SCHOOL_YEAR_START_2026,
  since: 1,
};
const transitionNote =
  'Folkeskolens Nationale Overgangstest, obligatory 2022/23–2025/26: linear (same items for every pupil), taken early in ' +
  'the school year (2022/23: November–December). Value: the points scored as a percentage of the points possible. ' +
  'Not comparable with the adaptive tests or the færdighedstest.';

const SKILLS = {
  type: 'number' as const,
  min: 0,
  unit: 'score',
  source: 'stil' as const,
  family: 'national_test',
  valid_from: SCHOOL_YEAR_START_2026,
  since: 1,
};
const skillsNote =
  'Folkeskolens Nationale Færdighedstest, obligatory from 2026/27: linear, taken early in the school year. Its reporting ' +
  'scale was not published when this catalogue was written: the kind has no maximum; set thresholds only once it is.';

const AUGUST_TO_OCTOBER = 2; // typical month (from 1 August) of a test early in the school year: October

export const INDICATORS: CatalogueKind[] = [
  {
    key: 'sprogvurdering',
    type: 'enum',
    values: ['generel', 'fokuseret', 'saerlig'],
    unit: null,
    source: 'municipality',
    family: 'language',
    description:
      'Language assessment (sprogvurdering, dagtilbudsloven § 11) with the result groups generel, fokuseret and særlig indsats. ' +
      'Selective for children in day care (only where there is reason to presume a need), so absence is normal.',
    since: 1,
    periods: [
      {
        period: 'age-2',
        basis: 'age',
        from_months: 18,
        to_months: 30,
        typical_months: 24,
        description: 'the municipal variant at about 2 years (§ 11 stk. 4: a municipality may bring the assessment forward; then none at 3, stk. 5)',
      },
      {
        period: 'age-3',
        basis: 'age',
        from_months: 30,
        to_months: 48,
        typical_months: 36,
        description: 'about 3 years (§ 11 stk. 1 in day care, selective; stk. 2 all children not in day care, usually 3 y 0 m – 3 y 4 m)',
      },
      {
        period: 'age-4',
        basis: 'age',
        from_months: 42,
        to_months: 60,
        typical_months: 48,
        description: 'one year into børnehave: a follow-up assessment with the same material (municipal practice; § 11 stk. 2 for children not in day care)',
      },
      grade(0, {
        from_months: 0,
        to_months: 6,
        typical_months: 1,
        description:
          'at the start of børnehaveklassen (folkeskoleloven § 11 stk. 2, obligatory since 2009); the material is chosen locally and its result mapped to the three groups',
      }),
    ],
  },
  {
    ...ADAPTIVE,
    key: 'national_test.adaptive.reading',
    description: `Danish, reading. ${adaptiveNote}`,
    periods: [2, 4, 6, 8].map((g) => testGrade(g, 7)),
  },
  {
    ...ADAPTIVE,
    key: 'national_test.adaptive.mathematics',
    description: `Mathematics. ${adaptiveNote}`,
    periods: [
      testGrade(3, 7),
      testGrade(6, 7),
      testGrade(8, 7, { valid_from: SCHOOL_YEAR_START_2017, description: 'the test of grade 8 (obligatory from 2017/18)' }),
    ],
  },
  {
    ...ADAPTIVE,
    key: 'national_test.adaptive.english',
    description: `English. ${adaptiveNote}`,
    periods: [testGrade(4, 7, { valid_from: SCHOOL_YEAR_START_2017, description: 'the test of grade 4 (obligatory from 2017/18)' }), testGrade(7, 7)],
  },
  {
    ...ADAPTIVE,
    key: 'national_test.adaptive.geography',
    valid_to: SCHOOL_YEAR_START_2017,
    description: `Geography. ${adaptiveNote} Obligatory only until 2016/17 (voluntary afterwards).`,
    periods: [testGrade(8, 7)],
  },
  {
    ...ADAPTIVE,
    key: 'national_test.adaptive.biology',
    valid_to: SCHOOL_YEAR_START_2017,
    description: `Biology. ${adaptiveNote} Obligatory only until 2016/17 (voluntary afterwards).`,
    periods: [testGrade(8, 7)],
  },
  {
    ...ADAPTIVE,
    key: 'national_test.adaptive.physics_chemistry',
    description: `Physics/chemistry. ${adaptiveNote}`,
    periods: [testGrade(8, 7)],
  },
  {
    ...TRANSITION,
    key: 'national_test.transition.reading',
    description: `Danish, reading. ${transitionNote}`,
    periods: [2, 3, 4, 6, 8].map((g) => testGrade(g, AUGUST_TO_OCTOBER)),
  },
  {
    ...TRANSITION,
    key: 'national_test.transition.mathematics',
    description: `Mathematics. ${transitionNote}`,
    periods: [2, 4, 6, 7, 8].map((g) => testGrade(g, AUGUST_TO_OCTOBER)),
  },
  {
    ...SKILLS,
    key: 'national_test.skills.reading',
    description: `Danish, reading. ${skillsNote}`,
    periods: [2, 3, 4, 6, 8].map((g) => testGrade(g, AUGUST_TO_OCTOBER)),
  },
  {
    ...SKILLS,
    key: 'national_test.skills.mathematics',
    description: `Mathematics. ${skillsNote}`,
    periods: [2, 4, 6, 7, 8].map((g) => testGrade(g, AUGUST_TO_OCTOBER)),
  },
  {
    key: 'elevfremmoede',
    type: 'number',
    min: 0,
    max: 100,
    unit: 'percent',
    source: 'stil',
    family: 'school',
    valid_from: '2010-08-01',
    description:
      "Attendance (elevfremmøde): the share of the school year's school days the pupil was present, in percent — 100 minus the " +
      'absence percentage the school reports (sick, with permission and unlawful absence, counted in whole days). Dated at the end of the school year.',
    since: 1,
    periods: Array.from({ length: 10 }, (_, g) =>
      grade(g, { from_months: 0, to_months: 13, typical_months: 11, description: `the school year of grade ${g} (dated at its end; up to August after it)` }),
    ),
  },
  {
    key: 'foraeldredeltagelse',
    type: 'number',
    min: 0,
    max: 100,
    unit: 'percent',
    source: 'institution',
    family: 'parents',
    description:
      "Parental participation (forældredeltagelse) in one institution year (1 August – 31 July): of the parent activities the child's " +
      'institution offered that year (parent conversations, parent meetings and the other arrangements it announced for parents), the ' +
      'percentage at which at least one holder of parental custody took part. Recorded by the institution; a year with no activity offered is not measured.',
    since: 1,
    periods: [
      ...[1, 2, 3, 4, 5].map((n) => ({
        period: `age-${n}`,
        basis: 'age' as const,
        from_months: 12 * n - 12,
        to_months: 12 * n + 13,
        typical_months: 12 * n + 5,
        description: `the institution year in which the child turns ${n} (day care / børnehave)`,
      })),
      ...Array.from({ length: 10 }, (_, g) => grade(g, { from_months: 0, to_months: 13, typical_months: 11, description: `the school year of grade ${g}` })),
    ],
  },
  {
    key: 'exam.folkeskole_average',
    type: 'number',
    min: -3,
    max: 12,
    unit: 'grade_7_step',
    source: 'stil',
    family: 'exam',
    valid_from: '2007-08-01',
    description:
      'Folkeskolens afgangsprøve after grade 9: the average of the grades in the bound exam subjects (bundne prøvefag) on the ' +
      '7-step scale (−3, 00, 02, 4, 7, 10, 12), a decimal between −3 and 12. The 7-step scale replaced the 13-scale from 2007.',
    since: 1,
    periods: [grade(9, { from_months: 9, to_months: 13, typical_months: 11, description: 'the exams of grade 9 (May–June; grades known by the end of June)' })],
  },
  {
    key: 'youth_education.admission',
    type: 'enum',
    values: ['stx', 'hhx', 'htx', 'hf', 'eux', 'eud', 'fgu', 'epx', 'none'],
    unit: null,
    source: 'stil',
    family: 'youth_education',
    description:
      'Youth education the young person is enrolled in (admitted to and started), by type: stx, hhx, htx, hf, eux, eud, fgu ' +
      '(forberedende grunduddannelse, a preparatory programme, since August 2019), epx (the new erhvervs- og professionsrettet ' +
      'gymnasieuddannelse, from 2030), or none. Read as the ministry reads transition: 3 and 15 months after grade 9.',
    since: 1,
    periods: [
      grade(
        9,
        { from_months: 12, to_months: 16, typical_months: 14, description: '3 months after grade 9 (status on 1 October after leaving grade 9)' },
        'after-grade-9.3m',
      ),
      grade(
        9,
        { from_months: 24, to_months: 28, typical_months: 26, description: '15 months after grade 9 (status on 1 October a year later; includes grade 10)' },
        'after-grade-9.15m',
      ),
    ],
  },
  {
    key: 'kontanthjaelp',
    type: 'boolean',
    unit: null,
    source: 'star',
    family: 'labour_market',
    description:
      'Cash benefit status for one year of age: true if the young person received kontanthjælp or uddannelseshjælp (until 30 June 2025) ' +
      'or the unified kontanthjælp (from 1 July 2025) in any week of the year from the N-th birthday. Source: STAR (jobindsats.dk / DREAM) or the municipality. ' +
      'Before 18 the benefits are not normally granted, so ages 16–17 read false for almost everyone.',
    since: 1,
    periods: [16, 17, 18, 19, 20, 21].map((n) => yearOfAge(n, `the year of age ${n}`, 11)),
  },
  {
    key: 'neet',
    type: 'boolean',
    unit: null,
    source: 'dst',
    family: 'labour_market',
    description:
      "NEET (not in employment, education or training) as Danmarks Statistik's NEET indicator: on the reference date at the end of " +
      'November (the register-based labour market account, AMR/RAS) neither employed nor enrolled in education. Period age-N: the ' +
      'reference date within the year of age N; measured_on is that date.',
    since: 1,
    periods: [16, 17, 18, 19, 20, 21].map((n) => yearOfAge(n, `the end-of-November status within the year of age ${n}`, 6)),
  },
];

/** The catalogue kind with this key (undefined when it has none). */
export function catalogueKind(key: string): CatalogueKind | undefined {
  return INDICATORS.find((k) => k.key === key);
}
