import { sql } from 'kysely';
import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { ProblemError, type FieldError } from '../http/problem.js';
import { enqueue } from '../repositories/outbox.js';
import { isIsoDate } from '../settlement/dates.js';
import type { MeasurementValue } from '../settlement/types.js';
import { businessDate } from './business-date.js';
import type { ServiceDeps } from './deps.js';
import { checkValue } from './measurements.js';
import { resolveChildRefs } from './child-refs.js';
import { parseItems, rejectItem, type RejectedItem } from './batch-items.js';

/**
 * The one write path for measurements, single or batched. A chunk of items is validated in
 * bulk (children resolved by id, external reference or CPR HMAC; values against their kind;
 * integration scope) and stored in ONE transaction with its outbox rows: a bad item is
 * reported and skipped, never rejecting the good ones; a failure of the transaction leaves
 * earlier chunks stored. Within a chunk an identity seen twice is applied in order (the
 * second is a correction of the first).
 */
export const ingestItemSchema = z
  .strictObject({
    child_id: z.uuid().optional(),
    child_ref: z.string().trim().min(1).max(200).optional(),
    cpr: z.string().max(20).optional(),
    kind: z.string().min(1).max(64),
    period: z.string().trim().min(1).max(64),
    value: z.union([z.string().max(200), z.number(), z.boolean()]),
    measured_on: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD'),
    source: z.string().trim().max(200).nullish(),
  })
  .refine((i) => [i.child_id, i.child_ref, i.cpr].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of child_id, child_ref, cpr',
    path: ['child_id'],
  });

export type IngestItem = z.infer<typeof ingestItemSchema>;

export type ItemResult =
  | { index: number; outcome: 'accepted' | 'corrected' | 'unchanged'; measurement_id: string }
  | RejectedItem;

const SETTLE_CHUNK = 500;

interface Prepared {
  index: number;
  childId: string;
  item: IngestItem;
}

interface ExistingRow {
  id: string;
  child_id: string;
  kind_key: string;
  period: string;
  value: MeasurementValue | null;
  measured_on: string;
  status: string;
}

export const CHILD_OUT_OF_SCOPE = "the child has no enrolment at an institution in this integration's scope";

/** §7: an integration submits only the measurement kinds in its scope. Null when allowed. */
export function kindOutOfScope(actor: Principal, kind: string): string | null {
  const kinds = actor.role === 'integration' ? actor.scope?.kinds : null;
  return kinds && !kinds.includes(kind) ? `this integration may not submit '${kind}' measurements` : null;
}

/**
 * §7: with an institution scope, an integration submits only for children who have (had) an
 * enrolment at one of its institutions. Returns those children, or null when there is no
 * institution restriction.
 */
export async function childrenInScope(trx: Executor, actor: Principal, childIds: string[]): Promise<Set<string> | null> {
  const institutions = actor.role === 'integration' ? actor.scope?.institutions : null;
  if (!institutions) return null;
  if (!childIds.length || !institutions.length) return new Set();
  const rows = await trx
    .selectFrom('enrolments')
    .select('child_id')
    .distinct()
    .where('child_id', 'in', [...new Set(childIds)])
    .where('institution_id', 'in', institutions)
    .execute();
  return new Set(rows.map((r) => r.child_id));
}

const identityKey = (childId: string, kind: string, period: string) => `${childId}\u0000${kind}\u0000${period}`;

export class MeasurementIngest {
  constructor(private readonly deps: ServiceDeps) {}

  /** Ingests one chunk; `offset` is the index of its first item in the whole request. */
  async ingest(actor: Principal, raw: unknown[], offset = 0): Promise<ItemResult[]> {
    const { parsed, rejected } = parseItems(raw, offset, ingestItemSchema);
    const results: ItemResult[] = rejected;

    const out = await this.deps.db.transaction().execute(async (trx) => {
      const prepared = await this.prepare(trx, actor, parsed, results);
      const written = await this.write(trx, actor, prepared);
      return written;
    });
    results.push(...out.results);
    if (out.changed) this.deps.afterCommit();
    return results.sort((a, b) => a.index - b.index);
  }

