import type { Database } from '../db/database.js';
import * as readJson from '../repositories/read-json.js';

/**
 * PostgreSQL plans a prepared statement for its parameters ("custom plans") on its first five
 * executions on a connection, and only then weighs a generic plan that later executions reuse
 * (plancache.c, `choose_custom_plan`). The passport's statement takes ~11 ms to plan.
 */
const CUSTOM_PLANS_BEFORE_GENERIC = 5;

/** An id no row has: the reads find nothing, but PostgreSQL plans them all the same. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Opens `connections` connections of the main pool at once and, on each, runs the API's hot
 * prepared reads (a child's passport, an award with its explanation) until PostgreSQL has settled
 * on their generic plans (DECISIONS D220). An API process calls it before it listens, so its
 * first requests neither start backends nor plan: in the bench the first load run after a
 * restart started 8 backends and planned the passport 60 times (~0.7 s of PostgreSQL CPU in its
 * first second). The pool keeps these connections however long they idle (`PG_POOL_MIN`).
 * At most the pool's size (every connection is held until all are warmed: more would wait for
 * ever); none on PGlite, which has no pool. Returns the number of distinct connections warmed.
 */
export async function warmConnections(database: Database, wanted: number): Promise<number> {
  const connections = Math.min(wanted, database.pool?.options.max ?? 0);
  if (connections <= 0) return 0;
  const db = database.db;
  // Every connection stays checked out until all are warmed, so the pool opens `connections`
  // distinct ones instead of handing the first back again.
  let warmed = 0;
  let allWarmed!: () => void;
  const barrier = new Promise<void>((resolve) => (allWarmed = resolve));
  const pids = new Set<number>();
  await Promise.all(
    Array.from({ length: connections }, () =>
      db.connection().execute(async (conn) => {
        for (let i = 0; i <= CUSTOM_PLANS_BEFORE_GENERIC; i++) {
          await readJson.passport(conn, NO_ID);
          await readJson.awardWithExplanation(conn, NO_ID, null);
        }
        pids.add(await readJson.backendPid(conn));
        if (++warmed === connections) allWarmed();
        await barrier;
      }),
    ),
  );
  return pids.size;
}
