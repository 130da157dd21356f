import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createContext } from '../context.js';
import { startProcessing } from '../../workers/runtime.js';
import { progressLines, seed } from '../seed/seed.js';
import { businessDate } from '../services/business-date.js';
import { waitForSettlement } from '../services/settlement-idle.js';
import { generateApiKey } from '../auth/api-key.js';
import { seedDemo } from '../seed/demo.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run seed -- --children N [--seed S] [--no-settle] [--single-kind-rules]`: a synthetic
 * population and the default rules — the proposal's, from the rule templates (docs/SEED.md), or
 * with --single-kind-rules the three single-kind rules the benchmarks use — stored through the services the API uses, into DATABASE_URL or the embedded
 * database. Settles everything before it exits unless --no-settle.
 *
 * `npm run seed -- --demo [--children N] [--url U]`: a demo population put into the RUNNING
 * service through its HTTP API (default http://127.0.0.1:$PORT, the key in $SMB_API_KEY or
 * DATA_DIR/admin-key), for the dashboard at /app/ (src/seed/demo.ts).
 */
const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '20261122' },
    'no-settle': { type: 'boolean', default: false },
    'single-kind-rules': { type: 'boolean', default: false },
    demo: { type: 'boolean', default: false },
    url: { type: 'string' },
  },
});
if (values.demo) await demo();
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
await ctx.apiKeys.insert(ctx.db, {
  id: seedKey.id,
  name: 'seed',
  role: 'admin',
  secretHash: seedKey.secretHash,
  institutionId: null,
  scope: null,
  createdBy: null,
});
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
    // Per rule: what settled, and who waits for a requirement still to be measured (docs/SEED.md).
    for (const line of progressLines(await ctx.services.pending.progress(report.fundId))) console.log(line);
  }
} finally {
  await processing.stop();
  await ctx.close();
}

async function demo(): Promise<never> {
  const dataDir = process.env.DATA_DIR ?? './data';
  const base = (values.url ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`).replace(/\/$/, '');
  const keyFile = join(dataDir, 'admin-key');
  const adminKey = process.env.SMB_API_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '');
  const up = await fetch(`${base}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (!up || !adminKey) {
    console.error(
      `--demo fills a running service: start it first (npm start), then run this again. ${up ? `No admin key in SMB_API_KEY or ${keyFile}.` : `Nothing answers at ${base}.`}`,
    );
    process.exit(2);
  }
  const children = values.children === '1000' ? 1500 : Number(values.children);
  const started = Date.now();
  const r = await seedDemo({
    baseUrl: base,
    adminKey,
    children,
    seed: Number(values.seed),
    today: businessDate(new Date(), process.env.BUSINESS_TIME_ZONE ?? 'Europe/Copenhagen'),
    dataDir,
    say: console.log,
  });
  console.log(
    `demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s: open ${base}/app/ and sign in with the key in ${keyFile} (admin); ${r.keysFile} holds an auditor and an institution key`,
  );
  process.exit(0);
}
