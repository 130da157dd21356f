/**
 * RFC 9457 problem details (the domain's errors; src/http renders them, services raise them). Every rejected request answers with one of these, naming the
 * offending field(s) in `errors[].field` (dotted path, prefixed with where it came from:
 * `body.`, `query.`, `params.`, `headers.`).
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** The first offending field, for clients that only look at one. */
  field?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export class ProblemError extends Error {
  constructor(
    public readonly status: number,
    public readonly slug: string,
    detail: string,
    public readonly errors: FieldError[] = [],
    public readonly extensions: Record<string, unknown> = {},
    public readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  toBody(instance?: string): ProblemBody {
    return {
      type: `urn:smb:problem:${this.slug}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors.length ? { field: this.errors[0]!.field, errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

/** Shorthands for the problems services raise. */
export const problems = {
  invalid: (field: string, message: string, more: FieldError[] = []) => new ProblemError(422, 'invalid', message, [{ field, message }, ...more]),
  invalidMany: (errors: FieldError[], detail = 'The request is not valid.') => new ProblemError(422, 'invalid', detail, errors),
  notFound: (what: string, field?: string) =>
    new ProblemError(404, 'not-found', `${what} was not found.`, field ? [{ field, message: `${what} was not found` }] : []),
  conflict: (field: string, message: string) => new ProblemError(409, 'conflict', message, [{ field, message }]),
  forbidden: (message = 'This key may not do that.') => new ProblemError(403, 'forbidden', message),
  unauthorized: (message = 'A valid API key is required.') => new ProblemError(401, 'unauthorized', message, [], {}, { 'www-authenticate': 'Bearer' }),
  unavailable: (message: string, retryAfterSeconds = 5) => new ProblemError(503, 'unavailable', message, [], {}, { 'retry-after': String(retryAfterSeconds) }),
};
