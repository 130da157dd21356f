/**
 * One source of truth for rows (issue 11 item 3, DECISIONS D190): in src/repositories, a type that
 * lists columns of a table is derived from `src/db/schema.ts` (`Selectable<T>`, `Pick`/`Omit` of
 * it, `Insertable`/`Updateable`) instead of written out again, so each column's type is stated
 * once. This test reads the code's syntax (no compiler, no database): it fails when an interface
 * or object type there repeats three or more columns of one table — same name, same type as
 * schema.ts declares. Services and HTTP code describe API inputs and outputs (which may share
 * column names) and the pure core may not depend on Kysely; where they hand a repository a row,
 * the compiler checks it against the derived type. test/integration/schema-types.test.ts checks
 * schema.ts itself against the migrated database.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCOPE = ['src/repositories'];
/** How many of one table's columns an object type may name before it counts as a copy of the table. */
const MAX_SHARED = 2;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const parse = (path: string) => ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);

const propertyName = (m: ts.TypeElement) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : null);

/**
 * A type as a sorted set of its union members' texts, with schema.ts's column wrappers taken off
 * (what `Selectable` reads): Generated<T> and GeneratedAlways<T> → T, ColumnType<S, …> → S,
 * Json<T> → T, Timestamp → Date, Money → bigint.
 */
function typeKey(node: ts.TypeNode | undefined, source: ts.SourceFile): string {
  const members = (n: ts.TypeNode | undefined): string[] => {
    if (!n) return ['unknown'];
    if (ts.isUnionTypeNode(n)) return n.types.flatMap(members);
    if (ts.isParenthesizedTypeNode(n)) return members(n.type);
    if (ts.isTypeReferenceNode(n)) {
      const name = n.typeName.getText(source);
      if (['Generated', 'GeneratedAlways', 'ColumnType', 'Json', 'JSONColumnType'].includes(name)) return members(n.typeArguments?.[0]);
      if (name === 'Timestamp') return ['Date'];
      if (name === 'Money' || name === 'GeneratedMoney') return ['bigint'];
    }
    return [n.getText(source).replace(/\s+/g, ' ')];
  };
  return [...new Set(members(node))].sort().join(' | ');
}

type Columns = Map<string, string>;

/** Table name (the `DB` interface's key) → its columns and their types, read from schema.ts. */
function schemaColumns(): Map<string, Columns> {
  const source = parse(join(root, 'src/db/schema.ts'));
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n);
  });
  const tables = new Map<string, Columns>();
  for (const member of interfaces.get('DB')!.members) {
    const type = ts.isPropertySignature(member) && member.type && ts.isTypeReferenceNode(member.type) ? member.type.typeName.getText(source) : '';
    const columns: Columns = new Map();
    for (const c of interfaces.get(type)?.members ?? []) {
      const name = propertyName(c);
      if (name !== null && ts.isPropertySignature(c)) columns.set(name, typeKey(c.type, source));
    }
    tables.set(propertyName(member)!, columns);
  }
  return tables;
}

/** Object types (interfaces and type literals) that repeat more than MAX_SHARED columns of one table: same name, same type. */
function copies(tables: Map<string, Columns>): string[] {
  const found: string[] = [];
  for (const path of SCOPE.flatMap((d) => files(join(root, d)))) {
    const source = parse(path);
    const visit = (node: ts.Node) => {
      if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) {
        const properties = node.members.filter(ts.isPropertySignature).map((m) => ({ name: propertyName(m), type: typeKey(m.type, source) }));
        // The table it repeats most of.
        const [table, shared] = [...tables]
          .map(([t, columns]) => [t, properties.filter((p) => p.name !== null && columns.get(p.name) === p.type).map((p) => p.name)] as const)
          .reduce((a, b) => (b[1].length > a[1].length ? b : a));
        if (shared.length > MAX_SHARED) {
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          found.push(`${relative(root, path)}:${line} repeats ${table} columns ${shared.join(', ')}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('row types', () => {
  const tables = schemaColumns();

  it('reads the tables of schema.ts', () => {
    expect(tables.size).toBeGreaterThan(30);
    expect(Object.fromEntries(tables.get('awards')!)).toMatchObject({
      id: 'string',
      amount_ore: 'bigint',
      review_until: 'Date | null',
      explanation: 'unknown',
    });
  });

  it('are derived from src/db/schema.ts in the repositories, not written out again', () => {
    expect(copies(tables)).toEqual([]);
  });
});
