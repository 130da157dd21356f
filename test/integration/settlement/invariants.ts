/**
 * Ledger and award invariants of SETTLEMENT.md §6, checked straight against the database of a
 * test app. Each `…Violations` function returns human-readable violations (empty = holds), so a
 * failure names what broke; `expectLedgerInvariants` asserts all of them at once.
 *
 * A `scope` with a fund limits the checks to that fund's entries, accounts, awards and runs
 * (the hash chain is always checked whole): a property test sharing one app between runs then
 * fails — and shrinks — on the run that broke something, not on every run after it.
 *
 * Not a test file: the settlement suites (and any other) import these helpers.
 */
import { sealAll } from '../../../src/services/ledger-sealer.js';
import { sql, type RawBuilder } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { GENESIS_HASH, verifyChain, type StoredChainEntry } from '../../../src/ledger/hash-chain.js';

async function rows<T>(db: Db, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

export interface Scope {
  fundId?: string;
}

/** `and <column> = <the scope's fund>`, or nothing when unscoped. */
const inFund = (scope: Scope, column: string) => (scope.fundId ? sql`and ${sql.ref(column)} = ${scope.fundId}` : sql``);

/** Every journal entry has at least two lines and its lines sum to zero. */
export async function unbalancedEntryViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const bad = await rows<{ seq: string; n: string; total: string }>(
    db,
    sql`select e.seq::text as seq, count(l.line_no)::text as n, coalesce(sum(l.amount_ore), 0)::text as total
        from journal_entries e left join journal_lines l on l.entry_seq = e.seq
        where true ${inFund(scope, 'e.fund_id')}
        group by e.seq
        having count(l.line_no) < 2 or coalesce(sum(l.amount_ore), 0) <> 0
        order by e.seq`,
  );
  return bad.map((r) => `entry ${r.seq}: ${r.n} lines summing to ${r.total}`);
}

/**
 * `available` and `reserved` never went negative — checked on the running balance after every
 * entry, not only at the end; funders only ever give (never positive), and `paid_out` never
 * holds less than nothing.
 */
export async function negativeBalanceViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const bad = await rows<{ account: string; seq: string; running: string }>(
    db,
    sql`select account, entry_seq::text as seq, running::text as running from (
          select l.account, l.entry_seq, a.type,
                 sum(l.amount_ore) over (partition by l.account order by l.entry_seq, l.line_no) as running
          from journal_lines l join ledger_accounts a on a.code = l.account
          where true ${inFund(scope, 'a.fund_id')}
        ) x
        where (type in ('available', 'reserved', 'paid_out') and running < 0) or (type = 'funders' and running > 0)
        order by entry_seq`,
  );
  return bad.map((r) => `${r.account} reached ${r.running} at entry ${r.seq}`);
}

/** Σ over each fund's accounts (funders negative) is zero. */
export async function fundSumViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const bad = await rows<{ fund_id: string; total: string }>(
    db,
    sql`select fund_id, sum(balance_ore)::text as total from ledger_accounts
        where true ${inFund(scope, 'fund_id')}
        group by fund_id having sum(balance_ore) <> 0`,
  );
  return bad.map((r) => `fund ${r.fund_id}: accounts sum to ${r.total}`);
}

/** Each account's stored balance equals the sum of its journal lines. */
export async function storedBalanceViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const bad = await rows<{ code: string; stored: string; lines: string }>(
    db,
    sql`select a.code, a.balance_ore::text as stored, coalesce(s.total, 0)::text as lines
        from ledger_accounts a
        left join (select account, sum(amount_ore) as total from journal_lines group by account) s on s.account = a.code
        where a.balance_ore <> coalesce(s.total, 0) ${inFund(scope, 'a.fund_id')}`,
  );
  return bad.map((r) => `${r.code}: stored ${r.stored}, lines sum to ${r.lines}`);
}

