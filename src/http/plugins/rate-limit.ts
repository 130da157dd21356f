import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { parseApiKey } from '../../auth/api-key.js';
import { ProblemError } from '../problem.js';

export interface RateLimitOptions {
  /** Tokens added per second to each bucket; 0 disables the limiter. */
  perSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet period. */
  burst: number;
  /** Monotonic milliseconds (tests). */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Above this many buckets, buckets that have refilled completely (idle callers) are dropped. */
const SWEEP_AT = 10_000;

/**
 * Who a request is counted against, decided before authentication (no database lookup, so a
 * flood is refused cheaply): the key id of a well-formed API key, otherwise the client address.
 */
function bucketKey(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  const raw = typeof auth === 'string' && /^bearer /i.test(auth) ? auth.slice(7) : request.headers['x-api-key'];
  const parsed = typeof raw === 'string' ? parseApiKey(raw) : null;
  return parsed ? `key:${parsed.id}` : `ip:${request.ip}`;
}

/**
 * An in-process token bucket per API key (or per IP without a key). Each process counts on its
 * own, so N API processes allow up to N × the configured rate per key; it protects the process
 * and the database from a runaway client, it is not a quota. Answers 429 problem+json with
 * Retry-After; every counted response carries RateLimit-Limit / -Remaining / -Reset. Public
 * routes (health, readiness, metrics, docs) are never throttled: a probe answered 429 would
 * have a healthy process restarted.
 */
export default fp(
  async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions) {
    if (!(opts.perSecond > 0)) return;
    const { perSecond, burst } = opts;
    const now = opts.now ?? (() => performance.now());
    const buckets = new Map<string, Bucket>();
    const refill = (b: Bucket, t: number) => {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
      b.at = t;
    };

    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.public) return;
      const t = now();
      if (buckets.size >= SWEEP_AT) {
        for (const [k, b] of buckets) {
          refill(b, t);
          if (b.tokens >= burst) buckets.delete(k);
        }
      }
      const key = bucketKey(request);
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = { tokens: burst, at: t }));
      else refill(bucket, t);
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      // Seconds until the bucket is full again (RateLimit-Reset), and until one more request fits.
      const reset = Math.ceil((burst - bucket.tokens) / perSecond);
      reply.header('ratelimit-limit', String(burst));
      reply.header('ratelimit-remaining', String(Math.floor(bucket.tokens)));
      reply.header('ratelimit-reset', String(reset));
      if (!allowed) {
        const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
        throw new ProblemError(
          429,
          'rate-limited',
          `Too many requests: at most ${burst} at once and ${perSecond} per second for this ${key.startsWith('key:') ? 'API key' : 'client'}; retry after ${retryAfter} s.`,
          [],
          {},
          { 'retry-after': String(retryAfter) },
        );
      }
    });
  },
  { name: 'rate-limit' },
);