  /** Resolves children, checks kinds, values, dates and scope; rejects what fails. */
  private async prepare(
    trx: Executor,
    actor: Principal,
    items: Array<{ index: number; item: IngestItem }>,
    results: ItemResult[],
  ): Promise<Prepared[]> {
    if (!items.length) return [];
    const kinds = new Map(
      (await trx.selectFrom('measurement_kinds').selectAll().execute()).map((k) => [k.key, k]),
    );
    const resolved = await resolveChildRefs(
      trx,
      this.deps.cpr,
      items.map((i) => i.item),
    );

    const today = businessDate(this.deps.clock(), this.deps.timeZone);
    const candidates: Prepared[] = [];
    for (const [n, { index, item }] of items.entries()) {
      const child = resolved[n]!;
      if ('field' in child) {
        results.push(rejectItem(index, 422, child.field, child.message));
        continue;
      }
      const kind = kinds.get(item.kind);
      if (!kind) {
        results.push(rejectItem(index, 422, 'kind', `unknown measurement kind '${item.kind}'`));
        continue;
      }
      const outOfScope = kindOutOfScope(actor, item.kind);
      if (outOfScope) {
        results.push(rejectItem(index, 403, 'kind', outOfScope));
        continue;
      }
      try {
        checkValue(kind, item.value, 'value');
      } catch (err) {
        if (!(err instanceof ProblemError)) throw err;
        results.push(rejectItem(index, err.status, 'value', err.message));
        continue;
      }
      if (item.measured_on < child.birth_date) {
        results.push(rejectItem(index, 422, 'measured_on', "is before the child's birth"));
        continue;
      }
      if (item.measured_on > today) {
        results.push(rejectItem(index, 422, 'measured_on', 'is in the future'));
        continue;
      }
      candidates.push({ index, childId: child.id, item });
    }

    const inScope = await childrenInScope(
      trx,
      actor,
      candidates.map((c) => c.childId),
    );
    if (!inScope) return candidates;
    return candidates.filter((c) => {
      if (inScope.has(c.childId)) return true;
      results.push(rejectItem(c.index, 403, 'child_id', CHILD_OUT_OF_SCOPE));
      return false;
    });
  }

  /** Stores a chunk: new identities inserted, changed ones revised, identical ones unchanged. */
  private async write(trx: Executor, actor: Principal, items: Prepared[]): Promise<{ results: ItemResult[]; changed: boolean }> {
    const results: ItemResult[] = [];
    const changedIds: string[] = [];
    // Rounds of distinct identities: a repeated identity is applied after its predecessor.
    let pending = items;
    while (pending.length) {
      const seen = new Set<string>();
      const round: Prepared[] = [];
      const later: Prepared[] = [];
      for (const p of pending) {
        const key = identityKey(p.childId, p.item.kind, p.item.period);
        (seen.has(key) ? later : round).push(p);
        seen.add(key);
      }
      await this.writeRound(trx, actor, round, results, changedIds);
      pending = later;
    }
    const unique = [...new Set(changedIds)];
    const messages = [];
    for (let i = 0; i < unique.length; i += SETTLE_CHUNK) {
      messages.push({ topic: 'settle' as const, payload: { measurementIds: unique.slice(i, i + SETTLE_CHUNK) } });
    }
    await enqueue(trx, messages);
    return { results, changed: unique.length > 0 };
  }