/** Every entry exactly as src/services/ledger.ts hashes it, in sequence order. */
export async function chainEntries(db: Db): Promise<StoredChainEntry[]> {
  const entries = await db.selectFrom('journal_entries').selectAll().orderBy('seq').execute();
  const lines = await db.selectFrom('journal_lines').selectAll().orderBy('entry_seq').orderBy('line_no').execute();
  const bySeq = new Map<string, Array<{ account: string; amount_ore: bigint }>>();
  for (const l of lines) {
    const list = bySeq.get(l.entry_seq.toString()) ?? [];
    list.push({ account: l.account, amount_ore: l.amount_ore });
    bySeq.set(l.entry_seq.toString(), list);
  }
  return entries.map((e) => ({
    seq: Number(e.seq),
    entry_id: e.id,
    posted_at: e.posted_at.toISOString(),
    kind: e.kind,
    fund_id: e.fund_id,
    award_id: e.award_id,
    memo: e.memo,
    lines: bySeq.get(e.seq.toString()) ?? [],
    prev_hash: e.prev_hash,
    hash: e.hash,
    // Sealed since migration 0018: the hashed body holds the explanation digest, null or not.
    ...(e.sealed_at !== null ? { explanation_sha256: e.explanation_sha256 } : {}),
  }));
}

/** The hash chain verifies from genesis, is gapless from 1, and ends at the stored head. */
export async function chainViolations(db: Db): Promise<string[]> {
  const entries = await chainEntries(db);
  const result = verifyChain(entries, { expectedPrevHash: GENESIS_HASH, expectedFirstSeq: 1 });
  if (!result.ok) return [`chain breaks at entry ${result.firstBreak.seq}: ${result.firstBreak.reason}`];
  const head = await db.selectFrom('ledger_head').select(['last_seq', 'last_hash']).executeTakeFirstOrThrow();
  const out: string[] = [];
  if (BigInt(result.lastSeq ?? 0) !== head.last_seq) out.push(`head seq ${head.last_seq}, chain ends at ${result.lastSeq}`);
  if (result.lastHash !== head.last_hash) out.push(`head hash ${head.last_hash}, chain ends at ${result.lastHash}`);
  return out;
}

/**
 * The award records agree with the ledger: a fund's `reserved` account holds Σ of its awards'
 * reservations; per (fund, institution) the payable balance plus what was paid out (lines
 * neither cancelled nor returned by the bank) is Σ of what the awards moved to payable;
 * `paid_out` holds Σ of those lines.
 */
export async function subledgerViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const reserved = await rows<{ fund_id: string; ledger: string; awards: string }>(
    db,
    sql`select f.id as fund_id,
               coalesce((select balance_ore from ledger_accounts where fund_id = f.id and type = 'reserved'), 0)::text as ledger,
               coalesce((select sum(reserved_ore) from awards where fund_id = f.id), 0)::text as awards
        from funds f where true ${inFund(scope, 'f.id')}`,
  );
  const payable = await rows<{ fund_id: string; institution_id: string; ledger: string; paid: string; awards: string }>(
    db,
    sql`with l as (select fund_id, institution_id, balance_ore from ledger_accounts where type = 'payable'),
             p as (select r.fund_id, pl.institution_id, sum(pl.amount_ore) as paid
                   from payment_lines pl join payment_runs r on r.id = pl.run_id
                   where pl.status in ('pending', 'paid') group by r.fund_id, pl.institution_id),
             a as (select aw.fund_id, ap.institution_id, sum(ap.payable_ore) as payable
                   from award_payees ap join awards aw on aw.id = ap.award_id group by aw.fund_id, ap.institution_id),
             k as (select fund_id, institution_id from l union select fund_id, institution_id from p
                   union select fund_id, institution_id from a)
        select k.fund_id, k.institution_id, coalesce(l.balance_ore, 0)::text as ledger,
               coalesce(p.paid, 0)::text as paid, coalesce(a.payable, 0)::text as awards
        from k left join l using (fund_id, institution_id) left join p using (fund_id, institution_id)
               left join a using (fund_id, institution_id)
        where true ${inFund(scope, 'k.fund_id')}`,
  );
  const paidOut = await rows<{ fund_id: string; ledger: string; runs: string }>(
    db,
    sql`select f.id as fund_id,
               coalesce((select balance_ore from ledger_accounts where fund_id = f.id and type = 'paid_out'), 0)::text as ledger,
               coalesce((select sum(l.amount_ore) from payment_lines l join payment_runs r on r.id = l.run_id
                         where r.fund_id = f.id and l.status in ('pending', 'paid')), 0)::text as runs
        from funds f where true ${inFund(scope, 'f.id')}`,
  );
  const runTotals = await rows<{ id: string; total: string; lines: string }>(
    db,
    sql`select r.id, r.total_ore::text as total, coalesce(sum(l.amount_ore), 0)::text as lines
        from payment_runs r left join payment_lines l on l.run_id = r.id
        where true ${inFund(scope, 'r.fund_id')}
        group by r.id having r.total_ore <> coalesce(sum(l.amount_ore), 0)`,
  );
  return [
    ...reserved.filter((r) => r.ledger !== r.awards).map((r) => `fund ${r.fund_id}: reserved ${r.ledger}, awards reserve ${r.awards}`),
    ...payable
      .filter((r) => BigInt(r.ledger) + BigInt(r.paid) !== BigInt(r.awards))
      .map((r) => `fund ${r.fund_id} institution ${r.institution_id}: payable ${r.ledger} + paid ${r.paid} ≠ awards' payable ${r.awards}`),
    ...paidOut.filter((r) => r.ledger !== r.runs).map((r) => `fund ${r.fund_id}: paid_out ${r.ledger}, runs total ${r.runs}`),
    ...runTotals.map((r) => `payment run ${r.id}: total ${r.total}, lines ${r.lines}`),
  ];
}

