import type { ServiceDeps } from './deps.js';
import { LedgerService } from './ledger.js';
import { SettlementService } from './settlement.js';
import { DepositService } from './deposits.js';
import { MeasurementService } from './measurements.js';
import { RuleService } from './rules.js';
import { PendingService } from './pending.js';
import { RuleTemplateService } from './rule-templates.js';
import { AwardService } from './awards.js';
import { PaymentService } from './payments.js';
import { ReportService } from './reports.js';
import { OutcomeReportService } from './outcome-reports.js';
import { InstitutionViewService } from './institution-view.js';
import { ForecastService } from './forecast.js';
import { OutcomeSummaryService } from './outcome-summary.js';
import { TableStatisticsService, type StalenessPolicy } from './table-statistics.js';
import { PipelineService } from './pipeline.js';
import { DashboardSessionService, SESSION_HOURS } from './dashboard-sessions.js';
import { ApiKeyRepository } from '../repositories/api-keys.js';
import { FundService } from './funds.js';
import { InstitutionService } from './institutions.js';
import { KindService } from './kinds.js';
import { ChildService } from './children.js';
import { EnrolmentService } from './enrolments.js';
import { ApiKeyService } from './api-keys.js';
import { EnrolmentImport } from './enrolment-import.js';
import { ChildImport } from './child-import.js';
import { CprKeyService } from './cpr-keys.js';
import { PayeeService } from './payees.js';
import { PaymentFileService } from './payment-files.js';
import { ReconciliationService } from './reconciliation.js';
import { WebhookService, type WebhookOptions } from './webhooks.js';
import { OperationsService } from './operations.js';
import { IdempotencyService } from './idempotency.js';
import { ExportService } from './exports.js';
import { LedgerAuditService } from './ledger-audit.js';
import type { Database } from '../db/database.js';

export type { ServiceDeps } from './deps.js';

/** One instance of each service per process, sharing the same dependencies. */
export function createServices(deps: ServiceDeps, webhooks: WebhookOptions, database: Database, statistics: StalenessPolicy) {
  const ledger = new LedgerService(deps);
  const payments = new PaymentService(deps, ledger);
  const rules = new RuleService(deps);
  const reports = new ReportService(deps);
  const outcomeSummary = new OutcomeSummaryService(deps);
  const forecast = new ForecastService(deps, outcomeSummary);
  return {
    ledger,
    settlement: new SettlementService(deps, ledger),
    deposits: new DepositService(deps, ledger),
    measurements: new MeasurementService(deps),
    rules,
    ruleTemplates: new RuleTemplateService(rules),
    pending: new PendingService(deps),
    awards: new AwardService(deps),
    payments,
    paymentFiles: new PaymentFileService(deps, payments),
    payees: new PayeeService(deps),
    reconciliation: new ReconciliationService(deps, ledger, payments),
    webhooks: new WebhookService(deps, webhooks),
    reports,
    institutionView: new InstitutionViewService(deps, rules, reports),
    dashboardSessions: new DashboardSessionService(deps, new ApiKeyRepository(deps.db), SESSION_HOURS),
    outcomes: new OutcomeReportService(deps, outcomeSummary),
    outcomeSummary,
    statistics: new TableStatisticsService(deps, statistics),
    forecast,
    pipeline: new PipelineService(deps, forecast),
    funds: new FundService(deps),
    institutions: new InstitutionService(deps),
    kinds: new KindService(deps),
    children: new ChildService(deps),
    enrolments: new EnrolmentService(deps),
    enrolmentImport: new EnrolmentImport(deps),
    childImport: new ChildImport(deps),
    apiKeys: new ApiKeyService(deps),
    cprKeys: new CprKeyService(deps),
    operations: new OperationsService(deps),
    idempotency: new IdempotencyService(deps),
    exports: new ExportService(database),
    ledgerAudit: new LedgerAuditService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
