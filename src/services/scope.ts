import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { childrenEnrolledAt } from '../repositories/enrolments.js';

/**
 * What an integration key may see of the register (SETTLEMENT.md §7, DECISIONS 62). With an
 * institution scope it sees only children who have (had) an enrolment at one of its
 * institutions, and a child outside that is answered exactly as a child that does not exist —
 * same status, same body — so neither a CPR lookup nor a measurement can tell whether a CPR
 * or a child id is registered elsewhere.
 */

/** The institutions (ids) a caller's children must have been enrolled at; null = no restriction. */
export function institutionScopeOf(actor: Principal): string[] | null {
  return actor.role === 'integration' ? (actor.scope?.institutions ?? null) : null;
}

/**
 * The message for a child reference the caller cannot use: the same whether the child does not
 * exist or is outside the caller's scope.
 */
export function unknownChildMessage(actor: Principal): string {
  return institutionScopeOf(actor) ? "unknown child, or a child with no enrolment at an institution in this key's scope" : 'unknown child';
}

/** §7: an integration submits only the measurement kinds in its scope. Null when allowed. */
export function kindOutOfScope(actor: Principal, kind: string): string | null {
  const kinds = actor.role === 'integration' ? actor.scope?.kinds : null;
  return kinds && !kinds.includes(kind) ? `this integration may not submit '${kind}' measurements` : null;
}

/** Of these children, those the caller may see; null when it may see every child. */
export async function childrenInScope(db: Executor, actor: Principal, childIds: string[]): Promise<Set<string> | null> {
  const institutions = institutionScopeOf(actor);
  if (!institutions) return null;
  return childrenEnrolledAt(db, childIds, institutions);
}
