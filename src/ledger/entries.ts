import type { AccountRef } from './accounts.js';

/**
 * A journal entry before it is sealed into the chain (pure data: the settlement planner builds
 * them, `LedgerService.post` appends them, the sealer gives them seq and hash). Line amounts are signed øre: positive =
 * money into the account. Every entry's lines sum to zero.
 */
export type EntryKind =
  | 'deposit'
  | 'reserve' // available → reserved (an award is funded)
  | 'release' // reserved → available (an award shrank or was withdrawn before finalisation)
  | 'finalise' // reserved → payable:<i>
  | 'payable_adjustment' // payable:<i> → available (an award shrank after finalisation; may claw back)
  | 'payment' // payable:<i> → paid_out
  | 'payment_cancel' // paid_out → payable:<i>
  | 'payment_return'; // paid_out → payable:<i> (the bank returned one line of a run)

export interface EntryDraft {
  kind: EntryKind;
  fundId: string;
  awardId?: string | null;
  /** The award revision this entry posts, and the SHA-256 of its explanation's RFC 8785 text (hashed). */
  awardRevision?: number | null;
  explanationSha256?: string | null;
  memo?: string | null;
  lines: Array<{ account: AccountRef; amount: bigint }>;
}

/** The sum of an entry's lines (zero for every well-formed entry). */
export function entrySum(entry: EntryDraft): bigint {
  return entry.lines.reduce((s, l) => s + l.amount, 0n);
}
