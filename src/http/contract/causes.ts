import { ROLES } from '../../auth/api-key.js';
import { ProblemError, type FieldError, type ProblemBody } from '../problem.js';
import type { RouteContract } from './registry.js';

/**
 * Which problem+json answers an operation can give, and why. Most are derived from what the
 * route is — authenticated, role-restricted, with a body, path or query parameters, a cursor,
 * a POST that honours Idempotency-Key — so a new route cannot forget them; a route declares only
 * the causes its service adds (`config.problems`: a duplicate code, an unknown reference, …).
 */
export const PROBLEM_STATUSES = [400, 401, 403, 404, 409, 413, 414, 415, 422, 429, 503] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/** A cause a route declares: the field it names (if any) and the message, as the service raises it. */
export interface ProblemCause {
  field?: string;
  message: string;
}

export type DeclaredProblems = Partial<Record<ProblemStatus, readonly ProblemCause[]>>;

/** One cause of one status: a shared example (components.examples) or one of this route's own. */
export type CauseRef = { kind: 'shared'; name: GenericCause } | { kind: 'declared'; status: ProblemStatus; cause: ProblemCause };

interface Generic {
  status: ProblemStatus;
  summary: string;
  example: ProblemError;
}

const invalidField = (field: string, message: string) => new ProblemError(400, 'validation', 'The request does not match its schema.', [{ field, message }]);

/** The causes every route of a kind shares; their examples are the service's own problem bodies. */
export const GENERIC = {
  MalformedBody: {
    status: 400,
    summary: 'the body is not valid JSON',
    example: new ProblemError(400, 'malformed', 'The body is not valid JSON.', [{ field: 'body', message: 'is not valid JSON' }]),
  },
  InvalidBodyField: {
    status: 400,
    summary: 'a body field does not match the schema (or cannot be stored: NUL, a lone surrogate)',
    example: invalidField('body.name', 'Invalid input: expected string, received number'),
  },
  InvalidQueryParameter: {
    status: 400,
    summary: 'a query parameter is unknown or does not match the schema',
    example: invalidField('query.limit', 'Too big: expected number to be <=1000'),
  },
  InvalidPathParameter: {
    status: 400,
    summary: 'a path parameter does not match the schema',
    example: invalidField('params.id', 'Invalid UUID'),
  },
  InvalidIdempotencyKey: {
    status: 400,
    summary: 'the Idempotency-Key header is malformed (or given with a streamed body)',
    example: new ProblemError(400, 'idempotency', 'Invalid Idempotency-Key.', [
      { field: 'headers.idempotency-key', message: 'must be 1–255 visible ASCII characters' },
    ]),
  },
  Unauthorized: {
    status: 401,
    summary: 'no API key, or an unknown or revoked one',
    example: new ProblemError(401, 'unauthorized', 'A valid API key is required.'),
  },
  ForbiddenRole: {
    status: 403,
    summary: 'the key’s role may not do this',
    example: new ProblemError(403, 'forbidden', 'The auditor role may not do this.'),
  },
  NotFound: {
    status: 404,
    summary: 'the object named in the path does not exist (or is not visible to this key)',
    example: new ProblemError(404, 'not-found', 'The fund was not found.', [{ field: 'params.id', message: 'The fund was not found' }]),
  },
  IdempotencyInProgress: {
    status: 409,
    summary: 'a request with the same Idempotency-Key is still being processed',
    example: new ProblemError(409, 'idempotency-in-progress', 'A request with this Idempotency-Key is still being processed.', [
      { field: 'headers.idempotency-key', message: 'in progress' },
    ]),
  },
  BodyTooLarge: {
    status: 413,
    summary: 'the body is larger than BODY_LIMIT_BYTES',
    example: new ProblemError(413, 'too-large', 'The request body is too large.', [{ field: 'body', message: 'too large' }]),
  },
  NdjsonBatchTooLarge: {
    status: 413,
    summary:
      'an NDJSON batch whose Content-Length is over NDJSON_MAX_BODY_BYTES (refused before anything is read; a streamed batch that crosses NDJSON_MAX_BODY_BYTES or NDJSON_MAX_ITEMS is processed up to the limit and its 200 answer ends with an `error` line carrying this problem)',
    example: new ProblemError(413, 'too-large', 'An NDJSON batch may hold at most 1073741824 bytes (NDJSON_MAX_BODY_BYTES); split it.', [
      { field: 'body', message: 'is 2147483648 bytes (Content-Length); at most 1073741824' },
    ]),
  },
  PathParameterTooLong: {
    status: 414,
    summary: 'a path parameter is too long',
    example: new ProblemError(414, 'too-long', 'A path parameter is too long.', [{ field: 'path', message: 'too long' }]),
  },
  UnsupportedMediaType: {
    status: 415,
    summary: 'the body’s content type is not one the operation accepts (JSON, unless it says otherwise)',
    example: new ProblemError(415, 'media-type', 'Unsupported content type.', [{ field: 'headers.content-type', message: 'unsupported' }]),
  },
  IdempotencyMismatch: {
    status: 422,
    summary: 'the Idempotency-Key was used before with a different request',
    example: new ProblemError(422, 'idempotency-mismatch', 'This Idempotency-Key was used with a different request.', [
      { field: 'headers.idempotency-key', message: 'reused with a different body' },
    ]),
  },
  InvalidCursor: {
    status: 422,
    summary: 'the cursor is not one this API handed out',
    example: new ProblemError(422, 'invalid', 'is not a cursor from this API', [{ field: 'query.cursor', message: 'is not a cursor from this API' }]),
  },
  RateLimited: {
    status: 429,
    summary: 'too many requests from this API key; retry after Retry-After seconds',
    example: new ProblemError(429, 'rate-limited', 'Too many requests: at most 10000 at once and 5000 per second for this API key; retry after 1 s.'),
  },
  Unavailable: {
    status: 503,
    summary: 'the database or the queue is unavailable, or a concurrent change got in the way; retry after Retry-After seconds',
    example: new ProblemError(503, 'unavailable', 'A dependency is unavailable; retry shortly.'),
  },
} satisfies Record<string, Generic>;

