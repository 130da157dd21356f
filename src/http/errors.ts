import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { PROBLEM_CONTENT_TYPE, ProblemError, type FieldError } from './problem.js';
import { QueueUnavailableError } from '../queue/types.js';

/**
 * Database constraint → the request field it protects, so a violation caught by PostgreSQL
 * still names the field (the database is the last line of defence, not the only one).
 */
const CONSTRAINT_FIELDS: Record<string, { field: string; status: number; message: string }> = {
  enrolments_no_overlap: {
    field: 'body.start',
    status: 409,
    message: 'overlaps another enrolment of this child at this institution',
  },
  enrolments_end_after_start: { field: 'body.end', status: 422, message: 'must be after start' },
  institutions_code_key: { field: 'body.code', status: 409, message: 'an institution with this code exists' },
  children_external_ref_key: {
    field: 'body.external_ref',
    status: 409,
    message: 'a child with this external reference exists',
  },
  children_cpr_key_id_cpr_hmac_key: { field: 'body.cpr', status: 409, message: 'a child with this CPR exists' },
  measurement_kinds_pkey: { field: 'body.key', status: 409, message: 'a measurement kind with this key exists' },
  measurement_kind_periods_pkey: { field: 'body.period', status: 409, message: 'the kind has a period with this name' },
  institution_kinds_pkey: { field: 'body.key', status: 409, message: 'an institution kind with this key exists' },
  institutions_successor_id_check: { field: 'body.successor', status: 422, message: 'cannot be the institution itself' },
  rule_versions_rule_id_effective_from_key: {
    field: 'body.effective_from',
    status: 409,
    message: 'a version with this effective_from exists',
  },
  available_never_negative: { field: 'body', status: 409, message: 'the fund does not hold enough available money' },
};

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

function isUnavailable(err: PgError & { errno?: unknown }): boolean {
  if (err instanceof QueueUnavailableError) return true;
  if (err.code && UNAVAILABLE_CODES.has(err.code)) return true;
  if (err.code?.startsWith('08')) return true; // connection exceptions
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(err.message ?? '');
}

/**
 * A value the database refused although it passed validation. The only text that reaches SQL
 * unparsed is a list cursor (an opaque token the client may have forged), so name it when present.
 */
function refusedValue(request: FastifyRequest | undefined, message: string): ProblemError {
  const cursor = (request?.query as { cursor?: unknown } | undefined)?.cursor;
  const field = cursor !== undefined ? 'query.cursor' : 'body';
  return new ProblemError(422, 'invalid', message, [{ field, message: 'invalid format' }]);
}

function toProblem(err: FastifyError & PgError, request?: FastifyRequest): ProblemError | null {
  if (err instanceof ProblemError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext ?? 'body';
    // Fastify calls the query string `querystring`; problems name it `query.` (see problem.ts).
    const where = context === 'querystring' ? 'query' : context;
    const errors: FieldError[] = err.validation.flatMap((v) => {
      const path = [where, ...v.instancePath.split('/').filter(Boolean)];
      // zod reports unknown keys on the enclosing object: name each key instead.
      const keys = v.keyword === 'unrecognized_keys' ? ((v.params as { keys?: string[] }).keys ?? []) : [];
      if (keys.length) return keys.map((k) => ({ field: [...path, k].join('.'), message: 'is not a known field' }));
      return [{ field: path.join('.'), message: v.message ?? 'is invalid' }];
    });
    return new ProblemError(400, 'validation', 'The request does not match its schema.', errors);
  }
  if (err.constraint && CONSTRAINT_FIELDS[err.constraint]) {
    const c = CONSTRAINT_FIELDS[err.constraint]!;
    return new ProblemError(c.status, c.status === 409 ? 'conflict' : 'invalid', c.message, [{ field: c.field, message: c.message }]);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError(413, 'too-large', 'The request body is too large.', [{ field: 'body', message: 'too large' }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError(415, 'media-type', 'Unsupported content type.', [{ field: 'headers.content-type', message: 'unsupported' }]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ProblemError(400, 'malformed', 'The body is not valid JSON.', [{ field: 'body', message: 'is not valid JSON' }]);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ProblemError(400, 'malformed', 'Invalid Content-Length.', [{ field: 'headers.content-length', message: 'is invalid' }]);
    case 'FST_ERR_BAD_URL':
      return new ProblemError(400, 'malformed', 'The URL is not valid (bad percent-encoding).', [{ field: 'path', message: 'is not a valid URL' }]);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ProblemError(414, 'too-long', 'A path parameter is too long.', [{ field: 'path', message: 'too long' }]);
    case '22P02': // invalid text representation (e.g. a malformed uuid that slipped through)
    case '22007':
    case '22008':
    case '22003': // numeric value out of range
    case '22021': // character not in repertoire (NUL)
    case '22P05': // untranslatable character (\u0000 in jsonb)
      return refusedValue(request, 'A value has an invalid format.');
    case '23503':
      return new ProblemError(422, 'invalid', 'A referenced object does not exist or is still referenced.', [
        { field: err.constraint ?? 'body', message: 'reference' },
      ]);
    case '40001':
    case '40P01':
      return new ProblemError(503, 'retry', 'A concurrent change got in the way; retry.', [], {}, { 'retry-after': '1' });
  }
  if (isUnavailable(err)) {
    return new ProblemError(
      503,
      'unavailable',
      'A dependency is unavailable; retry shortly.',
      [],
      {},
      {
        'retry-after': '5',
      },
    );
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new ProblemError(err.statusCode, 'bad-request', err.message);
  }
  return null;
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let problem = toProblem(err as FastifyError & PgError, request);
  if (!problem) {
    if (isResponseSerializationError(err)) request.log.error({ err }, 'response did not match its schema');
    else request.log.error({ err }, 'unhandled error');
    problem = new ProblemError(500, 'internal', 'An unexpected error occurred.');
  } else if (problem.status >= 500) {
    request.log.warn({ err: { message: err.message, code: (err as PgError).code } }, 'dependency problem');
  }
  void reply
    .code(problem.status)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem.toBody(request.url.split('?')[0]));
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * No route for this method and path: 405 with `Allow` listing the methods that serve this
 * concrete path (RFC 9110 §15.5.6; the path's most specific pattern, route-table.ts), 404 when no
 * method serves it.
 */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0]!;
  const serving = request.server.routes.methodsServing(path);
  const allowed = METHODS.filter((method) => method !== request.method && serving.includes(method));
  const problem = allowed.length
    ? new ProblemError(
        405,
        'method-not-allowed',
        `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`,
        [],
        {},
        { allow: allowed.join(', ') },
      )
    : new ProblemError(404, 'not-found', `No route ${request.method} ${path}.`);
  void reply.code(problem.status).headers(problem.headers).type(PROBLEM_CONTENT_TYPE).send(problem.toBody(path));
}
