import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEventsTable, WebhookSubscriptionsTable } from '../db/schema.js';

/** Webhook subscriptions, events, deliveries and the delivery log (SQL only). */
export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

export type SubscriptionOwner = { kind: 'all' } | { kind: 'institution'; id: string } | { kind: 'integration'; keyId: string };

function owned(db: Executor, owner: SubscriptionOwner) {
  const q = db.selectFrom('webhook_subscriptions').selectAll();
  if (owner.kind === 'institution') return q.where('institution_id', '=', owner.id);
  if (owner.kind === 'integration') return q.where('integration_key_id', '=', owner.keyId);
  return q;
}

export async function insertSubscription(
  db: Executor,
  row: Omit<
    SubscriptionRow,
    'status' | 'disabled_at' | 'disabled_reason' | 'created_at' | 'updated_at' | 'previous_secret' | 'previous_secret_until' | 'secret_rotated_at'
  >,
): Promise<SubscriptionRow> {
  return db
    .insertInto('webhook_subscriptions')
    .values({ ...row, status: 'active' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getSubscription(db: Executor, id: string, owner: SubscriptionOwner, lock = false): Promise<SubscriptionRow | undefined> {
  let q = owned(db, owner).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listSubscriptions(db: Executor, owner: SubscriptionOwner, after: string | null, limit: number): Promise<SubscriptionRow[]> {
  let q = owned(db, owner).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return q.execute();
}

export async function updateSubscription(
  db: Executor,
  id: string,
  patch: Partial<
    Pick<
      SubscriptionRow,
      | 'url'
      | 'events'
      | 'description'
      | 'status'
      | 'disabled_at'
      | 'disabled_reason'
      | 'secret'
      | 'previous_secret'
      | 'previous_secret_until'
      | 'secret_rotated_at'
    >
  >,
): Promise<SubscriptionRow> {
  return db
    .updateTable('webhook_subscriptions')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Active subscriptions that want any of these event types (a small table; read per publishing transaction). */
export async function activeFor(db: Executor, types: string[]): Promise<SubscriptionRow[]> {
  if (!types.length) return [];
  return db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('status', '=', 'active')
    .where(sql<boolean>`events && ${sql.val(types)}::text[]`)
    .orderBy('id')
    .execute();
}

/** Inserts the events; returns the ids actually inserted (an event with a known id is a repeat). */
export async function insertEvents(
  db: Executor,
  events: Array<Pick<Selectable<WebhookEventsTable>, 'id' | 'type' | 'occurred_at' | 'data'>>,
): Promise<Set<string>> {
  if (!events.length) return new Set();
  const rows = await db
    .insertInto('webhook_events')
    .values(events.map((e) => ({ ...e, data: JSON.stringify(e.data) })))
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function insertDeliveries(
  db: Executor,
  rows: Array<Pick<DeliveryRow, 'subscription_id' | 'event_id' | 'body'> & { next_attempt_at: Date }>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000).map((r) => ({ ...r, status: 'pending' as const }));
    ids.push(...(await db.insertInto('webhook_deliveries').values(chunk).returning('id').execute()).map((r) => r.id));
  }
  return ids;
}

/**
 * Takes a due delivery for one attempt: pending, due, its subscription active, and no other
 * attempt holding it (a lease that outlives a crashed worker). Returns it with its subscription.
 */
export async function claimDelivery(
  db: Executor,
  id: string,
  now: Date,
  leaseMs: number,
  earlyMs: number,
): Promise<{ delivery: DeliveryRow; subscription: SubscriptionRow } | undefined> {
  const delivery = await db
    .updateTable('webhook_deliveries')
    .set({ lease_until: new Date(now.getTime() + leaseMs) })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', new Date(now.getTime() + earlyMs))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .where((eb) =>
      eb.exists(
        eb.selectFrom('webhook_subscriptions as s').select('s.id').whereRef('s.id', '=', 'webhook_deliveries.subscription_id').where('s.status', '=', 'active'),
      ),
    )
    .returningAll()
    .executeTakeFirst();
  if (!delivery) return undefined;
  const subscription = await db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', delivery.subscription_id).executeTakeFirstOrThrow();
  return { delivery, subscription };
}

export async function recordAttempt(db: Executor, row: Omit<AttemptRow, 'id' | 'at'> & { at: Date }): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

/** A notice: who it concerns (a delivery, or none for the subscription as a whole), when, and what happened. */
type Notice = Pick<AttemptRow, 'subscription_id'> & Partial<Pick<AttemptRow, 'delivery_id'>> & { at: Date; message: string };

/** A line in a subscription's delivery log that is not an attempt: who rotated, enabled, disabled, redelivered, gave up. */
export async function recordNotice(db: Executor, n: Notice): Promise<void> {
  await recordAttempt(db, {
    delivery_id: n.delivery_id ?? null,
    subscription_id: n.subscription_id,
    kind: 'notice',
    at: n.at,
    attempt_no: null,
    status_code: null,
    error: null,
    duration_ms: null,
    message: n.message,
  });
}

export async function updateDelivery(
  db: Executor,
  id: string,
  patch: Partial<Omit<DeliveryRow, 'id' | 'subscription_id' | 'event_id' | 'body' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('webhook_deliveries').set(patch).where('id', '=', id).execute();
}

/** Whether the subscription has delivered anything since `since` (a success stops it being disabled). */
export async function deliveredSince(db: Executor, subscriptionId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('subscription_id', '=', subscriptionId)
    .where('delivered_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** Deliveries whose attempt is due and not held, of active subscriptions (the sweeper re-enqueues them). */
export async function dueDeliveries(
  db: Executor,
  now: Date,
  limit: number,
): Promise<Array<Pick<DeliveryRow, 'id' | 'attempts' | 'next_attempt_at' | 'lease_until'>>> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select(['d.id', 'd.attempts', 'd.next_attempt_at', 'd.lease_until'])
    .where('d.status', '=', 'pending')
    .where('s.status', '=', 'active')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
    .orderBy('d.next_attempt_at')
    .limit(limit)
    .execute();
}

export async function getDelivery(db: Executor, subscriptionId: string, id: string, lock = false): Promise<(DeliveryRow & { type: string }) | undefined> {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type')
    .where('d.id', '=', id)
    .where('d.subscription_id', '=', subscriptionId);
  if (lock) q = q.forUpdate('d');
  return q.executeTakeFirst();
}

export async function listDeliveries(
  db: Executor,
  subscriptionId: string,
  after: string | null,
  limit: number,
): Promise<Array<DeliveryRow & { type: string }>> {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type')
    .where('d.subscription_id', '=', subscriptionId)
    .orderBy('d.id')
    .limit(limit);
  if (after) q = q.where('d.id', '>', after);
  return q.execute();
}

export async function attemptsOf(
  db: Executor,
  subscriptionId: string,
  deliveryIds: string[] | null,
  after: bigint | null,
  limit: number,
): Promise<AttemptRow[]> {
  let q = db.selectFrom('webhook_attempts').selectAll().where('subscription_id', '=', subscriptionId).orderBy('id').limit(limit);
  if (deliveryIds) q = q.where('delivery_id', 'in', deliveryIds.length ? deliveryIds : ['00000000-0000-0000-0000-000000000000']);
  if (after !== null) q = q.where('id', '>', after);
  return q.execute();
}

/** Pending deliveries of a subscription, to enqueue again when it is enabled again. */
export async function pendingOf(db: Executor, subscriptionId: string): Promise<Array<Pick<DeliveryRow, 'id' | 'attempts' | 'next_attempt_at'>>> {
  return db
    .selectFrom('webhook_deliveries')
    .select(['id', 'attempts', 'next_attempt_at'])
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'pending')
    .execute();
}

/** Makes a subscription's pending deliveries due now (it was enabled again). */
export async function makePendingDue(db: Executor, subscriptionId: string, now: Date): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: now, first_attempt_at: null, lease_until: null })
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'pending')
    .execute();
}

