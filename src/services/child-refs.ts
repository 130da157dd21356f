import type { Executor } from '../db/database.js';
import { parseCpr, type CprKeyring } from '../domain/cpr.js';
import { birthDatesById, cprHashKey, findChildrenByCprHashes, findChildrenByExternalRefs } from '../repositories/children.js';

/** How an integration names a child: our id, its external reference, or a CPR number (HMAC lookup). */
export interface ChildRef {
  child_id?: string | undefined;
  child_ref?: string | undefined;
  cpr?: string | undefined;
}

export const UNKNOWN_CHILD = 'unknown child';

/** The field a reference names its child by: the first of child_id, child_ref, cpr given. */
export const childRefField = (r: ChildRef): 'child_id' | 'child_ref' | 'cpr' => (r.child_id ? 'child_id' : r.child_ref ? 'child_ref' : 'cpr');

export type ResolvedChild = { id: string; birth_date: string } | { field: 'child_id' | 'child_ref' | 'cpr'; message: string };

/**
 * Resolves many child references with three queries at most (ids, references, HMACs), so a
 * batch costs the same whatever mix of references it uses. CPRs are only ever hashed here.
 */
export async function resolveChildRefs(db: Executor, cpr: CprKeyring, refs: ChildRef[]): Promise<ResolvedChild[]> {
  const ids = [...new Set(refs.map((r) => r.child_id).filter((x): x is string => !!x))];
  const extRefs = [...new Set(refs.map((r) => r.child_ref).filter((x): x is string => !!x))];
  const hashes = refs.map((r) => {
    if (r.cpr === undefined) return null;
    const p = parseCpr(r.cpr);
    return p.ok ? cpr.candidates(p.normalised) : [];
  });
  const [byId, byRef, byHmac] = await Promise.all([
    birthDatesById(db, ids),
    findChildrenByExternalRefs(db, extRefs),
    // Every key of the ring: a child hashed before a rotation is still found (not re-hashed
    // here — batch ingest stays read-only on children; lookups and `npm run rekey-cpr` move it).
    findChildrenByCprHashes(
      db,
      hashes.flatMap((h) => h ?? []),
    ),
  ]);
  const childById = new Map(byId.map((c) => [c.id, c]));
  const childByRef = new Map(byRef.map((c) => [c.external_ref!, c]));
  const childByHmac = new Map(byHmac.map((c) => [cprHashKey(c), c]));
  return refs.map((r, i): ResolvedChild => {
    let found: { id: string; birth_date: string } | undefined;
    if (r.child_id) found = childById.get(r.child_id);
    else if (r.child_ref) found = childByRef.get(r.child_ref);
    else {
      const h = hashes[i]!;
      if (!h.length) return { field: 'cpr', message: 'is not a valid CPR number' };
      found = h.map((x) => childByHmac.get(cprHashKey(x))).find((c) => c !== undefined);
    }
    if (found) return { id: found.id, birth_date: found.birth_date };
    return { field: childRefField(r), message: UNKNOWN_CHILD };
  });
}
