import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { newId } from '../domain/ids.js';
import { ProblemError } from '../domain/problem.js';
import * as measurementsRepo from '../repositories/measurements.js';
import { enqueue, type OutboxMessage } from '../repositories/outbox.js';
import { arrayLiteral, joinedTexts } from '../db/bulk.js';
import { isIsoDate } from '../settlement/dates.js';
import { businessDate } from './business-date.js';
import type { ServiceDeps } from './deps.js';
import { checkValue } from '../domain/measurement-value.js';
import { UNKNOWN_CHILD, childRefField, resolveChildRefs } from './child-refs.js';
import { childrenInScope, kindOutOfScope, unknownChildMessage } from './scope.js';
import { parseItems, rejectItem, type RejectedItem } from './batch-items.js';
import { checkPeriod, type KindPlausibility, type PeriodSpec } from '../domain/periods.js';
import { allMeasurementKinds, listPeriods, type KindPeriodRow, type MeasurementKindRow } from '../repositories/kinds.js';

/**
 * The one write path for measurements, single or batched. A chunk of items is validated in
 * bulk (children resolved by id, external reference or CPR HMAC; values against their kind;
 * integration scope) and stored in ONE transaction with its outbox rows: a bad item is
 * reported and skipped, never rejecting the good ones; a failure of the transaction leaves
 * earlier chunks stored. Within a chunk an identity seen twice is applied in order (the
 * second is a correction of the first).
 */
/** A measurement's identity, the child named as in a submission: by id, external reference or CPR. */
export const measurementIdentityShape = {
  child_id: z.uuid().optional(),
  child_ref: z.string().trim().min(1).max(200).optional(),
  cpr: z.string().max(20).optional(),
  kind: z.string().min(1).max(64),
  period: z.string().trim().min(1).max(64),
};

/** Exactly one of child_id, child_ref, cpr: the refinement a submission and a retraction both carry. */
export const hasOneChildReference = (i: { child_id?: string | undefined; child_ref?: string | undefined; cpr?: string | undefined }): boolean =>
  [i.child_id, i.child_ref, i.cpr].filter((x) => x !== undefined).length === 1;
export const oneChildReference = { message: 'give exactly one of child_id, child_ref, cpr', path: ['child_id'] };

export const ingestItemSchema = z
  .strictObject({
    ...measurementIdentityShape,
    value: z.union([z.string().max(200), z.number(), z.boolean()]),
    measured_on: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD'),
    source: z.string().trim().max(200).nullish(),
  })
  .refine(hasOneChildReference, oneChildReference);

export type IngestItem = z.infer<typeof ingestItemSchema>;

/** Items per transaction of a batch: large enough to amortise the per-chunk queries and commit. */
export const INGEST_CHUNK = 5_000;

/** From this many items a chunk is first tried as all new (see ingest). */
const OPTIMISTIC_FROM = 100;

const UUID = z.regexes.uuid(); // what z.uuid() tests
const ITEM_KEYS = new Set(['child_id', 'child_ref', 'cpr', 'kind', 'period', 'value', 'measured_on', 'source']);

function trimmedWithin(v: unknown, min: number, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t.length >= min && t.length <= max ? t : undefined;
}

/**
 * `ingestItemSchema`'s output for an item that certainly passes it, without zod's per-item
 * cost; undefined for anything else, which the schema then judges (and names the field).
 * Never accepts what the schema refuses: every test is the schema's own, or stricter.
 */