/** Deliveries not yet delivered (for /metrics; read from the partial index of pending ones). */
export async function pendingDeliveryCount(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select(sql<string>`count(*)::text`.as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Subscriptions with a secret not sealed under `activeKeyId` (in clear, or under an older key): sealed again at start. */
export async function secretsToSeal(db: Executor, activeKeyId: string): Promise<Array<Pick<SubscriptionRow, 'id' | 'secret' | 'previous_secret'>>> {
  const current = `enc:v1:${activeKeyId}:%`;
  return db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'secret', 'previous_secret'])
    .where((eb) => eb.or([eb('secret', 'not like', current), eb.and([eb('previous_secret', 'is not', null), eb('previous_secret', 'not like', current)])]))
    .orderBy('id')
    .execute();
}

/** Writes a subscription's secrets sealed afresh, if they are still the ones read (`expected`). */
export async function resealSecrets(
  db: Executor,
  id: string,
  expected: Pick<SubscriptionRow, 'secret' | 'previous_secret'>,
  sealed: Pick<SubscriptionRow, 'secret' | 'previous_secret'>,
): Promise<boolean> {
  const res = await db
    .updateTable('webhook_subscriptions')
    .set(sealed)
    .where('id', '=', id)
    .where('secret', '=', expected.secret)
    .where((eb) => (expected.previous_secret === null ? eb('previous_secret', 'is', null) : eb('previous_secret', '=', expected.previous_secret)))
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Forgets previous secrets whose overlap has ended (they no longer sign anything). */
export async function dropExpiredPreviousSecrets(db: Executor, now: Date): Promise<number> {
  const res = await db
    .updateTable('webhook_subscriptions')
    .set({ previous_secret: null, previous_secret_until: null })
    .where('previous_secret_until', '<=', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
