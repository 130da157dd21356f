import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createContext } from '../context.js';
import { startProcessing } from '../../workers/runtime.js';
import { seed } from '../seed/seed.js';
import { businessDate } from '../services/business-date.js';
import { waitForSettlement } from '../services/settlement-idle.js';
import { generateApiKey } from '../auth/api-key.js';

/**
 * `npm run seed -- --children N [--seed S] [--no-settle] [--single-kind-rules]`: a synthetic
 * population and the default rules — the proposal's, from the rule templates (docs/SEED.md), or
 * with --single-kind-rules the three single-kind rules the benchmarks use — stored through the services the API uses, into DATABASE_URL or the embedded
 * database. Settles everything before it exits unless --no-settle.
 */
const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '20261122' },
    'no-settle': { type: 'boolean', default: false },
    'single-kind-rules': { type: 'boolean', default: false },
  },
});
const children = Number(values.children);
if (!Number.isInteger(children) || children < 1) {
  console.error('--children must be a positive whole number');
  process.exit(2);
}
const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
const ctx = await createContext(config, createLogger(config.LOG_LEVEL));
const processing = await startProcessing(ctx);
// The seed acts as an admin key of its own (its secret is discarded), so the audit log says who.
const seedKey = generateApiKey();
await ctx.apiKeys.insert(ctx.db, { id: seedKey.id, name: 'seed', role: 'admin', secretHash: seedKey.secretHash, institutionId: null, scope: null, createdBy: null });
const actor = { keyId: seedKey.id, role: 'admin' as const, institutionId: null, scope: null };
const started = Date.now();
try {
  const report = await seed(ctx.services, actor, {
    children,
    seed: Number(values.seed),
    rules: values['single-kind-rules'] ? 'single-kind' : 'templates',
    today: businessDate(new Date(), config.BUSINESS_TIME_ZONE),
    onProgress: (n) => {
      if (n % 10_000 === 0) console.log(`  ${n} children stored (${Math.round((n / (Date.now() - started)) * 1000)}/s)`);
    },
  });
  const stored = (Date.now() - started) / 1000;
  console.log(
    `stored ${report.children} children, ${report.institutions} institutions, ${report.enrolments} enrolments, ` +
      `${report.measurements} measurements (${report.rejected} rejected) in ${stored.toFixed(1)} s`,
  );
  if (!values['no-settle']) {
    const t = Date.now();
    await waitForSettlement(ctx.db, ctx.queue, 24 * 3600_000);
    console.log(`settled in ${((Date.now() - t) / 1000).toFixed(1)} s; fund ${report.fundId}`);
  }
} finally {
  await processing.stop();
  await ctx.close();
}