/**
 * Each award on its own: Σ payouts + retained = amount; what is payable never exceeds the
 * payout; the reservation target is what is not yet payable and the reservation never exceeds
 * it; the status follows from those figures (§6); open_objections counts the open objections.
 */
export async function awardViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const awards = await db
    .selectFrom('awards')
    .select(['id', 'status', 'earned', 'amount_ore', 'payout_total_ore', 'retained_ore', 'reserved_ore', 'reserve_target_ore', 'open_objections'])
    .$if(!!scope.fundId, (q) => q.where('fund_id', '=', scope.fundId!))
    .execute();
  const payees = await db
    .selectFrom('award_payees')
    .selectAll()
    .$if(!!scope.fundId, (q) => q.where('award_id', 'in', (eb) => eb.selectFrom('awards').select('id').where('fund_id', '=', scope.fundId!)))
    .execute();
  const objections = await rows<{ award_id: string; n: number }>(
    db,
    sql`select award_id, count(*)::int as n from objections where status = 'open' group by award_id`,
  );
  const openBy = new Map(objections.map((o) => [o.award_id, o.n]));
  const out: string[] = [];
  for (const a of awards) {
    const mine = payees.filter((p) => p.award_id === a.id);
    const payoutSum = mine.reduce((s, p) => s + p.amount_ore, 0n);
    const notPayable = mine.reduce((s, p) => s + (p.amount_ore - p.payable_ore), 0n);
    const problem = (what: string) => out.push(`award ${a.id}: ${what}`);
    if (payoutSum + a.retained_ore !== a.amount_ore) problem(`payouts ${payoutSum} + retained ${a.retained_ore} ≠ amount ${a.amount_ore}`);
    if (payoutSum !== a.payout_total_ore) problem(`payouts sum to ${payoutSum}, payout_total is ${a.payout_total_ore}`);
    for (const p of mine) if (p.payable_ore > p.amount_ore) problem(`payable ${p.payable_ore} > payout ${p.amount_ore} for ${p.institution_id}`);
    if (a.reserve_target_ore !== notPayable) problem(`reserve target ${a.reserve_target_ore}, not yet payable ${notPayable}`);
    if (a.reserved_ore > a.reserve_target_ore) problem(`reserved ${a.reserved_ore} > target ${a.reserve_target_ore}`);
    if (!a.earned && a.amount_ore !== 0n) problem(`not earned but amount ${a.amount_ore}`);
    const expected =
      a.reserved_ore < a.reserve_target_ore
        ? 'awaiting_funds'
        : a.reserve_target_ore > 0n
          ? a.open_objections > 0
            ? 'held'
            : 'provisional'
          : a.earned
            ? 'final'
            : 'not_earned';
    if (a.status !== expected) problem(`status ${a.status}, its figures say ${expected}`);
    if (a.open_objections !== (openBy.get(a.id) ?? 0)) problem(`open_objections ${a.open_objections}, open objections ${openBy.get(a.id) ?? 0}`);
  }
  return out;
}

