import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { WebhookReceiver, waitFor } from '../../support/webhook-receiver.js';
import { expectUnchanged } from '../fuzz/support.js';
import { expectProblem, ok } from '../registry/helpers.js';
import { paymentWorld, today } from '../payments/world.js';

/**
 * SSRF: with the default configuration a subscription URL on a loopback, private or link-local
 * address — literal, spelled otherwise, or behind a host name — is refused naming body.url and
 * nothing is stored; and a subscription that points there anyway (stored before, or its name
 * now resolving there) is not connected to at delivery: the attempt fails as refused and the
 * receiver listening on 127.0.0.1 never hears from it.
 */
let t: TestApp;
const rx = new WebhookReceiver();
beforeAll(async () => {
  await rx.start();
  t = await createTestApp({ env: { WEBHOOK_SWEEP_MS: '100', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_DELAY_MS: '100', WEBHOOK_RETRY_WINDOW_MS: '300' } });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await rx.stop();
});

describe('webhook targets (SSRF)', () => {
  it('refuses private and loopback targets naming body.url, storing nothing', async () => {
    const urls = [
      rx.url('/x'),
      'http://localhost:8080/hook',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.0.0.5/',
      'http://192.168.1.10/',
      'http://172.20.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/',
      'http://[fd00::1]/',
      'http://user:pw@127.0.0.1/',
      'gopher://127.0.0.1/',
      'not a url',
    ];
    await expectUnchanged(t, async () => {
      for (const url of urls) expectProblem(await t.call('POST', '/v1/webhooks', { url, events: ['payment_run.created'] }), 422, 'body.url');
    });
  });

  it('never connects to a private target at delivery time, even when it was stored', async () => {
    const w = await paymentWorld(t, 'S');
    for (const url of [rx.url('/stored'), `http://localhost:${rx.port}/by-name`]) {
      const id = randomUUID();
      const secret = t.ctx.webhookSecrets.seal(id, 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=');
      await sql`insert into webhook_subscriptions (id, url, events, owner_key_id, secret, status)
                select ${id}, ${url}, array['payment_run.created'], id, ${secret}, 'active' from api_keys where role = 'admin' limit 1`.execute(t.ctx.db);
    }
    ok(await t.call('POST', `/v1/funds/${w.fund}/payment-runs`, { cutoff_on: today() }), 201);
    await waitFor('the attempts', async () => {
      const { rows } = await sql<{ n: string }>`select count(*)::text as n from webhook_attempts where kind = 'attempt'`.execute(t.ctx.db);
      return Number(rows[0]!.n) >= 2;
    });
    const { rows } = await sql<{ error: string; status_code: number | null }>`select error, status_code from webhook_attempts where kind = 'attempt'`.execute(
      t.ctx.db,
    );
    for (const r of rows) {
      expect(r.status_code).toBeNull();
      expect(r.error).toMatch(/refused/);
    }
    expect(rx.received).toHaveLength(0);
  });
});
