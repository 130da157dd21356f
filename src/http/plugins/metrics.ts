import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../../context.js';

/** Prometheus metrics at /metrics: request latency, queue depths, outbox backlog, webhook deliveries, ledger sealing. */
export default fp(
  async function metricsPlugin(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const errors = new Counter({
      name: 'http_problem_responses_total',
      help: 'Problem responses by status',
      labelNames: ['status'],
      registers: [registry],
    });
    new Gauge({
      name: 'queue_jobs',
      help: 'Settlement queue jobs by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const c = await ctx.queue.counts().catch(() => null);
        if (c) for (const [state, n] of Object.entries(c)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'webhook_queue_jobs',
      help: 'Webhook delivery queue jobs by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const c = await ctx.webhookQueue.counts().catch(() => null);
        if (c) for (const [state, n] of Object.entries(c)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'webhook_deliveries_pending',
      help: 'Webhook deliveries not yet delivered (being retried, or of a disabled subscription)',
      registers: [registry],
      async collect() {
        const n = await ctx.services.operations.pendingDeliveries().catch(() => null);
        if (n !== null) this.set(n);
      },
    });
    new Gauge({
      name: 'outbox_pending',
      help: 'Outbox rows not yet on the queue',
      registers: [registry],
      async collect() {
        const n = await ctx.services.operations.outboxPending().catch(() => null);
        if (n !== null) this.set(n);
      },
    });
    ledgerGauges(registry, ctx);

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe({ method: request.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
      if (reply.statusCode >= 400) errors.inc({ status: reply.statusCode });
    });

    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);

/** The sealer's backlog and lag (docs/LEDGER.md), read from the database whichever process seals. */
function ledgerGauges(registry: Registry, ctx: AppContext): void {
  new Gauge({
    name: 'ledger_unsealed_entries',
    help: 'Journal entries appended but not yet sealed into the hash chain',
    registers: [registry],
    async collect() {
      const n = await ctx.services.operations.unsealedEntries().catch(() => null);
      if (n !== null) this.set(n);
    },
  });
  new Gauge({
    name: 'ledger_seal_lag_seconds',
    help: 'Seal lag (sealed_at - appended_at, PostgreSQL clock) over the last 10,000 sealed entries, by quantile',
    labelNames: ['quantile'],
    registers: [registry],
    async collect() {
      const lag = await ctx.services.operations.sealLag().catch(() => null);
      if (lag?.p50 != null) this.set({ quantile: '0.5' }, lag.p50 / 1000);
      if (lag?.p99 != null) this.set({ quantile: '0.99' }, lag.p99 / 1000);
    },
  });
}
