/**
 * The row types `src/db/schema.ts` promises, table by table, as Kysely's `Selectable` makes them.
 * test/integration/schema-types.test.ts reads this type with the TypeScript compiler and compares
 * it with the migrated database (column names, JS types after the pg type parsers, nullability).
 */
import type { Selectable } from 'kysely';
import type { DB } from '../../src/db/schema.js';

export type SchemaRows = { [T in keyof DB]: Selectable<DB[T]> };
