import type { ColumnType, Generated, GeneratedAlways, JSONColumnType } from 'kysely';
import type { Role } from '../auth/api-key.js';
import type { IntegrationScope } from '../auth/principal.js';
import type { MeasurementValue, RuleVersionSpec } from '../settlement/types.js';

/**
 * Table types as the drivers return them: int8 → bigint, date → 'YYYY-MM-DD' string,
 * numeric → string, timestamptz → Date, jsonb → parsed JSON.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Money = ColumnType<bigint, bigint | number | string, bigint | number | string>;
type GeneratedMoney = ColumnType<bigint, bigint | number | string | undefined, bigint | number | string>;
/** jsonb: read as parsed JSON of the shape the service writes, written as JSON text. */
type Json<T = unknown> = ColumnType<T, string, string>;

/** A child's attribute value (read by multipliers): a JSON scalar. */
export type AttributeValue = string | number | boolean | null;

export interface InstitutionKindsTable {
  key: string;
  label: string;
  created_at: Generated<Date>;
}

export interface FundsTable {
  id: Generated<string>;
  name: string;
  description: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface InstitutionsTable {
  id: Generated<string>;
  code: string;
  kind: string;
  name: string;
  municipality: string | null;
  closed_on: string | null;
  successor_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ChildrenTable {
  id: Generated<string>;
  external_ref: string | null;
  cpr_hmac: string | null;
  cpr_key_id: string | null;
  birth_date: string;
  attributes: Json<Record<string, AttributeValue>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EnrolmentsTable {
  id: Generated<string>;
  child_id: string;
  institution_id: string;
  start_on: string;
  end_on: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MeasurementKindsTable {
  key: string;
  value_type: 'enum' | 'number' | 'boolean';
  allowed_values: Json<string[] | null> | null;
  min_value: string | null;
  max_value: string | null;
  description: string | null;
  created_at: Generated<Date>;
  unit: string | null;
  source: string | null;
  family: string | null;
  /** date columns come back as YYYY-MM-DD strings (see database.ts). */
  valid_from: string | null;
  valid_to: string | null;
  origin: Generated<'api' | 'catalogue'>;
  catalogue_version: number | null;
  updated_at: Date | null;
}

export interface MeasurementKindPeriodsTable {
  kind_key: string;
  period: string;
  basis: 'age' | 'grade';
  grade: number | null;
  from_months: number;
  to_months: number;
  typical_months: number;
  early_years: Generated<number>;
  late_years: Generated<number>;
  valid_from: string | null;
  valid_to: string | null;
  description: string | null;
  origin: Generated<'api' | 'catalogue'>;
  created_at: Generated<Date>;
}

export interface CatalogueEntriesTable {
  entry: string;
  catalogue_version: number;
  outcome: 'installed' | 'kept';
  handled_at: Generated<Date>;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  role: Role;
  secret_hash: string;
  institution_id: string | null;
  scope: Json<IntegrationScope | null> | null;
  created_at: Generated<Date>;
  created_by: string | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<bigint>;
  at: Generated<Date>;
  actor_key_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json<Record<string, unknown>>;
}

export interface OutboxTable {
  id: Generated<bigint>;
  topic: string;
  payload: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  dispatched_at: Timestamp | null;
}

export type AccountType = 'available' | 'reserved' | 'payable' | 'funders' | 'paid_out';

export interface LedgerAccountsTable {
  code: string;
  fund_id: string;
  type: AccountType;
  institution_id: string | null;
  balance_ore: GeneratedMoney;
  created_at: Generated<Date>;
}

export interface LedgerHeadTable {
  id: number;
  last_seq: Money;
  last_hash: string;
}

export interface JournalEntriesTable {
  seq: Money;
  id: string;
  posted_at: Timestamp;
  posted_on: string;
  kind: string;
  fund_id: string | null;
  award_id: string | null;
  memo: string | null;
  prev_hash: string;
  hash: string;
  /** RFC 8785 text of the hashed fields, exactly as hashed (migration 0006). */
  canonical: string;
  /** When it was appended (pending) and sealed, both by PostgreSQL's clock; null before migration 0018. */
  appended_at: Date | null;
  sealed_at: Date | null;
  /** The award revision the entry posts and the SHA-256 of its explanation's RFC 8785 text (hashed). */
  award_revision: number | null;
  explanation_sha256: string | null;
}

/** Entries appended but not yet sealed into the chain (migration 0018). */
export interface JournalPendingTable {
  id: string;
  append_no: Money;
  appended_at: Generated<Date>;
  posted_at: Timestamp;
  posted_on: string;
  kind: string;
  fund_id: string | null;
  award_id: string | null;
  award_revision: number | null;
  explanation_sha256: string | null;
  memo: string | null;
  lines: Json<Array<{ account: string; amount_ore: string }>>;
}

export interface LedgerCheckpointsTable {
  seq: Money;
  hash: string;
  sealed_at: Date;
  key_id: string;
  signature: string;
  created_at: Generated<Date>;
}

export interface JournalLinesTable {
  entry_seq: Money;
  line_no: number;
  account: string;
  amount_ore: Money;
}

export interface DepositsTable {
  id: Generated<string>;
  fund_id: string;
  amount_ore: Money;
  funder: string;
  reference: string | null;
  received_on: string;
  entry_seq: Money;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface MeasurementsTable {
  id: Generated<string>;
  seq: Generated<bigint>;
  child_id: string;
  kind_key: string;
  period: string;
  value: Json<MeasurementValue | null> | null;
  measured_on: string;
  source: string | null;
  status: 'active' | 'retracted';
  revision: Generated<number>;
  gen: GeneratedMoney;
  submitted_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** When the current revision was received; null: revision 1, received at `created_at` (migration 0007). */
  revised_at: Timestamp | null;
}

export interface MeasurementRevisionsTable {
  measurement_id: string;
  revision: number;
  status: string;
  value: Json<MeasurementValue | null> | null;
  measured_on: string;
  source: string | null;
  submitted_by: string | null;
  created_at: Generated<Date>;
}

export interface RulesTable {
  id: Generated<string>;
  fund_id: string;
  name: string;
  /** Null for a composite rule (SETTLEMENT.md §11): its requirements are in rule_requirements. */
  kind_key: string | null;
  periods: Json<string[] | null> | null;
  created_at: Generated<Date>;
  created_by: string | null;
  /** Creation order (identity; migration 0017): breaks ties of funding place (§6). */
  ordinal: GeneratedAlways<bigint>;
}

export interface RuleRequirementsTable {
  rule_id: string;
  name: string;
  kind_key: string;
  period: string;
  /** Order of the requirement in the rule as created. */
  position: number;
}

export interface RuleVersionsTable {
  id: Generated<string>;
  rule_id: string;
  version: number;
  effective_from: string;
  /** As `toSpec` (src/domain/rule-spec.ts) writes it. */
  spec: Json<RuleVersionSpec>;
  created_at: Generated<Date>;
  created_by: string | null;
}

export type AwardStatus = 'not_earned' | 'awaiting_funds' | 'provisional' | 'held' | 'final';

export interface AwardsTable {
  id: Generated<string>;
  rule_id: string;
  measurement_id: string;
  fund_id: string;
  child_id: string;
  measurement_seq: Money;
  rule_version_id: string | null;
  status: AwardStatus;
  earned: boolean;
  amount_ore: Money;
  payout_total_ore: Money;
  retained_ore: Money;
  reserved_ore: GeneratedMoney;
  reserve_target_ore: GeneratedMoney;
  open_objections: Generated<number>;
  revision: Generated<number>;
  result_hash: string;
  explanation: Json<unknown>;
  /** SHA-256 of the explanation's RFC 8785 text (migration 0018): what ledger entries commit to. */
  explanation_sha256: string | null;
  /** The award object of an export line up to its explanation, for the current revision (migration 0024). */
  export_head: string | null;
  provisional_since: Timestamp | null;
  review_until: Timestamp | null;
  finalised_at: Timestamp | null;
  computed_at: Generated<Date>;
  created_at: Generated<Date>;
}

/** Measurements waiting for settlement, kept by triggers on `measurements` (migration 0008). */
export interface SettlementBacklogTable {
  measurement_id: string;
  kind_key: string;
  seq: Money;
  since: Generated<Date>;
}

export interface AwardPayeesTable {
  award_id: string;
  institution_id: string;
  amount_ore: Money;
  payable_ore: GeneratedMoney;
}

export interface AwardRevisionsTable {
  award_id: string;
  revision: number;
  earned: boolean;
  amount_ore: Money;
  retained_ore: Money;
  /** Institution id → amount in øre as decimal text (non-zero payouts only). */
  payouts: Json<Record<string, string>>;
  /** Null for the award's current revision: its explanation is on the award (migration 0006). */
  explanation: Json<unknown> | null;
  /** Moved here with the explanation when superseded (migration 0024). */
  export_head: string | null;
  computed_at: Generated<Date>;
}

export interface ObjectionsTable {
  id: Generated<string>;
  award_id: string;
  filed_by: string | null;
  institution_id: string | null;
  reason: string;
  status: 'open' | 'upheld' | 'rejected' | 'withdrawn';
  resolution: string | null;
  created_at: Generated<Date>;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
}

export interface PaymentRunsTable {
  id: Generated<string>;
  fund_id: string;
  cutoff_on: string;
  reference: string;
  status: 'created' | 'confirmed' | 'cancelled';
  total_ore: Money;
  entry_seq: Money | null;
  created_at: Generated<Date>;
  created_by: string | null;
  confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  /** The fund's account when the run was created (migration 0011); null: none was configured. */
  debtor_name: string | null;
  debtor_iban: string | null;
  debtor_bic: string | null;
}

export type PaymentLineStatus = 'pending' | 'paid' | 'returned' | 'cancelled';

export interface PaymentLinesTable {
  run_id: string;
  institution_id: string;
  amount_ore: Money;
  status: PaymentLineStatus;
  line_no: number;
  /** `<run reference>-<line no>`: the EndToEndId of the line's credit transfer. */
  reference: string;
  /** The payee details approved when the run was created; null when there were none. */
  payee_details_id: string | null;
  settled_on: string | null;
  return_reason: string | null;
  statement_id: string | null;
}

export type PayeeAccountKind = 'dk_account' | 'iban' | 'nemkonto';
export type PayeeDetailsStatus = 'pending' | 'approved' | 'rejected' | 'superseded';

export interface PayeeDetailsTable {
  id: Generated<string>;
  institution_id: string;
  version: number;
  cvr: string;
  ean: string | null;
  account_kind: PayeeAccountKind;
  reg_no: string | null;
  account_no: string | null;
  iban: string | null;
  bic: string | null;
  status: PayeeDetailsStatus;
  proposed_by: string;
  proposed_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
}

export interface FundAccountsTable {
  fund_id: string;
  name: string;
  iban: string;
  bic: string | null;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface BankStatementsTable {
  id: Generated<string>;
  message_type: 'camt.053' | 'camt.054';
  message_id: string;
  document_sha256: string;
  uploaded_by: string | null;
  uploaded_at: Generated<Date>;
  summary: Json<Record<string, unknown>>;
}

export interface BankStatementEntriesTable {
  statement_id: string;
  entry_no: number;
  path: string;
  end_to_end_id: string | null;
  amount_ore: Money | null;
  credit_debit: string;
  entry_status: string;
  outcome: string;
  line_reference: string | null;
  message: string | null;
}

export interface WebhookSubscriptionsTable {
  id: Generated<string>;
  url: string;
  events: ColumnType<string[], string[], string[]>;
  institution_id: string | null;
  integration_key_id: string | null;
  owner_key_id: string;
  /** Sealed (`enc:v1:<key id>:…`, webhooks/secret-box.ts); in clear only before the first start after migration 0026. */
  secret: string;
  /** The secret before the last rotation, sealed, still signing until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: Timestamp | null;
  secret_rotated_at: Timestamp | null;
  status: 'active' | 'disabled';
  disabled_at: Timestamp | null;
  disabled_reason: string | null;
  description: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WebhookEventsTable {
  id: string;
  type: string;
  occurred_at: Generated<Date>;
  data: Json<Record<string, unknown>>;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  subscription_id: string;
  event_id: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  lease_until: Timestamp | null;
  first_attempt_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface WebhookAttemptsTable {
  id: Generated<bigint>;
  delivery_id: string | null;
  subscription_id: string;
  kind: 'attempt' | 'notice';
  at: Generated<Date>;
  attempt_no: number | null;
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
  message: string | null;
}

export interface IdempotencyKeysTable {
  api_key_id: string;
  idempotency_key: string;
  request_hash: string;
  state: 'in_progress' | 'done';
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

/** One row per (child, rule) with an award: the social-mobility report's summary (migration 0012). */
export interface OutcomeFactsTable {
  child_id: string;
  rule_id: string;
  awards: number;
  earned_awards: number;
  amount_ore: Money;
  restgruppe: boolean;
  birth_year: number;
  institution_ids: ColumnType<string[], string[], string[]>;
  institution_kinds: ColumnType<string[], string[], string[]>;
  municipalities: ColumnType<string[], string[], string[]>;
}

/** The report's counts per (rule, dimension, value, origin), kept at commit (migration 0012). */
export interface OutcomeCountsTable {
  rule_id: string;
  dim: 'total' | 'birth_year' | 'municipality' | 'institution_kind' | 'institution';
  value: string | null;
  restgruppe: boolean;
  measured: Money;
  earned: Money;
  amount_ore: Money;
  /** awards decided / earned (migration 0023: the forecast's rates read them) */
  awards: GeneratedMoney;
  earned_awards: GeneratedMoney;
}

/** (child, rule) pairs (rule null: every rule of the child) whose outcome_facts rows may have changed, appended by triggers (migration 0028). */
export interface OutcomeDirtyTable {
  /** null: every row of `rule_id` (a rule version changed; migration 0031). */
  child_id: string | null;
  /** null: every row of `child_id`. */
  rule_id: string | null;
}

/*
 * The liability forecast's summary (migration 0023, docs/FORECAST.md "Speed", D182–D185). Written
 * and read by src/repositories/forecast-summary.ts; days are counted from 1970-01-01. The int8
 * arrays come back from pg as decimal strings (its default array parser), not bigints.
 */

/** Children whose forecast inputs changed, appended by statement triggers; claimed by the summary. */
export interface ForecastDirtyTable {
  child_id: string;
}

/** What the summary last counted for a child, so that a change is taken out exactly as it was put in. */
export interface ForecastChildrenTable {
  child_id: string;
  birth_date: string;
  attributes: JSONColumnType<Record<string, unknown>>;
  /** `[[start day, end day or null, institution kind], …]` */
  spans: JSONColumnType<[number, number | null, string][]>;
  /** `'<rule id>|<period>'` of each award */
  decided: string[];
}

/** The units (rule × period) summarised, with a fingerprint of everything their figures depend on. */
export interface ForecastUnitsTable {
  rule_id: string;
  period: string;
  fingerprint: string;
}

/** A pending cohort: unit, birth date and the attributes its multipliers read. */
export interface ForecastCohortsTable {
  id: GeneratedAlways<number>;
  rule_id: string;
  period: string;
  birth_date: string;
  attrs: string;
  children: number;
  /** Σ known days per window once the window's attributable part is over */
  known_final: string[];
  /** Σ (the child's known share)² once every window is over */
  sq_final: number;
}

/** Changes of a cohort's known days at a day: alpha + beta · (T − birth date) for T before it. */
export interface ForecastKnownEventsTable {
  cohort_id: number;
  win: number;
  day: number;
  alpha: bigint;
  beta: bigint;
}

/** Changes of a cohort's sum of squared known shares at a day: a + 2b·τ + c·τ². */
export interface ForecastSquareEventsTable {
  cohort_id: number;
  day: number;
  a: number;
  b: number;
  c: number;
}

/** Covered days of every child born on a date, per (window, sixth) at index 6 · window + sixth. */
export interface ForecastProfileTable {
  rule_id: string;
  period: string;
  birth_date: string;
  covered: string[];
}

/** The number of children per birth date (the attribution profile). */
export interface ForecastBirthDatesTable {
  birth_date: string;
  children: number;
}

/** The institution kinds a rule pays (a view over its versions' windows, migration 0012). */
export interface RulePaidKindsView {
  rule_id: string;
  kind: string;
}

/** Dashboard sign-in sessions (migration 0013): only the token's SHA-256 is stored. */
export interface DashboardSessionsTable {
  token_hash: string;
  api_key_id: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

/** An administrator's assumed earn rate per rule: the prior mean of the liability forecast (migration 0016). */
export interface RuleAssumedRatesTable {
  rule_id: string;
  /** numeric(5,4) as text, e.g. '0.4500'. */
  rate: string;
  note: string | null;
  set_at: Generated<Date>;
  set_by: string | null;
}

export interface DB {
  idempotency_keys: IdempotencyKeysTable;
  institution_kinds: InstitutionKindsTable;
  funds: FundsTable;
  institutions: InstitutionsTable;
  children: ChildrenTable;
  enrolments: EnrolmentsTable;
  measurement_kinds: MeasurementKindsTable;
  measurement_kind_periods: MeasurementKindPeriodsTable;
  catalogue_entries: CatalogueEntriesTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_head: LedgerHeadTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
  journal_pending: JournalPendingTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  deposits: DepositsTable;
  measurements: MeasurementsTable;
  measurement_revisions: MeasurementRevisionsTable;
  rules: RulesTable;
  rule_requirements: RuleRequirementsTable;
  rule_versions: RuleVersionsTable;
  awards: AwardsTable;
  award_payees: AwardPayeesTable;
  settlement_backlog: SettlementBacklogTable;
  award_revisions: AwardRevisionsTable;
  objections: ObjectionsTable;
  payment_runs: PaymentRunsTable;
  payment_lines: PaymentLinesTable;
  payee_details: PayeeDetailsTable;
  fund_accounts: FundAccountsTable;
  bank_statements: BankStatementsTable;
  bank_statement_entries: BankStatementEntriesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  outcome_facts: OutcomeFactsTable;
  outcome_counts: OutcomeCountsTable;
  outcome_dirty: OutcomeDirtyTable;
  rule_paid_kinds: RulePaidKindsView;
  dashboard_sessions: DashboardSessionsTable;
  rule_assumed_rates: RuleAssumedRatesTable;
  forecast_dirty: ForecastDirtyTable;
  forecast_children: ForecastChildrenTable;
  forecast_units: ForecastUnitsTable;
  forecast_cohorts: ForecastCohortsTable;
  forecast_known_events: ForecastKnownEventsTable;
  forecast_square_events: ForecastSquareEventsTable;
  forecast_profile: ForecastProfileTable;
  forecast_birth_dates: ForecastBirthDatesTable;
}

export type { JSONColumnType };
