import type { Migration } from 'kysely';
import * as m0001 from './0001_registry.js';
import * as m0002 from './0002_ledger.js';
import * as m0003 from './0003_settlement.js';
import * as m0004 from './0004_idempotency.js';
import * as m0005 from './0005_audit_append_only.js';
import * as m0006 from './0006_settlement_storage.js';
import * as m0007 from './0007_ingest.js';
import * as m0008 from './0008_settlement_backlog.js';
import * as m0009 from './0009_finalisation_order.js';
import * as m0010 from './0010_indicator_catalogue.js';
import * as m0011 from './0011_payments_webhooks.js';
import * as m0012 from './0012_outcome_facts.js';
import * as m0013 from './0013_dashboard_sessions.js';
import * as m0014 from './0014_composite_rules.js';
import * as m0016 from './0016_forecast.js';
import * as m0017 from './0017_rule_order.js';
import * as m0018 from './0018_append_then_seal.js';
import * as m0020 from './0020_outcome_summary_cost.js';
import * as m0023 from './0023_forecast_summary.js';
import * as m0024 from './0024_export_fragment.js';
import * as m0025 from './0025_pending_guard.js';
import * as m0026 from './0026_webhook_secret_rotation.js';
import * as m0027 from './0027_ledger_refs_per_statement.js';
import * as m0028 from './0028_outcome_marks.js';
import * as m0030 from './0030_backlog_delete_by_index.js';
import * as m0031 from './0031_outcome_rule_marks.js';
import * as m0032 from './0032_explanation_lz4.js';
import * as m0033 from './0033_settled_by_backlog.js';
import * as m0034 from './0034_drop_entry_hash_unique.js';

/** Every migration, in order. Listed statically so they run the same under tsx, vitest and bundlers. */
export const migrations: Record<string, Migration> = {
  '0001_registry': m0001,
  '0002_ledger': m0002,
  '0003_settlement': m0003,
  '0004_idempotency': m0004,
  '0005_audit_append_only': m0005,
  '0006_settlement_storage': m0006,
  '0007_ingest': m0007,
  '0008_settlement_backlog': m0008,
  '0009_finalisation_order': m0009,
  '0010_indicator_catalogue': m0010,
  '0011_payments_webhooks': m0011,
  '0012_outcome_facts': m0012,
  '0013_dashboard_sessions': m0013,
  '0014_composite_rules': m0014,
  '0016_forecast': m0016,
  '0017_rule_order': m0017,
  '0018_append_then_seal': m0018,
  '0020_outcome_summary_cost': m0020,
  '0023_forecast_summary': m0023,
  '0024_export_fragment': m0024,
  '0025_pending_guard': m0025,
  '0026_webhook_secret_rotation': m0026,
  '0027_ledger_refs_per_statement': m0027,
  '0028_outcome_marks': m0028,
  '0030_backlog_delete_by_index': m0030,
  '0031_outcome_rule_marks': m0031,
  '0032_explanation_lz4': m0032,
  '0033_settled_by_backlog': m0033,
  '0034_drop_entry_hash_unique': m0034,
};
