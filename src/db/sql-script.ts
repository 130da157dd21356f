import { sql } from 'kysely';
import type { Executor } from './database.js';

/**
 * Splits a SQL script into statements on `;` at line ends, keeping `$$ … $$` bodies whole.
 * PGlite's parameterised query path takes one statement at a time, so migrations are
 * written as plain scripts and run statement by statement on both drivers.
 */
export function splitSqlScript(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of script.split('\n')) {
    const trimmed = line.trim();
    if (!inDollar && (trimmed.startsWith('--') || trimmed === '')) continue;
    current += line + '\n';
    const dollars = line.split('$$').length - 1;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && trimmed.endsWith(';')) {
      statements.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

export async function runSqlScript(db: Executor, script: string): Promise<void> {
  for (const statement of splitSqlScript(script)) {
    await sql.raw(statement).execute(db);
  }
}
