import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../auth/api-key.js';
import type { Principal } from '../../auth/principal.js';
import { problems } from '../problem.js';
import type { ApiKeyRepository } from '../../repositories/api-keys.js';
import { PrincipalCache } from '../../auth/principal-cache.js';
import { RevocationListener } from '../../auth/revocation-listener.js';

/** Verified keys are trusted from memory for this long at most (a backstop: revocation invalidates at once). */
const DEFAULT_CACHE_TTL_MS = 30_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on this route; omitted on public routes (health, docs). */
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** The principal cache and, on PostgreSQL, its revocation listener (for tests and diagnostics). */
    authCache: { cache: PrincipalCache; listener: RevocationListener | null };
  }
}

/** The principal of a request on a non-public route (the auth hook guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw problems.unauthorized();
  return request.principal;
}

function presentedKey(request: FastifyRequest): string | null {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^bearer /i.test(auth)) return auth.slice(7).trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : null;
}

export interface AuthOptions {
  apiKeys: ApiKeyRepository;
  /**
   * How long a verified key is served from memory. Revocation does not wait for it: see
   * `PrincipalCache` and docs/DECISIONS.md. 0 checks every request in the database.
   */
  cacheTtlMs?: number;
}

/**
 * Every route is authenticated unless it says `config.public`; a route without `config.roles`
 * is admin-only, so forgetting to declare roles fails closed.
 *
 * Verified keys are cached in memory for `cacheTtlMs`; revocation still takes effect at once.
 * The revoking process drops the key itself, and with PostgreSQL every API process LISTENs on a
 * dedicated connection for the revoking transaction's NOTIFY and acknowledges it after dropping
 * the key; the revocation answers only once all of them have (`RevocationListener.confirm`).
 * While a process's LISTEN connection is down, it checks every request in the database. With
 * the embedded single-process database the in-process path is all there is. docs/DECISIONS.md.
 */
export default fp(
  async function authPlugin(app: FastifyInstance, opts: AuthOptions) {
    const { apiKeys } = opts;
    const ttlMs = opts.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    const databaseUrl = app.ctx?.database.kind === 'postgres' ? app.ctx.config.DATABASE_URL : undefined;
    let listener: RevocationListener | null = null;
    const cache = new PrincipalCache({ ttlMs, usable: () => ttlMs > 0 && (listener === null || listener.isReady) });
    if (ttlMs > 0 && databaseUrl) {
      listener = new RevocationListener({
        url: databaseUrl,
        log: app.ctx.log,
        onRevoked: (keyId) => cache.invalidate(keyId),
        onReset: () => cache.clear(),
      });
      listener.start();
    }
    const unsubscribe = apiKeys.onRevoked(async (keyId) => {
      cache.invalidate(keyId);
      // Answer the revocation only once every other API process has dropped the key too.
      await listener?.confirm(keyId);
    });
    app.addHook('onClose', async () => {
      unsubscribe();
      await listener?.close();
    });
    const load = (raw: string) => apiKeys.authenticate(raw);
    app.decorate('authCache', { cache, listener });

    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const config = request.routeOptions.config;
      if (config.public || !request.routeOptions.url) return;
      const raw = presentedKey(request);
      if (!raw) throw problems.unauthorized();
      const principal = await cache.authenticate(raw, load);
      if (!principal) throw problems.unauthorized('The API key is unknown or revoked.');
      request.principal = principal;
      const roles = config.roles ?? ['admin'];
      if (!roles.includes(principal.role)) throw problems.forbidden(`The ${principal.role} role may not do this.`);
    });
  },
  { name: 'auth' },
);
