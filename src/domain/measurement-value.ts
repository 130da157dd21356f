import { problems } from './problem.js';

/**
 * The check a measurement's value gets against its kind, shared by the single submit
 * (services/measurements.ts) and the batch ingest (services/measurement-ingest.ts). Pure.
 */
export interface KindValueSpec {
  key: string;
  value_type: 'enum' | 'number' | 'boolean';
  allowed_values: unknown;
  min_value: string | null;
  max_value: string | null;
}

/** A measurement value must match its kind: an allowed enum value, a number in range, a boolean. */
export function checkValue(kind: KindValueSpec, value: unknown, field = 'body.value'): void {
  switch (kind.value_type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw problems.invalid(field, `must be true or false for ${kind.key}`);
      return;
    case 'enum': {
      const allowed = (kind.allowed_values as string[] | null) ?? [];
      if (typeof value !== 'string' || !allowed.includes(value)) {
        throw problems.invalid(field, `must be one of ${allowed.join(', ')} for ${kind.key}`);
      }
      return;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw problems.invalid(field, `must be a number for ${kind.key}`);
      // Bounds are exact decimals in the database; comparing as numbers is exact for the
      // integers and short decimals kinds use.
      if (kind.min_value !== null && value < Number(kind.min_value)) throw problems.invalid(field, `must be at least ${kind.min_value}`);
      if (kind.max_value !== null && value > Number(kind.max_value)) throw problems.invalid(field, `must be at most ${kind.max_value}`);
      return;
  }
}