export function quickItem(v: unknown): IngestItem | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  for (const k in o) if (!ITEM_KEYS.has(k)) return undefined;
  const { child_id, child_ref, cpr, kind, value, measured_on, source } = o;
  if ((child_id !== undefined ? 1 : 0) + (child_ref !== undefined ? 1 : 0) + (cpr !== undefined ? 1 : 0) !== 1) return undefined;
  if (child_id !== undefined && (typeof child_id !== 'string' || !UUID.test(child_id))) return undefined;
  if (cpr !== undefined && (typeof cpr !== 'string' || cpr.length > 20)) return undefined;
  if (typeof kind !== 'string' || kind.length < 1 || kind.length > 64) return undefined;
  if (typeof value === 'string' ? value.length > 200 : typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'boolean') return undefined;
  if (!isIsoDate(measured_on)) return undefined;
  const period = trimmedWithin(o.period, 1, 64);
  if (period === undefined) return undefined;
  const ref = child_ref === undefined ? undefined : trimmedWithin(child_ref, 1, 200);
  if (child_ref !== undefined && ref === undefined) return undefined;
  const src = source === undefined || source === null ? source : trimmedWithin(source, 0, 200);
  if (src === undefined && source !== undefined) return undefined;
  // Nothing to trim (the usual case): the object itself is the schema's output.
  if (period === o.period && ref === child_ref && src === source) return o as IngestItem;
  const item: IngestItem = { kind, period, value: value as IngestItem['value'], measured_on };
  if (child_id !== undefined) item.child_id = child_id as string;
  if (cpr !== undefined) item.cpr = cpr as string;
  if (ref !== undefined) item.child_ref = ref;
  if (source !== undefined) item.source = src as string | null;
  return item;
}

export type ItemResult = { index: number; outcome: 'accepted' | 'corrected' | 'unchanged'; measurement_id: string } | RejectedItem;

const SETTLE_CHUNK = 500;

interface Prepared {
  index: number;
  childId: string;
  item: IngestItem;
}

/** Each kind's validity dates and declared periods, from rows loaded once per chunk. */
function plausibilityMap(kinds: Array<Pick<MeasurementKindRow, 'key' | 'valid_from' | 'valid_to'>>, periods: KindPeriodRow[]): Map<string, KindPlausibility> {
  const map = new Map<string, KindPlausibility & { periods: Map<string, PeriodSpec> }>(
    kinds.map((k) => [k.key, { key: k.key, valid_from: k.valid_from, valid_to: k.valid_to, periods: new Map() }]),
  );
  for (const p of periods) map.get(p.kind_key)?.periods.set(p.period, p);
  return map;
}

const identityKey = (childId: string, kind: string, period: string) => `${childId}\u0000${kind}\u0000${period}`;

/** The settle messages for changed measurements: SETTLE_CHUNK ids each, in the order given. */
function settleMessages(ids: readonly string[]): OutboxMessage[] {
  const messages: OutboxMessage[] = [];
  for (let i = 0; i < ids.length; i += SETTLE_CHUNK) messages.push({ topic: 'settle', payload: { measurementIds: ids.slice(i, i + SETTLE_CHUNK) } });
  return messages;
}

/** A chunk of distinct identities stored as all new: the statement's columns, its messages and the results if it succeeds. */
interface AllNew {
  columns: measurementsRepo.NewMeasurementLiterals;
  messages: OutboxMessage[];
  results: ItemResult[];
}

/**
 * The one statement that stores `items` if every identity is new (`insertAnnouncedNew`), built
 * before it is sent; null if an identity repeats within the chunk (then a later item corrects an
 * earlier one: rounds, see `write`). The ids are made here (`newId`, time-ordered UUIDv7, D227),
 * so the outbox messages and the results are known before the statement runs and nothing needs
 * to come back.
 */
function allNew(items: readonly Prepared[]): AllNew | null {
  const seen = new Set<string>();
  for (const p of items) {
    const key = identityKey(p.childId, p.item.kind, p.item.period);
    if (seen.has(key)) return null;
    seen.add(key);
  }
  const ids = items.map(() => newId());
  return {
    columns: {
      ids: arrayLiteral(ids),
      childIds: arrayLiteral(items.map((p) => p.childId)),
      kinds: arrayLiteral(items.map((p) => p.item.kind)),
      periods: arrayLiteral(items.map((p) => p.item.period)),
      values: joinedTexts(
        items.map((p) => JSON.stringify(p.item.value)),
        'value',
      ),
      measuredOns: arrayLiteral(items.map((p) => p.item.measured_on)),
      sources: arrayLiteral(items.map((p) => p.item.source ?? null)),
    },
    messages: settleMessages(ids),
    results: items.map((p, i) => ({ index: p.index, outcome: 'accepted', measurement_id: ids[i]! })),
  };
}

