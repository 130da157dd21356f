/**
 * The award object of an NDJSON export line (docs/LEDGER.md; DECISIONS D168), up to its
 * explanation: stored once per award revision (`export_head`, migration 0024) so an export line
 * is `head ‖ explanation ‖ "}"` without PostgreSQL building the object for every line. The same
 * text as the migration's SQL builds for rows written before it (`AWARD_HEAD_SQL`).
 */
export interface AwardHeadFields {
  id: string;
  rule_id: string;
  rule_version_id: string | null;
  measurement_id: string;
  fund_id: string;
  earned: boolean;
  amount_ore: bigint;
  payout_total_ore: bigint;
  retained_ore: bigint;
  revision: number;
  computed_at: Date;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uuid(v: string, what: string): string {
  if (!UUID_RE.test(v)) throw new TypeError(`award export head: ${what} is not a lowercase uuid`);
  return v;
}

/** `{"id":…,…,"computed_at":…,"explanation":` — JSON text waiting for the explanation and `}`. */
export function awardExportHead(a: AwardHeadFields): string {
  if (!Number.isSafeInteger(a.revision) || a.revision < 1) throw new TypeError('award export head: revision must be a whole number ≥ 1');
  const version = a.rule_version_id === null ? 'null' : `"${uuid(a.rule_version_id, 'rule_version_id')}"`;
  return (
    `{"id":"${uuid(a.id, 'id')}","rule_id":"${uuid(a.rule_id, 'rule_id')}","rule_version_id":${version}` +
    `,"measurement_id":"${uuid(a.measurement_id, 'measurement_id')}","fund_id":"${uuid(a.fund_id, 'fund_id')}"` +
    `,"earned":${a.earned},"amount_ore":${a.amount_ore},"payout_total_ore":${a.payout_total_ore}` +
    `,"retained_ore":${a.retained_ore},"revision":${a.revision},"computed_at":"${a.computed_at.toISOString()}","explanation":`
  );
}
