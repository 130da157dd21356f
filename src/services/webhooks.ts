import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { decodeCursor, pageOf } from '../domain/paging.js';
import { problems, ProblemError } from '../domain/problem.js';
import { webhookJob } from '../queue/outbox-relay.js';
import type { Job } from '../queue/types.js';
import * as repo from '../repositories/webhooks.js';
import { findInstitutionByRef } from '../repositories/institutions.js';
import { EVENTS_FOR_ROLE, type EventType } from '../webhooks/events.js';
import { afterFailure, type RetryPolicy } from '../webhooks/schedule.js';
import { newSigningSecret, SecretUnreadable, type WebhookSecretBox } from '../webhooks/secret-box.js';
import { sendWebhook, signedHeaders } from '../webhooks/sender.js';
import { checkTarget, type TargetPolicy } from '../webhooks/targets.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';
import type { PageQuery } from './funds.js';

export interface WebhookOptions extends TargetPolicy, RetryPolicy {
  timeoutMs: number;
  /** How long past due a delivery must be before the sweeper enqueues it again. */
  sweepGraceMs: number;
  /** Puts delivery jobs on the webhook queue (failures are left to the sweeper). */
  enqueue: (jobs: Job[]) => Promise<void>;
  /** Seals and opens the signing secrets (WEBHOOK_SECRET_KEYS). */
  secrets: WebhookSecretBox;
  /** How long a rotated-out secret keeps signing when the rotation names no overlap (hours). */
  secretOverlapHours: number;
}

const HOUR_MS = 3_600_000;

export interface SubscriptionInput {
  url: string;
  events: EventType[];
  description?: string | null | undefined;
  /** Admin only: the institution (id or code) whose events the subscription is limited to. */
  institution?: string | null | undefined;
}

export type SubscriptionPatch = Partial<Pick<SubscriptionInput, 'url' | 'events' | 'description'>> & { enabled?: boolean | undefined };

function ownerOf(actor: Principal): repo.SubscriptionOwner {
  if (actor.role === 'institution') return { kind: 'institution', id: actor.institutionId! };
  if (actor.role === 'integration') return { kind: 'integration', keyId: actor.keyId };
  return { kind: 'all' };
}

/**
 * Webhook subscriptions and their deliveries. Events are recorded and fanned out by
 * `publishEvents` in the transaction of the change; this service runs each attempt (one queue
 * job), schedules retries with exponential back-off for the retry window, disables a
 * subscription whose endpoint failed for the whole window, and redelivers on request.
 */
