import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import type { EntryDraft } from './entries.js';

/**
 * What a journal entry commits to about its award (docs/LEDGER.md): the SHA-256, as lowercase
 * hex, of the UTF-8 of the RFC 8785 text of the award revision's explanation. Exports carry the
 * explanation beside the entry; `verify-ledger` recomputes this from it.
 */
export function explanationSha256(explanation: unknown): string {
  return createHash('sha256').update(canonicalJson(explanation), 'utf8').digest('hex');
}

/** The award revision an entry posts, and its explanation's digest. */
export interface PostedRevision {
  revision: number;
  explanationSha256: string | null;
}

/**
 * Names on each entry for an award the revision it posts (pure). Every entry for an award must
 * find its revision: an entry that would commit to nothing is a programming error.
 */
export function withRevisions(entries: EntryDraft[], byAward: ReadonlyMap<string, PostedRevision>): EntryDraft[] {
  return entries.map((e) => {
    if (!e.awardId) return e;
    const r = byAward.get(e.awardId);
    if (!r) throw new Error(`entry ${e.kind} for award ${e.awardId}: its revision is unknown`);
    return { ...e, awardRevision: r.revision, explanationSha256: r.explanationSha256 };
  });
}