  private async writeRound(trx: Executor, actor: Principal, round: Prepared[], results: ItemResult[], changedIds: string[]) {
    const existing = await lockExisting(trx, round);
    const inserts: Prepared[] = [];
    const updates: Array<{ p: Prepared; row: ExistingRow }> = [];
    for (const p of round) {
      const row = existing.get(identityKey(p.childId, p.item.kind, p.item.period));
      if (!row) inserts.push(p);
      else if (row.status === 'active' && row.value === p.item.value && row.measured_on === p.item.measured_on) {
        results.push({ index: p.index, outcome: 'unchanged', measurement_id: row.id });
      } else updates.push({ p, row });
    }

    if (inserts.length) {
      const rows = await trx
        .insertInto('measurements')
        .values(
          inserts.map((p) => ({
            child_id: p.childId,
            kind_key: p.item.kind,
            period: p.item.period,
            value: JSON.stringify(p.item.value),
            measured_on: p.item.measured_on,
            source: p.item.source ?? null,
            status: 'active' as const,
            submitted_by: actor.keyId,
          })),
        )
        // A concurrent writer inserted the same identity first: retried below as a correction.
        .onConflict((oc) => oc.columns(['child_id', 'kind_key', 'period']).doNothing())
        .returning(['id', 'child_id', 'kind_key', 'period', 'revision', 'status', 'value', 'measured_on', 'source', 'submitted_by'])
        .execute();
      const byKey = new Map(rows.map((r) => [identityKey(r.child_id, r.kind_key, r.period), r]));
      const lost: Prepared[] = [];
      for (const p of inserts) {
        const r = byKey.get(identityKey(p.childId, p.item.kind, p.item.period));
        if (r) {
          results.push({ index: p.index, outcome: 'accepted', measurement_id: r.id });
          changedIds.push(r.id);
        } else lost.push(p);
      }
      await insertRevisions(trx, rows);
      if (lost.length) await this.writeRound(trx, actor, lost, results, changedIds);
    }

    if (updates.length) {
      const rows = await sql<{
        id: string;
        revision: number;
        status: string;
        value: unknown;
        measured_on: string;
        source: string | null;
        submitted_by: string | null;
      }>`
        update measurements m set
          status = 'active', value = v.value::jsonb, measured_on = v.measured_on::date, source = v.source,
          submitted_by = ${actor.keyId}::uuid, revision = m.revision + 1, gen = m.gen + 1, updated_at = now()
        from (select unnest(${updates.map((u) => u.row.id)}::uuid[]) as id,
                     unnest(${updates.map((u) => JSON.stringify(u.p.item.value))}::text[]) as value,
                     unnest(${updates.map((u) => u.p.item.measured_on)}::text[]) as measured_on,
                     unnest(${updates.map((u) => u.p.item.source ?? null)}::text[]) as source) v
        where m.id = v.id
        returning m.id, m.revision, m.status, m.value, m.measured_on::text as measured_on, m.source, m.submitted_by`.execute(trx);
      await insertRevisions(trx, rows.rows);
      for (const u of updates) {
        results.push({ index: u.p.index, outcome: 'corrected', measurement_id: u.row.id });
        changedIds.push(u.row.id);
      }
    }
  }
}

async function lockExisting(trx: Executor, round: Prepared[]): Promise<Map<string, ExistingRow>> {
  if (!round.length) return new Map();
  const { rows } = await sql<ExistingRow>`
    select m.id, m.child_id, m.kind_key, m.period, m.value, m.measured_on::text as measured_on, m.status
    from measurements m
    join (select unnest(${round.map((p) => p.childId)}::uuid[]) as child_id,
                 unnest(${round.map((p) => p.item.kind)}::text[]) as kind_key,
                 unnest(${round.map((p) => p.item.period)}::text[]) as period) v
      on m.child_id = v.child_id and m.kind_key = v.kind_key and m.period = v.period
    order by m.id
    for update of m`.execute(trx);
  return new Map(rows.map((r) => [identityKey(r.child_id, r.kind_key, r.period), r]));
}

async function insertRevisions(
  trx: Executor,
  rows: Array<{ id: string; revision: number; status: string; value: unknown; measured_on: string; source: string | null; submitted_by: string | null }>,
) {
  if (!rows.length) return;
  await trx
    .insertInto('measurement_revisions')
    .values(
      rows.map((r) => ({
        measurement_id: r.id,
        revision: r.revision,
        status: r.status,
        value: JSON.stringify(r.value),
        measured_on: r.measured_on,
        source: r.source,
        submitted_by: r.submitted_by,
      })),
    )
    .execute();
}
