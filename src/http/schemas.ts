import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { isIsoDate } from '../settlement/dates.js';
import { ProblemError } from './problem.js';

/** Shared request/response building blocks. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isIsoDate, 'is not a calendar date')
  .meta({ format: 'date', example: '2023-04-20' });

export const uuid = z.uuid();
export const idParams = z.object({ id: z.uuid() });

/** Money in øre: a whole number, within the range JSON numbers represent exactly. */
export const ore = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
export const positiveOre = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export { oreOut } from '../domain/money.js';

export const timestamp = z.string().meta({ format: 'date-time' });
export const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : d);

/** Text PostgreSQL cannot store as sent: NUL, or a lone UTF-16 surrogate (JSON "\ud800"). */
const UNSTORABLE = /\u0000|[\uD800-\uDFFF]/u;
export const isUnstorable = (s: string) => UNSTORABLE.test(s);

/**
 * The dotted path (under `root`) of the first string or key in `value` that cannot be stored,
 * or null. Iterative, so a body nested 10,000 levels deep cannot exhaust the stack.
 */
export function unstorableAt(value: unknown, root: string): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (isUnstorable(v)) return path;
    } else if (v !== null && typeof v === 'object' && typeof (v as NodeJS.ReadableStream).pipe !== 'function') {
      for (const [k, child] of Object.entries(v)) {
        if (isUnstorable(k)) return path;
        stack.push([child, `${path}.${k}`]);
      }
    }
  }
  return null;
}

/** preValidation: §8 names the field rather than letting the database refuse the text (a 500). */
export async function rejectUnstorableText(request: FastifyRequest): Promise<void> {
  const field =
    unstorableAt(request.params, 'params') ?? unstorableAt(request.query, 'query') ?? unstorableAt(request.body, 'body');
  if (field) {
    const message = 'contains a character that cannot be stored (NUL or an unpaired surrogate)';
    throw new ProblemError(400, 'validation', 'The request does not match its schema.', [{ field, message }]);
  }
}
