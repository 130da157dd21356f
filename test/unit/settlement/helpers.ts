/** Builders shared by the settlement core tests. */
import type { AwardInput, EnrolmentFacts, InstitutionFacts, RuleVersionSpec, WindowSpec } from '../../../src/settlement/index.js';

export function institution(code: string, kind: string, extra: { closed_on?: string | null; successor?: string | null } = {}): InstitutionFacts {
  return { id: code, code, kind, closed_on: extra.closed_on ?? null, successor_id: extra.successor ?? null };
}

export function institutionMap(...institutions: InstitutionFacts[]): Map<string, InstitutionFacts> {
  return new Map(institutions.map((item) => [item.id, item]));
}

export function enrolment(institutionId: string, start: string, end: string | null): EnrolmentFacts {
  return { institution_id: institutionId, start, end };
}

export function window(from: number, to: number, share_bp: number, kinds: string[]): WindowSpec {
  return { from, to, share_bp, kinds };
}

/** A version with the spec's defaults (§3), overridable field by field. */
export function version(overrides: Partial<RuleVersionSpec> = {}): RuleVersionSpec {
  return {
    effective_from: '2000-01-01',
    predicate: { op: 'eq', value: true },
    amount: { fixed_ore: 1000000 },
    multipliers: [],
    age_basis: 'months',
    season_start: null,
    windows: [window(0, 36, 10000, ['vuggestue', 'dagpleje'])],
    unattributed: 'retain',
    review_days: 30,
    ...overrides,
  };
}

export function awardInput(overrides: Partial<AwardInput> & Pick<AwardInput, 'institutions'>): AwardInput {
  return {
    version: version(),
    measurement: { value: true, measured_on: '2030-01-01' },
    child: { birth_date: '2019-03-15', attributes: {} },
    enrolments: [],
    ...overrides,
  };
}

/** Payouts as a plain `{ code: øre }` object, the shape vectors use. */
export function payoutsByCode(payouts: ReadonlyArray<{ code: string; amount_ore: bigint }>): Record<string, number> {
  return Object.fromEntries(payouts.map((payout) => [payout.code, Number(payout.amount_ore)]));
}
