import type { CompiledQuery, QueryResult, RawBuilder } from 'kysely';
import type { Executor } from './database.js';

/**
 * A hot read whose SQL text never changes: built and compiled by Kysely once, then executed
 * with new values bound to its named slots. Building a large `sql` template (the passport has
 * ~100 JSON fragments) costs far more Node time per request than the database spends on it;
 * with this it costs one array map. `build` must put the slots where values go and use
 * no other parameters (a literal belongs in `sql.lit`), which the first call asserts.
 */
export function fixedStatement<R, K extends string>(
  names: readonly K[],
  build: (slot: Readonly<Record<K, unknown>>) => RawBuilder<R>,
): (db: Executor, values: Readonly<Record<K, unknown>>) => Promise<QueryResult<R>> {
  const slots = Object.fromEntries(names.map((name) => [name, Symbol(name)])) as Record<K, symbol>;
  const nameOf = new Map<unknown, K>(names.map((name) => [slots[name], name]));
  let compiled: CompiledQuery<R> | undefined;
  return async (db, values) => {
    compiled ??= compileChecked(build(slots).compile(db), nameOf);
    const parameters = compiled.parameters.map((slot) => values[nameOf.get(slot)!]);
    return db.executeQuery<R>({ ...compiled, parameters });
  };
}

function compileChecked<R, K>(compiled: CompiledQuery<R>, nameOf: Map<unknown, K>): CompiledQuery<R> {
  const stray = compiled.parameters.find((p) => !nameOf.has(p));
  if (stray !== undefined) throw new Error(`fixedStatement: parameter ${String(stray)} is not a slot`);
  return compiled;
}
