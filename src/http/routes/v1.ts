import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { fundRoutes } from './funds.js';
import { institutionRoutes } from './institutions.js';
import { childRoutes } from './children.js';
import { enrolmentRoutes } from './enrolments.js';
import { kindRoutes } from './kinds.js';
import { apiKeyRoutes } from './api-keys.js';
import { depositRoutes } from './deposits.js';
import { measurementRoutes } from './measurements.js';
import { ruleRoutes } from './rules.js';
import { ruleTemplateRoutes } from './rule-templates.js';
import { awardRoutes } from './awards.js';
import { ledgerRoutes } from './ledger.js';
import { paymentRunRoutes } from './payment-runs.js';
import { adminRoutes } from './admin.js';
import { reportRoutes } from './reports.js';
import { importRoutes } from './imports.js';
import { exportRoutes } from './exports.js';
import { auditRoutes } from './audit.js';
import { payeeRoutes } from './payees.js';
import { bankStatementRoutes } from './bank-statements.js';
import { webhookRoutes } from './webhooks.js';
import { outcomeReportRoutes } from './outcome-reports.js';
import { institutionViewRoutes } from './institution-view.js';
import { forecastRoutes, pipelineRoutes } from './forecast.js';

/** Everything under /v1. Each module is a thin layer over one service. */
export const v1Routes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  for (const routes of [
    fundRoutes,
    institutionRoutes,
    childRoutes,
    enrolmentRoutes,
    kindRoutes,
    apiKeyRoutes,
    depositRoutes,
    measurementRoutes,
    ruleRoutes,
    ruleTemplateRoutes,
    awardRoutes,
    ledgerRoutes,
    paymentRunRoutes,
    adminRoutes,
    reportRoutes,
    importRoutes,
    exportRoutes,
    auditRoutes,
    payeeRoutes,
    bankStatementRoutes,
    webhookRoutes,
    outcomeReportRoutes,
    institutionViewRoutes,
    forecastRoutes,
    pipelineRoutes,
  ]) {
    await app.register(routes, { ctx });
  }
};
