import type { FastifyReply } from 'fastify';
import { problemSchema } from './problem.js';

/**
 * Sends a file as an attachment. Its body is text, not JSON: a route whose schema lists only its
 * problems has a reply type that knows no text body, so the reply is taken here as a plain one.
 */
export function sendFile(reply: FastifyReply, type: string, filename: string, body: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.type(type).header('content-disposition', `attachment; filename="${filename}"`).headers(headers).send(body);
}

/**
 * The problem responses a route declares in the OpenAPI document (RFC 9457 bodies). Every
 * authenticated route may answer 401, 403 and 429; list the others the route can give.
 */
export function problemResponses(...codes: number[]) {
  return Object.fromEntries([...new Set([401, 403, 429, ...codes])].sort().map((c) => [c, problemSchema])) as Record<number, typeof problemSchema>;
}
