import { v7 as uuidv7 } from 'uuid';

/**
 * A new id for a row this service creates in bulk (awards, journal entries, measurements,
 * children): a UUIDv7 (RFC 9562) — 48 bits of Unix milliseconds, then random bits, monotonic
 * within a process. Ids made later sort later, so each bulk insert lands at the right-hand edge
 * of the primary key and of the indexes that lead with such an id (an award's
 * (measurement_id, rule_id), a payee's (award_id, institution_id)) instead of on a random page
 * of an ever larger B-tree (D227). The id reveals when it was made, to the millisecond — no more
 * than the `created_at` every such row already shows to whoever may read it.
 */
export function newId(): string {
  return uuidv7();
}
