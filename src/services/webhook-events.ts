import type { Executor } from '../db/database.js';
import { enqueue } from '../repositories/outbox.js';
import * as repo from '../repositories/webhooks.js';
import { bodyFor, eventIdOf, isFor, type DomainEvent } from '../webhooks/events.js';

/** Deliveries per outbox message (the relay turns each id into one queue job). */
const OUTBOX_CHUNK = 500;

/**
 * Records events in the caller's transaction — the same one as the change they report — and
 * fans them out: one delivery per interested active subscription, each with its body rendered
 * and stored now, and an outbox message that puts the deliveries on the webhook queue after
 * commit. With no interested subscription nothing is written at all (one small query), so
 * settlement pays for webhooks only when someone listens. An event whose dedupe key was seen
 * before (a refusal raised again) is dropped. Returns how many deliveries were created; the
 * caller calls `afterCommit()` when it is more than 0 and it wants them sent at once.
 */
export async function publishEvents(db: Executor, events: DomainEvent[], now: Date): Promise<number> {
  if (!events.length) return 0;
  const subscriptions = await repo.activeFor(db, [...new Set(events.map((e) => e.type))]);
  if (!subscriptions.length) return 0;
  const planned = events.map((event) => ({ event, id: eventIdOf(event), to: subscriptions.filter((s) => isFor(s, event)) })).filter((p) => p.to.length > 0);
  if (!planned.length) return 0;
  const inserted = await repo.insertEvents(
    db,
    planned.map((p) => ({ id: p.id, type: p.event.type, occurred_at: now, data: p.event.data })),
  );
  const deliveries = planned
    .filter((p) => inserted.has(p.id))
    .flatMap((p) => p.to.map((s) => ({ subscription_id: s.id, event_id: p.id, body: bodyFor(s, p.event, now), next_attempt_at: now })));
  const ids = await repo.insertDeliveries(db, deliveries);
  for (let i = 0; i < ids.length; i += OUTBOX_CHUNK) {
    await enqueue(db, [{ topic: 'webhook-deliver', payload: { deliveryIds: ids.slice(i, i + OUTBOX_CHUNK) } }]);
  }
  return ids.length;
}