export class MeasurementIngest {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Ingests one chunk; `offset` is the index of its first item in the whole request. With
   * `previous` (the chunk before, still being stored) the items are checked at once and stored
   * only after it: a stream's chunks are stored in order, one transaction at a time.
   */
  async ingest(actor: Principal, raw: unknown[], offset = 0, previous?: Promise<unknown>): Promise<ItemResult[]> {
    const { parsed, rejected } = parseItems(raw, offset, ingestItemSchema, quickItem);
    const results: ItemResult[] = rejected;
    // The checks only read (children, kinds, scope; nothing a chunk writes), outside the storing
    // transaction as they always were outside any lock: so they run while `previous` is stored.
    const prepared = await this.prepare(this.deps.db, actor, parsed, results);
    // A bulk chunk of distinct identities (the usual one) is built into its one statement now,
    // while `previous` is still being stored: once it is, the statement goes out at once.
    const bulk = prepared.length >= OPTIMISTIC_FROM ? allNew(prepared) : null;
    if (previous) await previous;
    if (prepared.length) {
      const store = (optimistic: boolean) => this.deps.db.transaction().execute((trx) => this.write(trx, actor, prepared, optimistic));
      let out: { results: ItemResult[]; changed: boolean };
      try {
        // Optimistic for a bulk chunk: plain inserts; an existing identity fails the statement
        // (or transaction), which is redone with the identities looked up (corrections, repeats
        // of an earlier chunk). A few items (a single submit) are looked up at once: no failed
        // statement.
        if (bulk) {
          await measurementsRepo.insertAnnouncedNew(this.deps.db, bulk.columns, actor.keyId, bulk.messages);
          out = { results: bulk.results, changed: true };
        } else out = await store(prepared.length >= OPTIMISTIC_FROM);
      } catch (err) {
        if (!measurementsRepo.isIdentityConflict(err)) throw err;
        out = await store(false);
      }
      results.push(...out.results);
      if (out.changed) this.deps.afterCommit();
    }
    return results.sort((a, b) => a.index - b.index);
  }

  /**
   * Resolves children, checks kinds, values, dates, plausible periods and scope; rejects what
   * fails. Everything is read once per chunk (kinds, the chunk's kinds' periods, children):
   * no query per item.
   */
  private async prepare(db: Executor, actor: Principal, items: Array<{ index: number; item: IngestItem }>, results: ItemResult[]): Promise<Prepared[]> {
    if (!items.length) return [];
    const [kindRows, periodRows, resolved] = await Promise.all([
      allMeasurementKinds(db),
      listPeriods(db, [...new Set(items.map((i) => i.item.kind))]),
      resolveChildRefs(
        db,
        this.deps.cpr,
        items.map((i) => i.item),
      ),
    ]);
    const kinds = new Map(kindRows.map((k) => [k.key, k]));
    const plausibility = plausibilityMap(kindRows, periodRows);
    // Scope before anything that depends on the child (its birth date): a child outside an
    // integration's scope is rejected exactly as an unknown one (DECISIONS 62).
    const inScope = await childrenInScope(
      db,
      actor,
      resolved.flatMap((c) => ('id' in c ? [c.id] : [])),
    );

    const today = businessDate(this.deps.clock(), this.deps.timeZone);
    const candidates: Prepared[] = [];
    for (const [n, { index, item }] of items.entries()) {
      const child = resolved[n]!;
      if ('field' in child) {
        results.push(rejectItem(index, 422, child.field, child.message === UNKNOWN_CHILD ? unknownChildMessage(actor) : child.message));
        continue;
      }
      if (inScope && !inScope.has(child.id)) {
        results.push(rejectItem(index, 422, childRefField(item), unknownChildMessage(actor)));
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
      const implausible = checkPeriod(plausibility.get(item.kind)!, item.period, item.measured_on, child.birth_date);
      if (implausible) {
        results.push(rejectItem(index, 422, implausible.field, implausible.message));
        continue;
      }
      candidates.push({ index, childId: child.id, item });
    }
    return candidates;
  }

  /** Stores a chunk: new identities inserted, changed ones revised, identical ones unchanged. */
  private async write(trx: Executor, actor: Principal, items: Prepared[], optimistic: boolean): Promise<{ results: ItemResult[]; changed: boolean }> {
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
      // A later round repeats identities of an earlier one: never new.
      await this.writeRound(trx, actor, round, results, changedIds, optimistic && pending === items);
      pending = later;
    }
    const unique = [...new Set(changedIds)];
    await enqueue(trx, settleMessages(unique));
    return { results, changed: unique.length > 0 };
  }