/**
 * Each (rule, measurement) has at most one award, and every settled active measurement that a
 * rule applies to (kind, periods, a version in force on measured_on) has one.
 */
export async function awardCoverageViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const duplicates = await rows<{ rule_id: string; measurement_id: string; n: string }>(
    db,
    sql`select rule_id, measurement_id, count(*)::text as n from awards
        where true ${inFund(scope, 'fund_id')}
        group by rule_id, measurement_id having count(*) > 1`,
  );
  const missing = await rows<{ rule_id: string; measurement_id: string }>(
    db,
    sql`select r.id as rule_id, m.id as measurement_id
        from measurements m join rules r on r.kind_key = m.kind_key
        where m.status = 'active' and not exists (select 1 from settlement_backlog b where b.measurement_id = m.id)
          and (r.periods is null or r.periods ? m.period)
          and exists (select 1 from rule_versions v where v.rule_id = r.id and v.effective_from <= m.measured_on)
          and not exists (select 1 from awards a where a.rule_id = r.id and a.measurement_id = m.id)
          ${inFund(scope, 'r.fund_id')}`,
  );
  return [
    ...duplicates.map((d) => `rule ${d.rule_id} × measurement ${d.measurement_id}: ${d.n} awards`),
    ...missing.map((m) => `rule ${m.rule_id} × measurement ${m.measurement_id}: no award`),
  ];
}

/**
 * Once settlement is idle, no money sits idle in front of the queue: awards are funded in
 * acceptance order, so the first award of a fund still awaiting funds must need more than the
 * fund's available balance. Only meaningful when no measurement is waiting for settlement.
 */
export async function fundingOrderViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const stuck = await rows<{ id: string; fund_id: string; need: string; available: string }>(
    db,
    sql`select a.id, a.fund_id, (a.reserve_target_ore - a.reserved_ore)::text as need, l.balance_ore::text as available
        from awards a
        join ledger_accounts l on l.fund_id = a.fund_id and l.type = 'available'
        where a.reserved_ore < a.reserve_target_ore
          and not exists (select 1 from awards b where b.fund_id = a.fund_id and b.reserved_ore < b.reserve_target_ore
                          and (b.measurement_seq, b.id) < (a.measurement_seq, a.id))
          and a.reserve_target_ore - a.reserved_ore <= l.balance_ore
          ${inFund(scope, 'a.fund_id')}`,
  );
  return stuck.map((s) => `fund ${s.fund_id}: award ${s.id} awaits ${s.need} øre while ${s.available} are available`);
}

/**
 * Awards are funded strictly in acceptance order: across one settled action, every award the
 * fund reserved money for (entries after `afterSeq`) comes before each award still awaiting
 * funds at the end. (An award funded earlier may legitimately sit behind one whose correction
 * later raised it, so this is checked per action, not over the whole history.)
 */
export async function fundingOrderSinceViolations(db: Db, fundId: string, afterSeq: bigint): Promise<string[]> {
  const jumped = await rows<{ funded: string; waiting: string }>(
    db,
    sql`select e.award_id as funded, w.id as waiting
        from journal_entries e
        join awards f on f.id = e.award_id
        join awards w on w.fund_id = f.fund_id and w.reserved_ore < w.reserve_target_ore
        where e.fund_id = ${fundId} and e.kind = 'reserve' and e.seq > ${afterSeq}
          and (w.measurement_seq, w.id) < (f.measurement_seq, f.id)`,
  );
  return jumped.map((j) => `award ${j.funded} was funded ahead of award ${j.waiting}, which still awaits funds`);
}

/** The last posted sequence number (0 before any posting). */
export async function lastSeq(db: Db): Promise<bigint> {
  return (await db.selectFrom('ledger_head').select('last_seq').executeTakeFirstOrThrow()).last_seq;
}

