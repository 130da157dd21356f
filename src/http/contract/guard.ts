import type { FastifyReply, FastifyRequest } from 'fastify';
import { causesOf } from './causes.js';
import { openApiPath, type ContractRegistry, type RouteContract } from './registry.js';

/** Every status the document declares for an operation: its successes and its problem answers. */
export function declaredStatuses(route: RouteContract): Set<number> {
  return new Set([...route.successes, ...causesOf(route).keys()]);
}

/**
 * onSend: logs a warning when a documented operation answers a status its document does not
 * declare (the integration suite fails on it; in production the log says what to declare or fix).
 */
export function contractGuard(registry: ContractRegistry) {
  const cache = new Map<string, Set<number> | null>();
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const url = request.routeOptions.url;
    if (!url) return payload;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const key = `${method} ${openApiPath(url)}`;
    let statuses = cache.get(key);
    if (statuses === undefined) {
      const route = registry.get(method, openApiPath(url));
      cache.set(key, (statuses = route ? declaredStatuses(route) : null));
    }
    if (statuses && !statuses.has(reply.statusCode)) {
      request.log.warn({ operation: key, status: reply.statusCode }, 'answer not declared in the OpenAPI document');
    }
    return payload;
  };
}
