import { z } from 'zod';

// The problem type and its shorthands live in src/domain (services raise them without importing
// HTTP); re-exported here for the HTTP layer.
export { ProblemError, problems, PROBLEM_CONTENT_TYPE, type FieldError, type ProblemBody } from '../domain/problem.js';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    field: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .passthrough()
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
