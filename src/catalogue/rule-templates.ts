/**
 * Default bonus rules as the proposal describes them, in the composite shape of SETTLEMENT.md §11
 * (`requires` / per-version `predicates`; JSON as in VECTORS.md). Served by
 * `GET /v1/rule-templates`, instantiated into a fund by `POST /v1/rule-templates/{key}/rules`
 * (services/rule-templates.ts) and installed by `npm run seed` (DECISIONS D135, D136). docs/SEED.md gives each template's windows and its retained share, computed by
 * `retainedShare` (src/catalogue/retained-share.ts); a unit test keeps the two in step.
 *
 * Thresholds are choices where the proposal names none (docs/SEED.md, DECISIONS.md D127); they
 * live in the versions' predicates, so a new version can change them without new requirements.
 */
import type { AgeBasis, Multiplier, Predicate } from '../settlement/types.js';

export interface TemplateVersion {
  effective_from: string;
  predicates: Record<string, Predicate>;
  amount: { fixed_ore: number };
  multipliers: Multiplier[];
  age_basis: AgeBasis;
  season_start?: string | null;
  windows: Array<{ from: number; to: number; share_bp: number; kinds: string[] }>;
  unattributed: 'retain' | 'redistribute';
  review_days: number;
}

export interface RuleTemplate {
  key: string;
  name: string;
  description: string;
  /** Requirement name → the measurement identity it needs (§11: distinct pairs, fixed at creation). */
  requires: Record<string, { kind: string; period: string }>;
  versions: TemplateVersion[];
}

/**
 * The restgruppe multiplier on every template: × 1.5 for a child with `restgruppe_origin: true` —
 * at least one parent over 18 whose highest completed education is grundskole and who is in
 * neither education nor employment (docs/SEED.md, "Restgruppe origin").
 */
export const RESTGRUPPE_MULTIPLIER: Multiplier = { attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 };

const EFFECTIVE_FROM = '2000-01-01';
const YOUTH_EDUCATION = ['stx', 'hhx', 'htx', 'hf', 'eux', 'eud', 'epx'];

function version(predicates: Record<string, Predicate>, fixedOre: number, windows: TemplateVersion['windows']): TemplateVersion {
  return {
    effective_from: EFFECTIVE_FROM,
    predicates,
    amount: { fixed_ore: fixedOre },
    multipliers: [RESTGRUPPE_MULTIPLIER],
    age_basis: 'months',
    windows,
    unattributed: 'retain',
    review_days: 30,
  };
}

export const RULE_TEMPLATES: RuleTemplate[] = [
  {
    key: 'daycare-language-parents',
    name: 'Language and parental participation one year into børnehave pay the vuggestue/dagpleje',
    description:
      'Sprogvurdering one year into børnehave reads generel indsats, and the parents took part in at least 75 % of the ' +
      "børnehave's parent activities in the institution year in which the child turns 4. Pays the vuggestue and dagpleje of ages " +
      '6 months – 3 years (the municipalities guarantee a place from 26 weeks).',
    requires: {
      language: { kind: 'sprogvurdering', period: 'age-4' },
      parents: { kind: 'foraeldredeltagelse', period: 'age-4' },
    },
    versions: [
      version({ language: { op: 'in', values: ['generel'] }, parents: { op: 'gte', value: 75 } }, 1_000_000, [
        { from: 6, to: 36, share_bp: 10000, kinds: ['vuggestue', 'dagpleje'] },
      ]),
    ],
  },
  {
    key: 'boernehave-second-grade',
    name: 'Reading, attendance and parental participation in 2nd grade pay the børnehave',
    description:
      "In 2nd grade: the færdighedstest in reading scores at least 50 (placeholder until the test's scale is published), " +
      'attendance is at least 95 % of the school days, and the parents took part in at least 75 % of the parent activities. ' +
      'Pays the børnehave of ages 3–6.',
    requires: {
      reading: { kind: 'national_test.skills.reading', period: 'grade-2' },
      attendance: { kind: 'elevfremmoede', period: 'grade-2' },
      parents: { kind: 'foraeldredeltagelse', period: 'grade-2' },
    },
    versions: [
      version({ reading: { op: 'gte', value: 50 }, attendance: { op: 'gte', value: 95 }, parents: { op: 'gte', value: 75 } }, 2_000_000, [
        { from: 36, to: 72, share_bp: 10000, kinds: ['boernehave'] },
      ]),
    ],
  },
  {
    key: 'school-exam-admission',
    name: 'Exam grades and admission to youth education pay the school',
    description:
      'The average of the bound exam subjects after grade 9 is at least 7 ("god præstation"), and 15 months after grade 9 the young ' +
      'person is enrolled in a youth education (stx, hhx, htx, hf, eux, eud or epx; not FGU, a preparatory programme). Pays the school: ' +
      '30 % for ages 6–10, 70 % for ages 10–16.',
    requires: {
      exam: { kind: 'exam.folkeskole_average', period: 'grade-9' },
      admission: { kind: 'youth_education.admission', period: 'after-grade-9.15m' },
    },
    versions: [
      version({ exam: { op: 'gte', value: 7 }, admission: { op: 'in', values: YOUTH_EDUCATION } }, 3_000_000, [
        { from: 72, to: 120, share_bp: 3000, kinds: ['skole'] },
        { from: 120, to: 192, share_bp: 7000, kinds: ['skole'] },
      ]),
    ],
  },
  {
    key: 'no-cash-benefits-18-21',
    name: 'No cash benefits at any age 18–21 pays the school and the youth education',
    description:
      'No kontanthjælp or uddannelseshjælp in any of the years of age 18, 19, 20 and 21. Pays the school 60 % (ages 6–16) and the ' +
      'youth education 40 % (ages 16–20: a three-year programme with a year to spare, or a four-year eud).',
    requires: {
      age18: { kind: 'kontanthjaelp', period: 'age-18' },
      age19: { kind: 'kontanthjaelp', period: 'age-19' },
      age20: { kind: 'kontanthjaelp', period: 'age-20' },
      age21: { kind: 'kontanthjaelp', period: 'age-21' },
    },
    versions: [
      version(
        {
          age18: { op: 'eq', value: false },
          age19: { op: 'eq', value: false },
          age20: { op: 'eq', value: false },
          age21: { op: 'eq', value: false },
        },
        5_000_000,
        [
          { from: 72, to: 192, share_bp: 6000, kinds: ['skole'] },
          { from: 192, to: 240, share_bp: 4000, kinds: ['ungdomsuddannelse'] },
        ],
      ),
    ],
  },
];
