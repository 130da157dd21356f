import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type Db = Kysely<DB>;
/** Repositories take either the database or an open transaction, so services decide the boundaries. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The pg pool behind `db` on a PostgreSQL server; absent on PGlite. */
  pool?: pg.Pool;
  /**
   * Connections for ledger exports' `COPY` streams on a PostgreSQL server, never closed for
   * idleness (DECISIONS D216); absent on PGlite.
   */
  exportPool?: pg.Pool;
  close(): Promise<void>;
}

// OIDs of the types whose default JS mapping is wrong for money and calendar dates.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

/** int8 → bigint (money never passes through a double); date → 'YYYY-MM-DD' string (no time zone). */
const parsers: Record<number, (v: string) => unknown> = {
  [INT8]: (v) => BigInt(v),
  [DATE]: (v) => v,
  [NUMERIC]: (v) => v,
};

/**
 * A statement whose SQL starts with this comment is prepared once per connection (a named
 * statement) instead of being parsed and planned on every execution. Only for fixed, hot
 * statements: each distinct text stays prepared on every pooled connection. Elsewhere (PGlite)
 * it is only a comment.
 */
export const PREPARED = '/* prepared */';

const statementNames = new Map<string, string>();
const statementName = (text: string) => {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `smb_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return name;
};

/** Routes `PREPARED` statements of this client through pg's named statements. */
function prepareMarked(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) =>
    typeof text === 'string' && text.startsWith(PREPARED)
      ? query({ name: statementName(text), text, values }, callback)
      : query(text, values, callback)) as typeof client.query;
}

export interface PoolSizes {
  /** Connections of the main pool (PG_POOL_MAX). */
  max: number;
  /** Connections kept for exports (EXPORT_CONNECTIONS). */
  exports: number;
  /** Milliseconds an idle main-pool connection is kept (PG_POOL_IDLE_MS; 0: for ever). */
  idleMs: number;
  /** Main-pool connections never closed for idleness (PG_POOL_MIN, at most `max`; D220). */
  min: number;
}

const DEFAULT_POOL: PoolSizes = { max: 10, exports: 2, idleMs: 10_000, min: 0 };

function newPool(url: string, max: number, idleTimeoutMillis: number, min = 0): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    min: Math.min(min, max),
    idleTimeoutMillis,
    types: {
      getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  // Nor a client checked out in a transaction between two queries (pg-pool removes its own
  // listener then): its next query fails, and the request or job with it, instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * A PostgreSQL server: the main pool behind kysely, and a small pool of its own for exports. An
 * export's backend reads every page of the ledger, and a new backend pays a page fault for its
 * first touch of each page of shared memory (BENCHMARKS.md, sixth session: twice the CPU per
 * line); so export connections are kept however long they idle — pg-pool never times out a
 * connection when `idleTimeoutMillis` is 0 — and exports never take connections from requests.
 */
export async function openPostgres(url: string, sizes: Partial<PoolSizes> = {}): Promise<Database> {
  const { max, exports, idleMs, min } = { ...DEFAULT_POOL, ...sizes };
  const pool = newPool(url, max, idleMs, min);
  pool.on('connect', prepareMarked);
  const exportPool = newPool(url, exports, 0);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', pool, exportPool, close: async () => Promise.all([db.destroy(), exportPool.end()]).then(() => undefined) };
}

/** The embedded default: PostgreSQL compiled to WASM, persisted under `dataDir` (or in memory). */
export async function openPglite(dataDir: string | null): Promise<Database> {
  const [{ PGlite }, { btree_gist }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('kysely-pglite-dialect'),
  ]);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    extensions: { btree_gist },
    parsers,
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

export async function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string | null; pool?: Partial<PoolSizes> }): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.pool) : openPglite(opts.dataDir);
}
