/**
 * `src/db/schema.ts` is the one source of truth for row types (issue 11 item 3, DECISIONS D190):
 * repositories derive their rows from it with Selectable/Insertable/Updateable and Kysely infers
 * query results from it, so it must say what the database holds and what the pg type parsers of
 * src/db/database.ts return (int8 → bigint, date → 'YYYY-MM-DD' string, numeric → string,
 * timestamptz → Date). This test compares the migrated database (information_schema) with the
 * types the TypeScript compiler reads from schema.ts: every table and column on both sides, each
 * column's JS type and whether it may be null.
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../support/db.js';

type JsType = 'bigint' | 'number' | 'string' | 'boolean' | 'Date' | 'string[]' | 'json';

/** What the pg type parsers (src/db/database.ts; node-postgres' defaults otherwise) make of a column's type. */
const JS_OF_UDT: Record<string, JsType> = {
  int8: 'bigint',
  int4: 'number',
  int2: 'number',
  float8: 'number',
  float4: 'number',
  numeric: 'string',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  uuid: 'string',
  date: 'string',
  bool: 'boolean',
  timestamptz: 'Date',
  timestamp: 'Date',
  _text: 'string[]',
  _uuid: 'string[]',
  _int8: 'string[]', // node-postgres' default array parser keeps each int8 as a decimal string
  jsonb: 'json',
  json: 'json',
};

interface Column {
  js: JsType | `unmapped ${string}`;
  /** 'unknown': a JSON column typed `unknown`, which admits null. */
  nullable: boolean | 'unknown';
}

/**
 * Tables only triggers write and read — the outcome counts' per-transaction differences, flushed
 * at commit (migration 0012), and the forecast's once-a-transaction change mark (0023): no
 * TypeScript reads them, so schema.ts does not offer them.
 */
const TRIGGER_ONLY = new Set(['outcome_count_pending', 'outcome_count_flush', 'forecast_inputs_touch']);
type Tables = Record<string, Record<string, Column>>;

async function databaseTables(): Promise<{ tables: Tables; views: Set<string> }> {
  const client = new pg.Client({ connectionString: await freshDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string; table_type: string }>(
      `
      SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable, t.table_type
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.table_name NOT LIKE 'kysely\\_%' AND NOT c.table_name = ANY($1)
      ORDER BY c.table_name, c.ordinal_position`,
      [[...TRIGGER_ONLY]],
    );
    const tables: Tables = {};
    const views = new Set<string>();
    for (const r of rows) {
      if (r.table_type === 'VIEW') views.add(r.table_name);
      (tables[r.table_name] ??= {})[r.column_name] = { js: JS_OF_UDT[r.udt_name] ?? `unmapped ${r.udt_name}`, nullable: r.is_nullable === 'YES' };
    }
    return { tables, views };
  } finally {
    await client.end();
  }
}

/** The JS type of one selected column as schema.ts declares it (literal unions collapse to their base type). */
function jsTypeOf(checker: ts.TypeChecker, type: ts.Type): Column {
  if (type.flags & ts.TypeFlags.Unknown) return { js: 'json', nullable: 'unknown' };
  const parts = type.isUnion() ? type.types : [type];
  const nullable = parts.some((p) => p.flags & ts.TypeFlags.Null);
  const kinds = new Set(
    parts
      .filter((p) => !(p.flags & ts.TypeFlags.Null))
      .map((p): string => {
        if (p.flags & ts.TypeFlags.BigIntLike) return 'bigint';
        if (p.flags & ts.TypeFlags.NumberLike) return 'number';
        if (p.flags & ts.TypeFlags.StringLike) return 'string';
        if (p.flags & ts.TypeFlags.BooleanLike) return 'boolean';
        const text = checker.typeToString(p);
        if (text === 'Date') return 'Date';
        if (text === 'string[]') return 'string[]';
        return 'json';
      }),
  );
  const js = kinds.size === 1 ? ([...kinds][0] as JsType) : kinds.has('json') ? 'json' : (`unmapped ${[...kinds].join(' | ')}` as const);
  return { js, nullable };
}

function schemaTables(): Tables {
  const file = fileURLToPath(new URL('../support/schema-rows.ts', import.meta.url));
  const config = ts.readConfigFile(fileURLToPath(new URL('../../tsconfig.json', import.meta.url)), (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, fileURLToPath(new URL('../..', import.meta.url)));
  const program = ts.createProgram([file], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'SchemaRows')!;
  const rows = checker.getTypeAtLocation(alias.name);
  const tables: Tables = {};
  for (const table of checker.getPropertiesOfType(rows)) {
    const row = checker.getTypeOfSymbolAtLocation(table, alias);
    tables[table.name] = Object.fromEntries(
      checker.getPropertiesOfType(row).map((column) => [column.name, jsTypeOf(checker, checker.getTypeOfSymbolAtLocation(column, alias))]),
    );
  }
  return tables;
}

describe('src/db/schema.ts', () => {
  let database: { tables: Tables; views: Set<string> };
  let schema: Tables;
  beforeAll(async () => {
    database = await databaseTables();
    schema = schemaTables();
  }, 120_000);
  afterAll(() => undefined);

  it('names every table and view of the migrated database, and no other', () => {
    expect(Object.keys(schema).sort()).toEqual(Object.keys(database.tables).sort());
  });

  it('names every column of each table, and no other', () => {
    const columns = (t: Tables) =>
      Object.entries(t)
        .flatMap(([table, cs]) => Object.keys(cs).map((c) => `${table}.${c}`))
        .sort();
    expect(columns(schema)).toEqual(columns(database.tables));
  });

  it("gives each column the JS type the pg parsers return, nullable exactly when the column is (views' nullability is not known)", () => {
    const mismatches: string[] = [];
    for (const [table, columns] of Object.entries(database.tables)) {
      for (const [name, actual] of Object.entries(columns)) {
        const declared = schema[table]?.[name];
        if (!declared) continue;
        const typeOk = actual.js === 'json' ? true : declared.js === actual.js;
        const nullOk = database.views.has(table) || declared.nullable === 'unknown' || declared.nullable === actual.nullable;
        if (!typeOk || !nullOk)
          mismatches.push(
            `${table}.${name}: database ${actual.js}${actual.nullable ? ' | null' : ''}, schema.ts ${declared.js}${declared.nullable ? ' | null' : ''}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });
});
