/**
 * Types of the pure settlement core (SETTLEMENT.md §3–§5).
 *
 * The core has no I/O: callers load a rule version, a measurement, the child and its
 * enrolments, and the institutions involved, and get back an award with its explanation.
 * Money is integer øre as bigint; dates are ISO calendar dates (`YYYY-MM-DD`) and never
 * pass through JS `Date`.
 */

/** ISO calendar date `YYYY-MM-DD`. */
export type IsoDate = string;

export type JsonPrimitive = string | number | boolean | null;

/** The value of a measurement: enum value (string), number or boolean. */
export type MeasurementValue = string | number | boolean;

export type Predicate =
  | { op: 'eq'; value: MeasurementValue }
  | { op: 'in'; values: MeasurementValue[] }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { op: 'between'; min: number; max: number };

export type AmountSpec = { fixed_ore: number } | { value_bp: number };

export interface Multiplier {
  attribute: string;
  equals: JsonPrimitive;
  factor_bp: number;
}

export type AgeBasis = 'months' | 'calendar_years' | 'seasons';

export interface WindowSpec {
  from: number;
  to: number;
  share_bp: number;
  kinds: string[];
}

/** One published, immutable version of a bonus rule. */
export interface RuleVersionSpec {
  effective_from: IsoDate;
  /** A single-kind rule's predicate (§3); absent in a composite rule's version. */
  predicate?: Predicate;
  /** A composite rule's predicates by requirement name (§11); absent in a single-kind rule's. */
  predicates?: Record<string, Predicate>;
  amount: AmountSpec;
  multipliers: Multiplier[];
  age_basis: AgeBasis;
  /** `MM-DD`, required when age_basis is `seasons`. */
  season_start?: string | null;
  windows: WindowSpec[];
  unattributed: 'retain' | 'redistribute';
  review_days: number;
}

export interface InstitutionFacts {
  id: string;
  /** External identifier; the tie-break key of the rounding rule (byte order). */
  code: string;
  kind: string;
  closed_on: IsoDate | null;
  successor_id: string | null;
}

export interface EnrolmentFacts {
  id?: string;
  institution_id: string;
  start: IsoDate;
  /** Exclusive end; null = ongoing. */
  end: IsoDate | null;
}

export interface AwardInput {
  version: RuleVersionSpec;
  measurement: { value: MeasurementValue; measured_on: IsoDate };
  child: { birth_date: IsoDate; attributes: Record<string, unknown> };
  enrolments: EnrolmentFacts[];
  /** Every institution referenced by an enrolment, and their successors (transitively). */
  institutions: ReadonlyMap<string, InstitutionFacts>;
}

export interface Payout {
  institution_id: string;
  code: string;
  amount_ore: bigint;
}

export type NotEarnedReason = 'predicate_not_met' | 'value_not_ore';

export interface AwardResult {
  earned: boolean;
  reason: NotEarnedReason | null;
  /** Amount after the multiplier; 0n when not earned. */
  amount_ore: bigint;
  /** Non-zero payouts only, sorted by institution code (byte order). */
  payouts: Payout[];
  retained_ore: bigint;
  /** JSON-serialisable (no bigint): everything an auditor needs to redo the award (§5). */
  explanation: Explanation;
}

/** An exact rational written as "n/d" in lowest terms, plus a decimal rendering for humans. */
export interface ExactValue {
  fraction: string;
  decimal: string;
}

export interface Explanation {
  rule_version: { effective_from: IsoDate };
  measurement: { value: MeasurementValue; measured_on: IsoDate };
  earned: boolean;
  reason: NotEarnedReason | null;
  base_amount_ore: number;
  multiplier: (Multiplier & { amount_before_ore: number; amount_after_ore: number }) | null;
  amount_ore: number;
  age_basis: AgeBasis;
  unattributed: 'retain' | 'redistribute';
  windows: Array<{
    from: number;
    to: number;
    share_bp: number;
    kinds: string[];
    /** Half-open `[start, end)`. */
    start: IsoDate;
    end: IsoDate;
    days: number;
    /** Days of the window before measured_on (the only ones that can be attributed). */
    attributable_days: number;
    attributed_days: ExactValue;
    unattributed_days: ExactValue;
    institutions: Array<{ institution_id: string; code: string; days: ExactValue; exact_share_ore: ExactValue }>;
  }>;
  payees: Array<{
    institution_id: string;
    code: string;
    exact_ore: ExactValue;
    floor_ore: number;
    rounding_adjustment_ore: number;
    amount_ore: number;
    /** Institutions (codes) whose shares were redirected to this payee, with the path followed. */
    redirected_from: Array<{ code: string; via: string[]; exact_ore: ExactValue }>;
  }>;
  /** Shares of closed institutions with no open successor (`via`: the successor path followed, origin first). */
  retained_from_closed: Array<{ code: string; via: string[]; exact_ore: ExactValue }>;
  retained: { exact_ore: ExactValue; floor_ore: number; rounding_adjustment_ore: number; amount_ore: number };
}