export class WebhookService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly opts: WebhookOptions,
  ) {}

  private async assertEvents(actor: Principal, events: EventType[], scoped: boolean): Promise<void> {
    const allowed = scoped ? EVENTS_FOR_ROLE.institution : EVENTS_FOR_ROLE[actor.role === 'auditor' ? 'admin' : actor.role];
    const bad = events.findIndex((e) => !allowed.includes(e));
    if (bad >= 0) {
      const message = `a ${scoped && actor.role === 'admin' ? 'subscription for one institution' : `${actor.role} key`} cannot subscribe to ${events[bad]}`;
      throw new ProblemError(403, 'forbidden', message, [{ field: `body.events.${bad}`, message }]);
    }
  }

  private async assertTarget(url: string): Promise<void> {
    const check = await checkTarget(url, this.opts);
    if (!check.ok) throw problems.invalid('body.url', check.message);
  }

  async create(actor: Principal, input: SubscriptionInput) {
    if (input.institution != null && actor.role !== 'admin')
      throw problems.invalid('body.institution', 'only an admin key names the institution; other keys subscribe to their own events');
    const institution = input.institution != null ? await findInstitutionByRef(this.deps.db, input.institution) : null;
    if (input.institution != null && !institution) throw problems.invalid('body.institution', 'is not a known institution (id or code)');
    await this.assertEvents(actor, input.events, institution !== null);
    await this.assertTarget(input.url);
    const owner = ownerOf(actor);
    const id = randomUUID();
    const secret = newSigningSecret();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.insertSubscription(trx, {
        id,
        url: input.url,
        events: [...new Set(input.events)],
        institution_id: institution?.id ?? (owner.kind === 'institution' ? owner.id : null),
        integration_key_id: owner.kind === 'integration' ? owner.keyId : null,
        owner_key_id: actor.keyId,
        secret: this.opts.secrets.seal(id, secret),
        description: input.description ?? null,
      });
      await recordAudit(trx, actor, 'webhook.create', { type: 'webhook_subscription', id: row.id }, { url: row.url, events: row.events });
      return row;
    });
    // The secret in clear leaves only in this answer; the row holds it sealed.
    return { row, secret };
  }

  /**
   * Issues a new signing secret (returned once). The current one keeps signing beside it for
   * `overlapHours` (default WEBHOOK_SECRET_OVERLAP_HOURS; 0 ends it now, for a leaked secret):
   * every delivery in the overlap carries both signatures, so a receiver can switch at its own
   * pace. A secret rotated out before is dropped: at most two sign at once. Audited and noted in
   * the delivery log, neither with any secret.
   */
  async rotateSecret(actor: Principal, id: string, overlapHours?: number) {
    await this.get(actor, id);
    const overlap = overlapHours ?? this.opts.secretOverlapHours;
    const now = this.deps.clock();
    const secret = newSigningSecret();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const locked = (await repo.getSubscription(trx, id, ownerOf(actor), true))!;
      // A current secret that no longer opens (its key left the ring) cannot sign: not kept.
      const keep = overlap > 0 && this.readable(id, locked.secret);
      const until = keep ? new Date(now.getTime() + overlap * HOUR_MS) : null;
      const row = await repo.updateSubscription(trx, id, {
        secret: this.opts.secrets.seal(id, secret),
        previous_secret: keep ? locked.secret : null,
        previous_secret_until: until,
        secret_rotated_at: now,
      });
      const until_ = until?.toISOString() ?? null;
      await repo.recordNotice(trx, {
        subscription_id: id,
        at: now,
        message: `signing secret rotated by key ${actor.keyId}; ${until_ ? `the previous secret also signs until ${until_}` : 'the previous secret no longer signs'}`,
      });
      await recordAudit(
        trx,
        actor,
        'webhook.rotate_secret',
        { type: 'webhook_subscription', id },
        { overlap_hours: keep ? overlap : 0, previous_secret_until: until_ },
      );
      return row;
    });
    return { row, secret };
  }

  private readable(id: string, stored: string): boolean {
    try {
      this.opts.secrets.open(id, stored);
      return true;
    } catch {
      return false;
    }
  }

  /** The secrets that sign now: the current one, and the previous one during its overlap. */
  private signingSecrets(sub: repo.SubscriptionRow, at: Date): string[] {
    const secrets = [this.opts.secrets.open(sub.id, sub.secret)];
    if (sub.previous_secret && sub.previous_secret_until && sub.previous_secret_until > at) {
      try {
        secrets.push(this.opts.secrets.open(sub.id, sub.previous_secret));
      } catch (err) {
        // The previous secret is a courtesy: the current one still signs.
        this.deps.log.warn({ subscription: sub.id, err: (err as Error).message }, 'previous webhook secret unreadable; signing with the current one only');
      }
    }
    return secrets;
  }

  async get(actor: Principal, id: string) {
    const row = await repo.getSubscription(this.deps.db, id, ownerOf(actor));
    // Another owner's subscription is "not found": its existence is not theirs to learn.
    if (!row) throw problems.notFound('The webhook subscription', 'params.id');
    return row;
  }

  async list(actor: Principal, q: PageQuery) {
    const rows = await repo.listSubscriptions(this.deps.db, ownerOf(actor), decodeCursor(q.cursor), q.limit + 1);
    return pageOf(rows, q.limit, (r) => r.id);
  }

  async update(actor: Principal, id: string, patch: SubscriptionPatch) {
    const current = await this.get(actor, id);
    if (patch.events) await this.assertEvents(actor, patch.events, current.institution_id !== null && actor.role === 'admin');
    if (patch.url !== undefined || patch.enabled === true) await this.assertTarget(patch.url ?? current.url);
    const now = this.deps.clock();
    const { row, resumed } = await this.deps.db.transaction().execute(async (trx) => {
      const locked = (await repo.getSubscription(trx, id, ownerOf(actor), true))!;
      const enable = patch.enabled === true && locked.status === 'disabled';
      const disable = patch.enabled === false && locked.status === 'active';
      const row = await repo.updateSubscription(trx, id, {
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events ? { events: [...new Set(patch.events)] } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(enable ? { status: 'active' as const, disabled_at: null, disabled_reason: null } : {}),
        ...(disable ? { status: 'disabled' as const, disabled_at: now, disabled_reason: `disabled by key ${actor.keyId}` } : {}),
      });
      if (enable) await repo.makePendingDue(trx, id, now);
      if (enable || disable)
        await repo.recordNotice(trx, {
          subscription_id: id,
          at: now,
          message: enable ? `enabled again by key ${actor.keyId}; pending deliveries are retried now` : `disabled by key ${actor.keyId}`,
        });
      await recordAudit(trx, actor, 'webhook.update', { type: 'webhook_subscription', id }, { fields: Object.keys(patch) });
      return { row, resumed: enable ? await repo.pendingOf(trx, id) : [] };
    });
    await this.enqueueQuietly(resumed.map((d) => webhookJob(d.id, d.attempts, d.next_attempt_at)));
    return row;
  }

  async deliveries(actor: Principal, id: string, q: PageQuery) {
    await this.get(actor, id);
    const rows = await repo.listDeliveries(this.deps.db, id, decodeCursor(q.cursor), q.limit + 1);
    return pageOf(rows, q.limit, (r) => r.id);
  }

  /** The subscription's delivery log: every attempt and every notice, oldest first. */
  async log(actor: Principal, id: string, q: PageQuery & { delivery_id?: string | undefined }) {
    await this.get(actor, id);
    const after = decodeCursor(q.cursor);
    if (after !== null && !/^[0-9]{1,19}$/.test(after)) throw problems.invalid('query.cursor', 'is not a cursor from this API');
    const rows = await repo.attemptsOf(this.deps.db, id, q.delivery_id ? [q.delivery_id] : null, after === null ? null : BigInt(after), q.limit + 1);
    return pageOf(rows, q.limit, (r) => r.id.toString());
  }

  /** Sends a delivery again (delivered, failed or pending), with a fresh retry window. */
  async redeliver(actor: Principal, subscriptionId: string, deliveryId: string) {
    await this.get(actor, subscriptionId);
    const now = this.deps.clock();
    const delivery = await this.deps.db.transaction().execute(async (trx) => {
      const d = await repo.getDelivery(trx, subscriptionId, deliveryId, true);
      if (!d) throw problems.notFound('The delivery', 'params.deliveryId');
      await repo.updateDelivery(trx, deliveryId, { status: 'pending', next_attempt_at: now, first_attempt_at: null, lease_until: null });
      await repo.recordNotice(trx, {
        delivery_id: deliveryId,
        subscription_id: subscriptionId,
        at: now,
        message: `redelivery requested by key ${actor.keyId}`,
      });
      await recordAudit(trx, actor, 'webhook.redeliver', { type: 'webhook_delivery', id: deliveryId }, { subscription_id: subscriptionId });
      return (await repo.getDelivery(trx, subscriptionId, deliveryId))!;
    });
    await this.enqueueQuietly([webhookJob(deliveryId, delivery.attempts, now)]);
    return delivery;
  }

  private async enqueueQuietly(jobs: Job[]): Promise<void> {
    if (!jobs.length) return;
    // The deliveries are due in the database: if the queue is down the sweeper enqueues them later.
    await this.opts.enqueue(jobs).catch((err: Error) => this.deps.log.warn({ err: err.message }, 'could not enqueue webhook deliveries; the sweeper will'));
  }

  /** One attempt of a delivery (the `webhook-deliver` job). A no-op unless the delivery is due and free. */
  async attempt(deliveryId: string): Promise<void> {
    // A delayed job may fire a little before its due time by Redis' clock: a second's tolerance.
    const claimed = await repo.claimDelivery(this.deps.db, deliveryId, this.deps.clock(), this.opts.timeoutMs * 3, 1000);
    if (!claimed) return;
    const { delivery, subscription } = claimed;
    const sentAt = this.deps.clock();
    const result = await this.send(subscription, delivery, sentAt);
    const now = this.deps.clock();
    const attemptNo = delivery.attempts + 1;
    const next = await this.deps.db.transaction().execute(async (trx) => {
      await repo.recordAttempt(trx, {
        delivery_id: delivery.id,
        subscription_id: subscription.id,
        kind: 'attempt',
        at: sentAt,
        attempt_no: attemptNo,
        status_code: result.statusCode,
        error: result.error,
        duration_ms: result.durationMs,
        message: null,
      });
      const first = delivery.first_attempt_at ?? sentAt;
      if (result.ok) {
        await repo.updateDelivery(trx, delivery.id, {
          status: 'delivered',
          attempts: attemptNo,
          first_attempt_at: first,
          last_attempt_at: sentAt,
          delivered_at: now,
          next_attempt_at: null,
          lease_until: null,
        });
        return null;
      }
      const plan = afterFailure(first, now, attemptNo, this.opts);
      await repo.updateDelivery(trx, delivery.id, {
        status: plan.giveUp ? 'failed' : 'pending',
        attempts: attemptNo,
        first_attempt_at: first,
        last_attempt_at: sentAt,
        next_attempt_at: plan.giveUp ? null : plan.nextAt,
        lease_until: null,
      });
      if (plan.giveUp) await this.gaveUp(trx, subscription, delivery.id, first, now);
      return plan.giveUp ? null : plan.nextAt;
    });
    if (next) await this.enqueueQuietly([webhookJob(delivery.id, attemptNo, next, next.getTime() - now.getTime())]);
  }

  /** Signs and sends one attempt; a secret that does not open fails the attempt (logged), as a refused target does. */
  private async send(subscription: repo.SubscriptionRow, delivery: repo.DeliveryRow, sentAt: Date) {
    let secrets: string[];
    try {
      secrets = this.signingSecrets(subscription, sentAt);
    } catch (err) {
      if (!(err instanceof SecretUnreadable)) throw err;
      return { ok: false, statusCode: null, error: `not sent: ${err.message}; rotate the secret`, durationMs: 0 };
    }
    const headers = signedHeaders(secrets, delivery.event_id, sentAt, delivery.body);
    return sendWebhook(subscription.url, headers, delivery.body, { ...this.opts });
  }

  /**
   * A delivery failed for the whole retry window. If nothing else reached the endpoint in that
   * time either, the subscription is disabled, with a notice in its log and the audit log.
   */
  private async gaveUp(trx: Parameters<typeof repo.recordAttempt>[0], sub: repo.SubscriptionRow, deliveryId: string, since: Date, now: Date): Promise<void> {
    const note = { delivery_id: deliveryId, subscription_id: sub.id, at: now };
    await repo.recordNotice(trx, { ...note, message: `delivery given up: every attempt failed since ${since.toISOString()}` });
    if (await repo.deliveredSince(trx, sub.id, since)) return;
    const reason = `every delivery failed from ${since.toISOString()} to ${now.toISOString()}`;
    await repo.updateSubscription(trx, sub.id, { status: 'disabled', disabled_at: now, disabled_reason: reason });
    await repo.recordNotice(trx, { ...note, delivery_id: null, message: `subscription disabled: ${reason}; enable it again with PATCH {"enabled": true}` });
    await recordAudit(trx, null, 'webhook.disabled', { type: 'webhook_subscription', id: sub.id }, { reason });
  }

  /** Enqueues deliveries overdue by more than the grace time (their job was lost, e.g. with Redis' data). */
  async sweep(limit = 1000): Promise<number> {
    const now = this.deps.clock();
    await repo.dropExpiredPreviousSecrets(this.deps.db, now);
    const due = await repo.dueDeliveries(this.deps.db, new Date(now.getTime() - this.opts.sweepGraceMs), limit);
    // Same job id as the delayed retry of this state (a duplicate is dropped); after a crashed
    // attempt the stale lease makes it a new job, so a finished job of that id cannot hide it.
    if (due.length) await this.opts.enqueue(due.map((d) => webhookJob(d.id, d.attempts, d.lease_until ?? d.next_attempt_at)));
    return due.length;
  }
}
