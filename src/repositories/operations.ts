import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/** Whether the database answers (readiness). */
export async function ping(db: Executor): Promise<boolean> {
  return sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
}
