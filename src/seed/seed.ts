import type { Principal } from '../auth/principal.js';
import type { Services } from '../services/index.js';
import { RULE_TEMPLATES } from '../catalogue/rule-templates.js';
import { institutionsFor, population, type PersonRecords } from './population.js';

/** Kinds the single-kind population measures; created unless they exist (the catalogue installs the first and last). */
export const MEASUREMENT_KINDS = [
  { key: 'sprogvurdering', type: 'enum' as const, values: ['generel', 'fokuseret', 'saerlig'] },
  { key: 'national_test.reading', type: 'number' as const, min: 1, max: 100 },
  { key: 'kontanthjaelp', type: 'boolean' as const },
];

const months = (from: number, to: number, kinds: string[], share_bp: number) => ({ from, to, kinds, share_bp });

/** The three bonuses of the mission, as rule versions (SETTLEMENT.md §3). */
export function defaultRules(fundId: string) {
  const school = [6, 7, 8, 9].map((a) => months(a, a + 1, ['skole'], 500)).concat([10, 11, 12, 13, 14, 15].map((a) => months(a, a + 1, ['skole'], 1000)));
  return [
    {
      fund_id: fundId,
      name: 'Sprogvurdering pays the vuggestue/dagpleje',
      kind: 'sprogvurdering',
      periods: ['age-3'],
      versions: [
        {
          effective_from: '2000-01-01',
          predicate: { op: 'in' as const, values: ['generel'] },
          amount: { fixed_ore: 1_000_000 },
          multipliers: [{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }],
          age_basis: 'months' as const,
          windows: [months(0, 36, ['vuggestue', 'dagpleje'], 10000)],
          unattributed: 'retain' as const,
          review_days: 30,
        },
      ],
    },
    {
      fund_id: fundId,
      name: 'Reading in 2nd grade pays the børnehave',
      kind: 'national_test.reading',
      periods: ['grade-2'],
      versions: [
        {
          effective_from: '2000-01-01',
          predicate: { op: 'gte' as const, value: 60 },
          amount: { fixed_ore: 2_000_000 },
          multipliers: [{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }],
          age_basis: 'months' as const,
          windows: [months(36, 72, ['boernehave'], 10000)],
          unattributed: 'retain' as const,
          review_days: 30,
        },
      ],
    },
    {
      fund_id: fundId,
      name: 'No kontanthjælp at 21 pays school and youth education',
      kind: 'kontanthjaelp',
      periods: ['age-21'],
      versions: [
        {
          effective_from: '2000-01-01',
          predicate: { op: 'eq' as const, value: false },
          amount: { fixed_ore: 5_000_000 },
          multipliers: [],
          age_basis: 'calendar_years' as const,
          windows: [...school, months(16, 22, ['ungdomsuddannelse'], 1000)],
          unattributed: 'retain' as const,
          review_days: 30,
        },
      ],
    },
  ];
}

export interface SeedOptions {
  children: number;
  seed: number;
  today: string;
  blockSize?: number;
  /** Skip measurements (benchmarks ingest them over HTTP themselves). */
  measurements?: boolean;
  /**
   * Which rules the fund gets: `templates` — the proposal's default rules (the composite templates
   * of src/catalogue/rule-templates.ts; what `npm run seed` installs); `single-kind` (default) —
   * `defaultRules`, three single-kind rules the population's measurements always complete (the
   * benchmarks and fault tests measure settlement with them); false — none.
   */
  rules?: 'templates' | 'single-kind' | boolean;
  depositOre?: number;
  onProgress?: (done: number) => void;
}

export interface SeedReport {
  children: number;
  institutions: number;
  enrolments: number;
  measurements: number;
  rejected: number;
  fundId: string;
}

/**
 * Stores a synthetic population through the services the API uses (bulk child, enrolment and
 * measurement ingest; institution, fund and rule creation), in blocks of `blockSize` children.
 */
export async function seed(services: Services, actor: Principal, opts: SeedOptions): Promise<SeedReport> {
  const blockSize = opts.blockSize ?? 1000;
  const templates = opts.rules === 'templates';
  // The template mode measures only catalogue kinds (installed on start); the period-free
  // national_test.reading is the single-kind population's.
  for (const k of templates ? [] : MEASUREMENT_KINDS) {
    const exists = await services.kinds.getMeasurementKind(k.key).then(
      () => true,
      () => false,
    );
    if (!exists) await services.kinds.createMeasurementKind(actor, k);
  }
  const institutions = institutionsFor(opts.children);
  for (const inst of institutions) await services.institutions.create(actor, inst);
  const fund = await services.funds.create(actor, { name: 'Mobilitetsfonden (seed)' });
  // 100,000 DKK a child by default: enough to fund every award the population can earn.
  await services.deposits.create(actor, fund.id, { amount_ore: opts.depositOre ?? opts.children * 10_000_000, funder: 'Landsbyggefonden' });
  if (templates) {
    for (const t of services.ruleTemplates.list()) await services.ruleTemplates.instantiate(actor, t.key, { fund_id: fund.id });
  } else if (opts.rules !== false) {
    for (const r of defaultRules(fund.id)) await services.rules.create(actor, r);
  }

  const report: SeedReport = { children: 0, institutions: institutions.length, enrolments: 0, measurements: 0, rejected: 0, fundId: fund.id };
  let block: PersonRecords[] = [];
  const flush = async () => {
    if (!block.length) return;
    const tally = (results: Array<{ outcome: string }>) => results.filter((r) => r.outcome === 'rejected').length;
    report.rejected += tally(
      await services.childImport.ingest(
        actor,
        block.map((p) => p.child),
      ),
    );
    const enrolments = block.flatMap((p) => p.enrolments);
    for (let i = 0; i < enrolments.length; i += 1000) {
      report.rejected += tally(await services.enrolmentImport.ingest(actor, enrolments.slice(i, i + 1000)));
    }
    if (opts.measurements !== false) {
      const measurements = block.flatMap((p) => p.measurements);
      for (let i = 0; i < measurements.length; i += 1000) {
        report.rejected += tally(await services.measurements.ingest.ingest(actor, measurements.slice(i, i + 1000)));
      }
      report.measurements += measurements.length;
    }
    report.children += block.length;
    report.enrolments += enrolments.length;
    opts.onProgress?.(report.children);
    block = [];
  };
  const people = population({ children: opts.children, seed: opts.seed, today: opts.today, ...(templates ? { indicators: 'templates' as const } : {}) });
  for (const person of people) {
    block.push(person);
    if (block.length === blockSize) await flush();
  }
  await flush();
  return report;
}

/**
 * The seed's closing report, one line per rule of the fund: awards earned / not earned, children
 * pending (some requirement measured, not all) and, for a rule made from a template, its key.
 */
export function progressLines(rules: Array<{ name: string; earned: number; not_earned: number; pending: number }>): string[] {
  return rules.map((r) => {
    const key = RULE_TEMPLATES.find((t) => t.name === r.name)?.key;
    return `  ${key ?? r.name}: ${r.earned} earned, ${r.not_earned} not earned, ${r.pending} pending`;
  });
}
