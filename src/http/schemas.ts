import { z } from 'zod';
import { isIsoDate } from '../settlement/dates.js';

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
