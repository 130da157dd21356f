import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { startLocalRedis, type LocalRedis } from '../../support/services.js';
import { WebhookReceiver, waitFor } from '../../support/webhook-receiver.js';
import { ok } from '../registry/helpers.js';
import { paymentWorld, today } from '../payments/world.js';

/**
 * Webhooks through BullMQ survive a Redis restart that loses Redis' data: retries that were
 * waiting in Redis as delayed jobs are found again by the sweeper (the schedule is in the
 * database), and events raised while Redis was down wait in the outbox. The receiver ends with
 * every event, each once by webhook-id, every signature valid.
 */
let redis: LocalRedis;
let t: TestApp;
const rx = new WebhookReceiver();

beforeAll(async () => {
  await rx.start();
  redis = await startLocalRedis();
  t = await createTestApp({
    queue: 'bullmq',
    env: {
      REDIS_URL: redis.url,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_BASE_MS: '400',
      WEBHOOK_RETRY_MAX_DELAY_MS: '400',
      WEBHOOK_RETRY_WINDOW_MS: '120000',
      WEBHOOK_SWEEP_MS: '250',
    },
  });
}, 120_000);
afterAll(async () => {
  await t?.close().catch(() => undefined);
  await redis?.destroy();
  await rx.stop();
});

describe('webhooks across a Redis restart', () => {
  it('delivers every event once Redis is back: lost retries and events raised while it was down', async () => {
    expect(t.ctx.webhookQueue.transport).toBe('bullmq');
    const sub = ok(await t.call('POST', '/v1/webhooks', { url: rx.url('/r'), events: ['award.computed', 'award.finalised', 'payment_run.created'] }), 201);
    rx.secret('/r', sub.secret);
    rx.answer('/r', 503);
    const w = await paymentWorld(t, 'R'); // 3 award.computed + 3 award.finalised, all failing for now
    await waitFor('first failed attempts', () => rx.unique('/r').size === 6);

    await redis.kill9(); // the delayed retry jobs die with Redis' data
    ok(await t.call('POST', `/v1/funds/${w.fund}/payment-runs`, { cutoff_on: today() }), 201); // its event waits in the outbox
    rx.answer('/r', 204);
    await new Promise((r) => setTimeout(r, 500));
    await redis.start();

    const events = async () =>
      (await sql<{ event_id: string }>`select event_id from webhook_deliveries where subscription_id = ${sub.id}`.execute(t.ctx.db)).rows
        .map((r) => r.event_id)
        .sort();
    await waitFor(
      'every event delivered',
      async () => {
        const { rows } = await sql<{
          n: string;
        }>`select count(*)::text as n from webhook_deliveries where subscription_id = ${sub.id} and status <> 'delivered'`.execute(t.ctx.db);
        return rows[0]!.n === '0' && (await events()).length === 7;
      },
      60_000,
    );
    const delivered = await events();
    const ok204 = rx.at('/r').filter((r) => r.verified);
    expect(ok204).toHaveLength(rx.at('/r').length);
    expect([...rx.unique('/r').keys()].sort()).toEqual(delivered);
    expect([...rx.unique('/r').values()].map((r) => r.type).sort()).toEqual([
      'award.computed',
      'award.computed',
      'award.computed',
      'award.finalised',
      'award.finalised',
      'award.finalised',
      'payment_run.created',
    ]);
  });
});
