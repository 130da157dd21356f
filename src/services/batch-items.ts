import type { z } from 'zod';
import type { FieldError } from '../domain/problem.js';

/**
 * What the three bulk imports (children, enrolments, measurements) share: the per-item
 * problem shape, and the first pass over a chunk that sets malformed lines and schema
 * failures aside with their index, so a bad item never stops the good ones.
 */
export interface ItemProblem {
  status: number;
  title: string;
  detail: string;
  errors: FieldError[];
}

export interface RejectedItem {
  index: number;
  outcome: 'rejected';
  problem: ItemProblem;
}

const TITLES: Record<number, string> = { 400: 'Bad request', 403: 'Forbidden', 409: 'Conflict', 413: 'Payload too large' };

/**
 * An NDJSON line refused before it became an item (not JSON, unstorable text, too long): it keeps
 * its slot in the chunk and is reported as rejected, naming `line`.
 */
export class RefusedLine {
  constructor(
    readonly status: number,
    readonly message: string,
    /** The field at fault: `line` for the line as a whole, else a path in the item (`value`, `attributes.x`). */
    readonly field = 'line',
  ) {}
}

export function rejectItem(index: number, status: number, field: string, message: string): RejectedItem {
  return {
    index,
    outcome: 'rejected',
    problem: { status, title: TITLES[status] ?? 'Unprocessable content', detail: message, errors: [{ field, message }] },
  };
}

/**
 * Items of a chunk that match `schema`, with their index in the whole request; the rest rejected.
 * `fast`, when given, is a cheaper check that returns the schema's output for an item it is
 * sure of and undefined otherwise: then the schema decides, so a rejection always carries the
 * schema's own field-named errors.
 */
export function parseItems<S extends z.ZodType>(raw: unknown[], offset: number, schema: S, fast?: (value: unknown) => z.output<S> | undefined) {
  const parsed: Array<{ index: number; item: z.output<S> }> = [];
  const rejected: RejectedItem[] = [];
  for (let i = 0; i < raw.length; i++) {
    const value = raw[i];
    const index = offset + i;
    // A line the NDJSON reader refused arrives as a RefusedLine (see src/http/batch.ts).
    if (value instanceof RefusedLine) {
      rejected.push(rejectItem(index, value.status, value.field, value.message));
      continue;
    }
    const quick = fast?.(value);
    if (quick !== undefined) {
      parsed.push({ index, item: quick });
      continue;
    }
    const r = schema.safeParse(value);
    if (r.success) {
      parsed.push({ index, item: r.data });
      continue;
    }
    const errors = r.error.issues.map((issue) => ({ field: issue.path.join('.') || 'item', message: issue.message }));
    rejected.push({ index, outcome: 'rejected', problem: { status: 400, title: 'Bad request', detail: 'The item does not match its schema.', errors } });
  }
  return { parsed, rejected };
}