  /**
   * One round of distinct identities. Insert first: a new identity (the common case) costs no
   * lookup; an existing one is skipped by the insert (or, `optimistic`, fails the transaction),
   * then locked and compared.
   */
  private async writeRound(trx: Executor, actor: Principal, round: Prepared[], results: ItemResult[], changedIds: string[], optimistic = false) {
    const cols: measurementsRepo.IngestColumns = { childIds: [], kinds: [], periods: [], values: [], measuredOns: [], sources: [] };
    for (const { childId, item } of round) {
      cols.childIds.push(childId);
      cols.kinds.push(item.kind);
      cols.periods.push(item.period);
      cols.values.push(JSON.stringify(item.value));
      cols.measuredOns.push(item.measured_on);
      cols.sources.push(item.source ?? null);
    }
    const inserted = await measurementsRepo.insertMany(trx, cols, actor.keyId, !optimistic);
    // Rows come back in the order given; if not (or some were skipped), match them by identity.
    const inOrder =
      inserted.length === round.length &&
      inserted.every((r, i) => r.child_id === round[i]!.childId && r.period === round[i]!.item.period && r.kind_key === round[i]!.item.kind);
    const newIds = inOrder ? null : new Map(inserted.map((r) => [identityKey(r.child_id, r.kind_key, r.period), r.id]));
    const present: Prepared[] = [];
    round.forEach((p, i) => {
      const id = newIds ? newIds.get(identityKey(p.childId, p.item.kind, p.item.period)) : inserted[i]!.id;
      if (id === undefined) present.push(p);
      else {
        results.push({ index: p.index, outcome: 'accepted', measurement_id: id });
        changedIds.push(id);
      }
    });
    if (!present.length) return;

    const existing = new Map(
      (
        await measurementsRepo.lockByIdentities(
          trx,
          present.map((p) => ({ childId: p.childId, kind: p.item.kind, period: p.item.period })),
        )
      ).map((r) => [identityKey(r.child_id, r.kind_key, r.period), r]),
    );
    const updates: Array<{ p: Prepared; id: string }> = [];
    const vanished: Prepared[] = [];
    for (const p of present) {
      const row = existing.get(identityKey(p.childId, p.item.kind, p.item.period));
      if (!row) vanished.push(p);
      else if (row.status === 'active' && row.value === p.item.value && row.measured_on === p.item.measured_on) {
        results.push({ index: p.index, outcome: 'unchanged', measurement_id: row.id });
      } else updates.push({ p, id: row.id });
    }
    await measurementsRepo.reviseMany(
      trx,
      updates.map(({ p, id }) => ({ id, value: JSON.stringify(p.item.value), measuredOn: p.item.measured_on, source: p.item.source ?? null })),
      actor.keyId,
    );
    for (const { p, id } of updates) {
      results.push({ index: p.index, outcome: 'corrected', measurement_id: id });
      changedIds.push(id);
    }
    // Skipped by the insert but gone by the lookup: only if a row is deleted in between; try again.
    if (vanished.length) await this.writeRound(trx, actor, vanished, results, changedIds);
  }
}
