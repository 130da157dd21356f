/**
 * fixedStatement compiles a statement once and binds each call's values to its named slots.
 * A recording driver (no database) shows what would be sent.
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { fixedStatement } from '../../src/db/fixed-statement.js';

function recordingDb() {
  const sent: Array<{ sql: string; parameters: readonly unknown[] }> = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
      sent.push({ sql: q.sql, parameters: q.parameters });
      return { rows: [] };
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely<never>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, sent };
}

describe('fixedStatement', () => {
  it('binds each call its own values, in the order the slots appear in the text, and builds once', async () => {
    const { db, sent } = recordingDb();
    let builds = 0;
    const statement = fixedStatement(['child', 'limit'], (p) => {
      builds++;
      return sql`SELECT ${p.limit} AS l, ${p.child} AS c, ${p.limit} AS again`;
    });
    await statement(db as never, { child: 'a', limit: 5 });
    await statement(db as never, { child: 'b', limit: null });
    expect(builds).toBe(1);
    expect(sent.map((s) => s.sql)).toEqual(['SELECT $1 AS l, $2 AS c, $3 AS again', 'SELECT $1 AS l, $2 AS c, $3 AS again']);
    expect(sent.map((s) => s.parameters)).toEqual([
      [5, 'a', 5],
      [null, 'b', null],
    ]);
  });

  it('refuses a statement with a parameter that is not a slot (it would be frozen into every call)', async () => {
    const { db } = recordingDb();
    const statement = fixedStatement(['id'], (p) => sql`SELECT ${p.id}, ${'constant'}`);
    await expect(statement(db as never, { id: 'x' })).rejects.toThrow(/not a slot/);
  });
});
