import type { FastifyRequest } from 'fastify';
import { ProblemError } from './problem.js';

/**
 * Request bodies are taken as sent, uncompressed (DECISIONS 68). A `Content-Encoding` other than
 * `identity` (gzip, deflate, br, …) is refused with 415 and `Accept-Encoding: identity` (RFC 9110
 * §8.4.1, RFC 7694), before the body is read: otherwise the compressed bytes reached the JSON
 * parser and the client was told its JSON was malformed.
 */
export async function rejectContentEncoding(request: FastifyRequest): Promise<void> {
  const header = request.headers['content-encoding'];
  if (header === undefined) return;
  const codings = String(header)
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (!codings.length) return;
  const message = `is not accepted (${codings.join(', ')}): send the body uncompressed`;
  throw new ProblemError(
    415,
    'media-type',
    'Unsupported content encoding.',
    [{ field: 'headers.content-encoding', message }],
    {},
    { 'accept-encoding': 'identity' },
  );
}