/**
 * Awards, payees and revisions name rows that exist. The database no longer checks this per row
 * (migration 0006: settlement writes them in the transaction that read those rows), so it is
 * checked here instead, after every settlement suite.
 */
export async function referenceViolations(db: Db, scope: Scope = {}): Promise<string[]> {
  const bad = await rows<{ what: string; id: string }>(
    db,
    sql`select 'award without its ' || m.what as what, a.id::text as id
          from awards a
          cross join lateral (values
            ('measurement', exists (select 1 from measurements x where x.id = a.measurement_id)),
            ('rule', exists (select 1 from rules x where x.id = a.rule_id)),
            ('rule version', a.rule_version_id is null or exists (select 1 from rule_versions x where x.id = a.rule_version_id)),
            ('fund', exists (select 1 from funds x where x.id = a.fund_id)),
            ('child', exists (select 1 from children x where x.id = a.child_id))) as m(what, ok)
         where not m.ok ${inFund(scope, 'a.fund_id')}
        union all
        select 'payee without its award or institution', p.award_id::text
          from award_payees p
         where not exists (select 1 from awards x where x.id = p.award_id)
            or not exists (select 1 from institutions x where x.id = p.institution_id)
        union all
        select 'revision without its award', r.award_id::text
          from award_revisions r
         where not exists (select 1 from awards x where x.id = r.award_id)`,
  );
  return bad.map((r) => `${r.what}: ${r.id}`);
}

/** Asserts every invariant above, reporting all violations at once. Call when settlement is idle. */
export async function expectLedgerInvariants(db: Db, scope: Scope = {}): Promise<void> {
  // Balances are kept at posting time; the journal they are checked against is the sealed one.
  await sealAll(db);
  const [unbalanced, negative, fundSums, storedBalances, chain, subledger, awards, coverage, fundingOrder, references] = await Promise.all([
    unbalancedEntryViolations(db, scope),
    negativeBalanceViolations(db, scope),
    fundSumViolations(db, scope),
    storedBalanceViolations(db, scope),
    chainViolations(db),
    subledgerViolations(db, scope),
    awardViolations(db, scope),
    awardCoverageViolations(db, scope),
    fundingOrderViolations(db, scope),
    referenceViolations(db, scope),
  ]);
  expect({ unbalanced, negative, fundSums, storedBalances, chain, subledger, awards, coverage, fundingOrder, references }).toEqual({
    unbalanced: [],
    negative: [],
    fundSums: [],
    storedBalances: [],
    chain: [],
    subledger: [],
    awards: [],
    coverage: [],
    fundingOrder: [],
    references: [],
  });
}

/**
 * The journal is append-only: an UPDATE or DELETE of a posted entry or line raises. Each attempt
 * runs in a transaction that is rolled back whatever happens, so a missing trigger fails the
 * assertion without damaging the ledger. Needs at least one posted entry.
 */
export async function expectAppendOnly(db: Db): Promise<void> {
  const first = await db.selectFrom('journal_entries').select('seq').orderBy('seq').limit(1).executeTakeFirst();
  expect(first, 'the ledger has an entry to tamper with').toBeDefined();
  const seq = first!.seq;
  const attempts = {
    'update journal_entries': sql`update journal_entries set memo = 'tampered' where seq = ${seq}`,
    'delete journal_entries': sql`delete from journal_entries where seq = ${seq}`,
    'update journal_lines': sql`update journal_lines set amount_ore = amount_ore + 1 where entry_seq = ${seq}`,
    'delete journal_lines': sql`delete from journal_lines where entry_seq = ${seq}`,
  };
  for (const [what, statement] of Object.entries(attempts)) {
    const outcome = await db
      .transaction()
      .execute(async (trx) => {
        await statement.execute(trx);
        throw new Error('statement was accepted'); // roll back
      })
      .catch((err: Error) => err.message);
    expect(outcome, what).toMatch(/append-only/);
  }
}

/** Entries posted: sealed into the chain or still waiting for the sealer. */
export async function journalCount(db: Db): Promise<number> {
  const row = await db
    .selectNoFrom([sql<string>`(select count(*) from journal_entries) + (select count(*) from journal_pending)`.as('n')])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
