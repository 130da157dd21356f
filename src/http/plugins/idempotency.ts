import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { IdempotencyService } from '../../services/idempotency.js';
import { ProblemError } from '../problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Streaming endpoints whose responses cannot be stored opt out. */
    idempotency?: false;
  }
  interface FastifyRequest {
    idempotency: { key: string; apiKeyId: string } | null;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotency-Key on POST (IETF httpapi draft): the first request with a key is processed and
 * its response stored (per API key); the same key with the same body replays the stored
 * response with `Idempotent-Replayed: true`; with a different body → 422; while the first is
 * still running → 409. A 5xx releases the key so the client may retry. Runs after
 * authentication and validation, so a rejected request stores nothing.
 */
export default fp(
  async function idempotencyPlugin(app: FastifyInstance, opts: { store: IdempotencyService; ttlHours: number }) {
    app.decorateRequest('idempotency', null);
    const ttlMs = opts.ttlHours * 3600_000;

    app.addHook('preHandler', async (request: FastifyRequest, reply) => {
      const header = request.headers['idempotency-key'];
      if (request.method !== 'POST' || header === undefined || !request.principal) return;
      const streamed = typeof (request.body as { pipe?: unknown } | null)?.pipe === 'function';
      if (request.routeOptions.config.idempotency === false || streamed) {
        // A streamed body cannot be hashed before it is processed, nor its answer stored.
        throw new ProblemError(400, 'idempotency', 'An Idempotency-Key cannot be used with a streamed body.', [
          { field: 'headers.idempotency-key', message: 'not supported for streamed (NDJSON) requests' },
        ]);
      }
      const key = Array.isArray(header) ? header[0]! : header;
      if (!KEY_PATTERN.test(key)) {
        throw new ProblemError(400, 'idempotency', 'Invalid Idempotency-Key.', [
          { field: 'headers.idempotency-key', message: 'must be 1–255 visible ASCII characters' },
        ]);
      }
      const requestHash = createHash('sha256')
        .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
        .digest('hex');
      const apiKeyId = request.principal.keyId;
      const existing = await opts.store.claim({ apiKeyId, key, requestHash, ttlMs });
      if (!existing) {
        request.idempotency = { key, apiKeyId };
        return;
      }
      if (existing.request_hash !== requestHash) {
        throw new ProblemError(422, 'idempotency-mismatch', 'This Idempotency-Key was used with a different request.', [
          { field: 'headers.idempotency-key', message: 'reused with a different body' },
        ]);
      }
      if (existing.state === 'in_progress') {
        throw new ProblemError(
          409,
          'idempotency-in-progress',
          'A request with this Idempotency-Key is still being processed.',
          [{ field: 'headers.idempotency-key', message: 'in progress' }],
          {},
          { 'retry-after': '1' },
        );
      }
      return reply
        .code(existing.response_status!)
        .header('idempotent-replayed', 'true')
        .type(existing.response_type ?? 'application/json')
        .send(existing.response_body);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const idem = request.idempotency;
      if (!idem) return payload;
      request.idempotency = null;
      if (reply.statusCode >= 500) {
        await opts.store.release(idem.apiKeyId, idem.key);
      } else if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
        await opts.store.complete({
          apiKeyId: idem.apiKeyId,
          key: idem.key,
          status: reply.statusCode,
          type: (reply.getHeader('content-type') as string | undefined) ?? null,
          body: payload.toString(),
        });
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['auth'] },
);
