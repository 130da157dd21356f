import Fastify, { type FastifyError } from 'fastify';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import authPlugin from './plugins/auth.js';
import metricsPlugin from './plugins/metrics.js';
import idempotencyPlugin from './plugins/idempotency.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { RouteTable } from './route-table.js';
import { ContractRegistry, applyContract, contractGuard } from './contract/index.js';
import { rejectUnstorableText } from './schemas.js';
import { rejectContentEncoding } from './encoding.js';
import { healthRoutes } from './routes/health.js';
import { v1Routes } from './routes/v1.js';
import { dashboard } from '../dashboard/plugin.js';
import { WEBHOOK_PARAMETERS, WEBHOOKS } from '../webhooks/openapi.js';

export const API_VERSION = '1.0.0';

/** The OpenAPI document's head; the paths come from the routes (and their contract, contract/). */
const OPENAPI_DEFINITION: NonNullable<FastifyDynamicSwaggerOptions['openapi']> = {
  openapi: '3.1.0',
  info: {
    title: 'Social mobility bonus settlement API',
    version: API_VERSION,
    description:
      'Registers funds, institutions, children, enrolments, measurements and bonus rules; settles awards ' +
      'into a double-entry, hash-chained ledger. Money is integer øre; dates are calendar dates (YYYY-MM-DD). ' +
      'Errors are application/problem+json (RFC 9457).',
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer smb_…' },
    },
    parameters: WEBHOOK_PARAMETERS,
  },
  security: [{ apiKey: [] }],
  // What the service POSTs to webhook subscriptions (src/webhooks/openapi.ts).
  webhooks: WEBHOOKS,
};

/** Builds the HTTP API on a wired context. Routes are thin: they validate, authorise and call services. */
export async function buildApp(ctx: AppContext) {
  const app = Fastify({
    loggerInstance: ctx.log,
    bodyLimit: ctx.config.BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
    ajv: undefined,
    // Malformed URLs and over-long path parameters are problems too (§8), not Fastify's default JSON.
    frameworkErrors: (err, request, reply) => errorHandler(err as FastifyError, request, reply),
  }).withTypeProvider<ZodTypeProvider>();

  // First of all: every route registered from here on is read into the contract (contract/).
  const contract = new ContractRegistry();
  app.addHook('onRoute', contract.onRoute);
  // And into the route table that answers 405's `Allow` (route-table.ts).
  const routes = new RouteTable();
  app.addHook('onRoute', routes.onRoute);
  app.decorate('routes', routes);
  app.addHook('onSend', contractGuard(contract));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('preValidation', rejectUnstorableText);
  // After authentication (onRequest), before the body is read.
  app.addHook('preParsing', rejectContentEncoding);
  app.setNotFoundHandler(notFoundHandler);
  app.decorate('ctx', ctx);
  // Requests still running, so shutdown can wait for them before closing the database.
  // Counted until the handler has produced its answer (onSend), not until the socket closes:
  // a handler whose client went away keeps running and still needs the database.
  let inflight = 0;
  const counted = new WeakSet<object>();
  app.addHook('onRequest', async (request) => {
    inflight++;
    counted.add(request);
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (counted.delete(request)) inflight--;
    return payload;
  });
  app.decorate('drained', async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  });
  // Bodies are JSON (or NDJSON below): anything else, text/plain included, is 415.
  app.removeContentTypeParser('text/plain');
  // NDJSON bodies are handed to the route as a stream (batch endpoints read them in chunks).
  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson'], (_req, payload, done) => done(null, payload));

  await app.register(swagger, {
    openapi: OPENAPI_DEFINITION,
    transform: jsonSchemaTransform,
    transformObject: (input) => applyContract(jsonSchemaTransformObject(input), contract),
  });
  // The documentation is public: mark the UI's routes before the plugin adds them.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(rateLimitPlugin, { perSecond: ctx.config.RATE_LIMIT_PER_SECOND, burst: ctx.config.RATE_LIMIT_BURST });
  await app.register(authPlugin, { apiKeys: ctx.apiKeys });
  await app.register(idempotencyPlugin, { store: ctx.services.idempotency, ttlHours: ctx.config.IDEMPOTENCY_TTL_HOURS });
  await app.register(metricsPlugin, { ctx });
  await app.register(healthRoutes, { ctx });
  await app.register(v1Routes, { prefix: '/v1', ctx });
  await app.register(dashboard, { ctx });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Every route as a pattern: which methods serve a concrete path (405 and its `Allow`). */
    routes: RouteTable;
    /** Resolves once no request is in flight (or the timeout passes). */
    drained(timeoutMs: number): Promise<void>;
  }
}
