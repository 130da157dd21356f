/**
 * What must hold after every fault, once settlement is quiet:
 *
 *  - every measurement sent is stored once and settled for its one generation: `gen = 1` (nothing
 *    changed it after it was accepted) and no longer waiting in `settlement_backlog`; settled
 *    exactly once is the awards' check below (one award, revision 1, per rule and measurement);
 *  - exactly one award per (rule, measurement) that a rule applies to, computed once: revision 1
 *    and a single revision row (a second computation that changed anything would add one);
 *  - no posting twice: per award at most one `reserve` and one `finalise` entry, no `release` or
 *    `payable_adjustment` (nothing was corrected, so any would be a double computation), and
 *    the award's own entries sum, per account, to what the award row says the ledger holds;
 *  - every ledger invariant of SETTLEMENT.md §6 (test/integration/settlement/invariants.ts) and
 *    the hash chain, checked in the database and through `GET /v1/ledger/verify`.
 */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { expectLedgerInvariants, lastSeq } from '../../integration/settlement/invariants.js';
import type { Cluster } from './cluster.js';

async function rows<T>(db: Db, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

export interface LedgerFigures {
  measurements: number;
  awards: number;
  earned_awards: number;
  journal_entries: number;
  reserve_entries: number;
  finalise_entries: number;
  final_awards: number;
}

/** Measurements not settled exactly once for their one generation. */
async function measurementViolations(db: Db, expected: number): Promise<string[]> {
  const [count] = await rows<{ n: string }>(db, sql`select count(*)::text as n from measurements`);
  const bad = await rows<{ id: string; gen: string; waiting: boolean }>(
    db,
    sql`select id, gen::text as gen, exists (select 1 from settlement_backlog b where b.measurement_id = m.id) as waiting
        from measurements m
        where gen <> 1 or exists (select 1 from settlement_backlog b where b.measurement_id = m.id) order by seq limit 20`,
  );
  return [
    ...(Number(count!.n) !== expected ? [`${count!.n} measurements stored, ${expected} sent`] : []),
    ...bad.map((m) => `measurement ${m.id}: gen ${m.gen}${m.waiting ? ', still waiting for settlement' : ''}`),
  ];
}

/** Awards computed more than once (a second result would be a new revision). */
async function recomputationViolations(db: Db): Promise<string[]> {
  const bad = await rows<{ id: string; revision: number; revisions: string }>(
    db,
    sql`select a.id, a.revision, (select count(*) from award_revisions r where r.award_id = a.id)::text as revisions
        from awards a
        where a.revision <> 1 or (select count(*) from award_revisions r where r.award_id = a.id) <> 1
        limit 20`,
  );
  return bad.map((a) => `award ${a.id}: revision ${a.revision}, ${a.revisions} revision rows`);
}

/** Postings made twice, or postings that do not add up to what the award row holds. */
async function postingViolations(db: Db): Promise<string[]> {
  const kinds = await rows<{ award_id: string; kind: string; n: string }>(
    db,
    sql`select award_id, kind, count(*)::text as n from journal_entries where award_id is not null
        group by award_id, kind
        having (kind in ('reserve', 'finalise') and count(*) > 1) or kind not in ('reserve', 'finalise')
        limit 20`,
  );
  const reserved = await rows<{ id: string; award: string; ledger: string }>(
    db,
    sql`with r as (select e.award_id, sum(l.amount_ore) as total
                   from journal_entries e join journal_lines l on l.entry_seq = e.seq
                   join ledger_accounts a on a.code = l.account
                   where a.type = 'reserved' and e.award_id is not null group by e.award_id)
        select aw.id, aw.reserved_ore::text as award, coalesce(r.total, 0)::text as ledger
        from awards aw left join r on r.award_id = aw.id
        where aw.reserved_ore <> coalesce(r.total, 0) limit 20`,
  );
  const payable = await rows<{ award_id: string; institution_id: string; award: string; ledger: string }>(
    db,
    sql`with p as (select e.award_id, a.institution_id, sum(l.amount_ore) as total
                   from journal_entries e join journal_lines l on l.entry_seq = e.seq
                   join ledger_accounts a on a.code = l.account
                   where a.type = 'payable' and e.award_id is not null group by e.award_id, a.institution_id)
        select coalesce(ap.award_id, p.award_id) as award_id, coalesce(ap.institution_id, p.institution_id) as institution_id,
               coalesce(ap.payable_ore, 0)::text as award, coalesce(p.total, 0)::text as ledger
        from award_payees ap full join p on p.award_id = ap.award_id and p.institution_id = ap.institution_id
        where coalesce(ap.payable_ore, 0) <> coalesce(p.total, 0) limit 20`,
  );
  return [
    ...kinds.map((k) => `award ${k.award_id}: ${k.n} ${k.kind} entries`),
    ...reserved.map((r) => `award ${r.id}: reserved ${r.award}, its entries reserve ${r.ledger}`),
    ...payable.map((p) => `award ${p.award_id} payee ${p.institution_id}: payable ${p.award}, its entries ${p.ledger}`),
  ];
}

/** Entries left unsealed by the cluster's sealers, or sealed twice (the test never seals itself before this). */
export async function sealingViolations(db: Db): Promise<string[]> {
  const [r] = await rows<{ pending: string; twice: string }>(
    db,
    sql`select (select count(*) from journal_pending)::text as pending,
               (select count(*) - count(distinct id) from journal_entries)::text as twice`,
  );
  return [...(r!.pending !== '0' ? [`${r!.pending} entries never sealed`] : []), ...(r!.twice !== '0' ? [`${r!.twice} entries sealed twice`] : [])];
}

export async function ledgerFigures(db: Db): Promise<LedgerFigures> {
  const [f] = await rows<Record<keyof LedgerFigures, string>>(
    db,
    sql`select (select count(*) from measurements)::text as measurements,
               (select count(*) from awards)::text as awards,
               (select count(*) from awards where earned)::text as earned_awards,
               (select count(*) from journal_entries)::text as journal_entries,
               (select count(*) from journal_entries where kind = 'reserve')::text as reserve_entries,
               (select count(*) from journal_entries where kind = 'finalise')::text as finalise_entries,
               (select count(*) from awards where status = 'final')::text as final_awards`,
  );
  return Object.fromEntries(Object.entries(f!).map(([k, v]) => [k, Number(v)])) as unknown as LedgerFigures;
}

/** Asserts everything above; returns the ledger's figures for the case report. */
export async function expectSettledExactlyOnce(c: Cluster, expectedMeasurements: number): Promise<LedgerFigures> {
  const [measurements, recomputed, postings] = await Promise.all([
    measurementViolations(c.db, expectedMeasurements),
    recomputationViolations(c.db),
    postingViolations(c.db),
  ]);
  const sealing = await sealingViolations(c.db);
  expect({ measurements, recomputed, postings, sealing }).toEqual({ measurements: [], recomputed: [], postings: [], sealing: [] });
  await expectLedgerInvariants(c.db);
  const verify = await c.call('GET', '/v1/ledger/verify');
  expect(verify.status).toBe(200);
  expect(verify.body).toMatchObject({ ok: true, checked: Number(await lastSeq(c.db)) });
  const figures = await ledgerFigures(c.db);
  expect(figures.earned_awards, 'the population earns awards').toBeGreaterThan(0);
  return figures;
}

/** Lost and duplicated items, counted (not asserted) for the case report. */
export async function lossAndDuplication(db: Db, sent: number): Promise<{ lost: number; duplicated: number }> {
  const [r] = await rows<{ settled: string; dup_awards: string; recomputed: string; dup_postings: string }>(
    db,
    sql`select (select count(*) from measurements m where not exists (select 1 from settlement_backlog b where b.measurement_id = m.id))::text as settled,
               (select count(*) from (select 1 from awards group by rule_id, measurement_id having count(*) > 1) d)::text as dup_awards,
               (select count(*) from awards where revision <> 1)::text as recomputed,
               (select count(*) from (select 1 from journal_entries where award_id is not null
                                      group by award_id, kind having count(*) > 1) p)::text as dup_postings`,
  );
  return { lost: sent - Number(r!.settled), duplicated: Number(r!.dup_awards) + Number(r!.recomputed) + Number(r!.dup_postings) };
}
