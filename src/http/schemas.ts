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
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export const isUnstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

const UNSTORABLE_TEXT = 'contains a character that cannot be stored (NUL or an unpaired surrogate)';
const INEXACT_NUMBER = `is a number JSON cannot carry exactly: beyond ±${Number.MAX_SAFE_INTEGER} (2^53 − 1) a JSON number loses digits`;

/**
 * The first value in `value` the service refuses to take as sent, with its dotted path under
 * `root`: a string or key that cannot be stored, or a number beyond ±(2^53 − 1), which a JSON
 * parser has already rounded (2^63 arrives as 9223372036854775808). Null when there is none.
 * Iterative, so a body nested 10,000 levels deep cannot exhaust the stack.
 */
export function refusedValueAt(value: unknown, root: string, numbers = true): { field: string; message: string } | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (isUnstorable(v)) return { field: path, message: UNSTORABLE_TEXT };
    } else if (typeof v === 'number') {
      if (numbers && Math.abs(v) > Number.MAX_SAFE_INTEGER) return { field: path, message: INEXACT_NUMBER };
    } else if (v !== null && typeof v === 'object' && typeof (v as NodeJS.ReadableStream).pipe !== 'function') {
      for (const [k, child] of Object.entries(v)) {
        if (isUnstorable(k)) return { field: path, message: UNSTORABLE_TEXT };
        stack.push([child, `${path}.${k}`]);
      }
    }
  }
  return null;
}

/**
 * preValidation: §8 names the field rather than letting the database refuse the text (a 500),
 * or storing a number other than the one sent (DECISIONS 67).
 */
export async function rejectUnstorableText(request: FastifyRequest): Promise<void> {
  // A JSON array body is a batch: its numbers are judged item by item (`handleBatch`), so a bad
  // number rejects its item only, as every other bad value in an item does.
  const body = request.body;
  const refused = refusedValueAt(request.params, 'params') ?? refusedValueAt(request.query, 'query') ?? refusedValueAt(body, 'body', !Array.isArray(body));
  if (refused) throw new ProblemError(400, 'validation', 'The request does not match its schema.', [refused]);
}