export type GenericCause = keyof typeof GENERIC;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The causes of each problem status an operation can answer, derived from its route. */
export function causesOf(route: RouteContract): Map<ProblemStatus, CauseRef[]> {
  const out = new Map<ProblemStatus, CauseRef[]>();
  const add = (name: GenericCause) => {
    const status = GENERIC[name].status as ProblemStatus;
    out.set(status, [...(out.get(status) ?? []), { kind: 'shared', name }]);
  };
  if (BODY_METHODS.has(route.method)) {
    add('MalformedBody');
    if (route.body) add('InvalidBodyField');
    add('BodyTooLarge');
    if (route.ndjson) add('NdjsonBatchTooLarge');
    add('UnsupportedMediaType');
  }
  if (route.query) add('InvalidQueryParameter');
  if (route.cursor) add('InvalidCursor');
  if (route.params) {
    add('InvalidPathParameter');
    add('PathParameterTooLong');
    add('NotFound');
  }
  if (!route.public) {
    add('Unauthorized');
    if (ROLES.some((r) => !route.roles.includes(r))) add('ForbiddenRole');
    if (route.method === 'POST') {
      add('InvalidIdempotencyKey');
      add('IdempotencyInProgress');
      add('IdempotencyMismatch');
    }
    add('RateLimited');
    add('Unavailable');
  }
  for (const [key, causes] of Object.entries(route.declared)) {
    const status = Number(key) as ProblemStatus;
    for (const cause of causes ?? []) out.set(status, [...(out.get(status) ?? []), { kind: 'declared', status, cause }]);
  }
  // A problem status the route's response schema lists, with no cause known here: still declared.
  for (const status of route.schemaProblems as ProblemStatus[]) {
    if (!out.has(status)) out.set(status, [{ kind: 'declared', status, cause: { message: 'see the operation’s description' } }]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => a - b));
}

/** The problem body a declared cause produces at run time (`problems.*` in problem.ts). */
export function declaredExample(status: ProblemStatus, cause: ProblemCause): ProblemBody {
  const slug = status === 404 ? 'not-found' : status === 409 ? 'conflict' : status === 403 ? 'forbidden' : status === 503 ? 'unavailable' : 'invalid';
  const errors: FieldError[] = cause.field ? [{ field: cause.field, message: cause.message }] : [];
  return new ProblemError(status, slug, cause.message, errors).toBody();
}
