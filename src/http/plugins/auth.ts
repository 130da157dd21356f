import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../auth/api-key.js';
import type { Principal } from '../../auth/principal.js';
import { problems } from '../problem.js';
import type { ApiKeyRepository } from '../../repositories/api-keys.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on this route; omitted on public routes (health, docs). */
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
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

/**
 * Every route is authenticated unless it says `config.public`; a route without `config.roles`
 * is admin-only, so forgetting to declare roles fails closed. Keys are looked up on every
 * request so that revocation takes effect at once.
 */
export default fp(
  async function authPlugin(app: FastifyInstance, opts: { apiKeys: ApiKeyRepository }) {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const config = request.routeOptions.config;
      if (config.public || !request.routeOptions.url) return;
      const raw = presentedKey(request);
      if (!raw) throw problems.unauthorized();
      const principal = await opts.apiKeys.authenticate(raw);
      if (!principal) throw problems.unauthorized('The API key is unknown or revoked.');
      request.principal = principal;
      const roles = config.roles ?? ['admin'];
      if (!roles.includes(principal.role)) throw problems.forbidden(`The ${principal.role} role may not do this.`);
    });
  },
  { name: 'auth' },
);
