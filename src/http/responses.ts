import { problemSchema } from './problem.js';

/**
 * The problem responses a route declares in the OpenAPI document (RFC 9457 bodies). Every
 * authenticated route may answer 401, 403 and 429; list the others the route can give.
 */
export function problemResponses(...codes: number[]) {
  return Object.fromEntries([...new Set([401, 403, 429, ...codes])].sort().map((c) => [c, problemSchema])) as Record<number, typeof problemSchema>;
}
