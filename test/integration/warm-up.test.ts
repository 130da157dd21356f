/**
 * An API process on PostgreSQL opens its main pool's connections before it listens and runs its
 * hot prepared reads on each until PostgreSQL has chosen their generic plans (D220), and the pool
 * keeps those connections however long they idle (PG_POOL_MIN). Without it, the first requests
 * after a start (or after PG_POOL_IDLE_MS of quiet) started backends and planned the passport
 * six times on each (BENCHMARKS.md, eighth session).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openPostgres, type Database } from '../../src/db/database.js';
import { warmConnections } from '../../src/services/warm-up.js';
import { freshDatabaseUrl } from '../support/db.js';
import { eventually } from '../support/wait.js';

const opened: Database[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

/** Each connection of the pool, all checked out at once: the prepared statements of its backend. */
async function preparedPerConnection(pool: pg.Pool, n: number) {
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  try {
    return await Promise.all(
      clients.map(async (c) => {
        const { rows } = await c.query<{ pid: number; statement: string; custom_plans: string; generic_plans: string }>(
          `select pg_backend_pid() pid, statement, custom_plans::text, generic_plans::text from pg_prepared_statements where statement like '/* prepared */%'`,
        );
        return rows.map((r) => ({
          pid: r.pid,
          read: r.statement.includes('"child"') ? 'passport' : r.statement.includes('explanation') ? 'award' : 'other',
          custom: Number(r.custom_plans),
          generic: Number(r.generic_plans),
        }));
      }),
    );
  } finally {
    for (const c of clients) c.release();
  }
}

describe('warming the main pool (D220)', () => {
  it('opens that many distinct connections and leaves the hot reads on their generic plans on each', async () => {
    const database = await openPostgres(await freshDatabaseUrl(), { max: 3, min: 3, idleMs: 0 });
    opened.push(database);
    expect(await warmConnections(database, 3)).toBe(3);
    expect(database.pool!.totalCount).toBe(3);
    const perConnection = await preparedPerConnection(database.pool!, 3);
    expect(new Set(perConnection.map((rows) => rows[0]?.pid)).size).toBe(3);
    for (const rows of perConnection) {
      // Five plans for the parameters, then the generic plan PostgreSQL keeps for every later call.
      expect(rows.filter((r) => r.read !== 'other').sort((a, b) => a.read.localeCompare(b.read))).toEqual([
        { pid: rows[0]!.pid, read: 'award', custom: 5, generic: 1 },
        { pid: rows[0]!.pid, read: 'passport', custom: 5, generic: 1 },
      ]);
    }
  });

  it('keeps PG_POOL_MIN connections through idleness, where the pool without it closes them', async () => {
    const url = await freshDatabaseUrl();
    const kept = await openPostgres(url, { max: 2, min: 2, idleMs: 50 });
    const dropped = await openPostgres(url, { max: 2, min: 0, idleMs: 50 });
    opened.push(kept, dropped);
    expect(await warmConnections(kept, 2)).toBe(2);
    expect(await warmConnections(dropped, 2)).toBe(2);
    await eventually(async () => dropped.pool!.totalCount === 0);
    expect(kept.pool!.totalCount).toBe(2);
    // Still the warmed backends: the next passport reuses the generic plan, no new planning.
    for (const rows of await preparedPerConnection(kept.pool!, 2)) {
      expect(rows.find((r) => r.read === 'passport')).toMatchObject({ custom: 5, generic: 1 });
    }
  });

  it('does nothing for zero connections', async () => {
    const database = await openPostgres(await freshDatabaseUrl(), { max: 2 });
    opened.push(database);
    expect(await warmConnections(database, 0)).toBe(0);
    expect(database.pool!.totalCount).toBe(0);
  });
});
