import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { freshDatabaseUrl } from '../../support/db.js';
import { WebhookReceiver, waitFor, type Received } from '../../support/webhook-receiver.js';
import { createKey, expectProblem, ok, tableText } from '../registry/helpers.js';
import { paymentWorld } from '../payments/world.js';

/**
 * Webhook signing secrets (issue 15 follow-up): stored encrypted, so the database alone does not
 * give them; rotated in place, the previous secret signing beside the new one for the overlap
 * (two signatures in `webhook-signature`), audited; secrets stored in clear before migration
 * 0026 or under an older key are sealed under the active key at start. A real receiver checks
 * every signature with the standardwebhooks package.
 */
const key = () => randomBytes(32).toString('base64');
const K1 = key();
const K2 = key();
const ENV = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_BASE_MS: '40',
  WEBHOOK_RETRY_MAX_DELAY_MS: '150',
  WEBHOOK_RETRY_WINDOW_MS: '5000',
  WEBHOOK_SWEEP_MS: '100',
  WEBHOOK_SECRET_KEYS: `k1:${K1}`,
  WEBHOOK_SECRET_ACTIVE_KEY_ID: 'k1',
};

const rx = new WebhookReceiver();
let t: TestApp;
let n = 0;

beforeAll(async () => {
  await rx.start();
  t = await createTestApp({ env: ENV });
  await paymentWorld(t, 'R');
}, 120_000);
afterAll(async () => {
  await t?.close();
  await rx.stop();
});

/** A measurement settled at R-1: one `measurement.settled` event for every subscription to it. */
async function settledMeasurement(app: TestApp) {
  const child = ok(await app.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201).id as string;
  ok(await app.call('POST', '/v1/enrolments', { child, institution: 'R-1', start: '2019-03-15', end: '2022-03-15' }), 201);
  ok(
    await app.call('POST', '/v1/measurements', { child_id: child, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-04-20' }),
    201,
  );
  await app.settled();
  return child;
}

/** Waits for the next event at `path` (one more than seen so far) and returns it. */
async function nextAt(path: string, seen: number): Promise<Received> {
  await waitFor(`an event at ${path}`, () => rx.unique(path).size > seen);
  return [...rx.unique(path).values()][seen]!;
}

const verifies = (secret: string, r: Received) => {
  try {
    new Webhook(secret).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature });
    return true;
  } catch {
    return false;
  }
};

async function storedRow(app: TestApp, id: string) {
  const { rows } = await sql<{
    secret: string;
    previous_secret: string | null;
  }>`select secret, previous_secret from webhook_subscriptions where id = ${id}`.execute(app.ctx.db);
  return rows[0]!;
}

describe('webhook signing secrets', () => {
  it('are stored encrypted: the table holds no secret, and deliveries still verify', async () => {
    const path = `/enc${n++}`;
    const sub = ok(await t.call('POST', '/v1/webhooks', { url: rx.url(path), events: ['measurement.settled'] }), 201);
    expect(sub.secret).toMatch(/^whsec_/);
    const row = await storedRow(t, sub.id);
    expect(row.secret).toMatch(/^enc:v1:k1:/);
    const dump = await tableText(t, 'webhook_subscriptions');
    expect(dump).not.toContain(sub.secret);
    expect(dump).not.toContain(sub.secret.slice(6));
    await settledMeasurement(t);
    const r = await nextAt(path, 0);
    expect(verifies(sub.secret, r)).toBe(true);
    expect(r.signature).not.toContain(' ');
  });

  it('rotate: a new secret once, both signing during the overlap, then only the new one; audited and logged', async () => {
    const path = `/rot${n++}`;
    const sub = ok(await t.call('POST', '/v1/webhooks', { url: rx.url(path), events: ['measurement.settled'] }), 201);
    const before = Date.now();
    const rotated = ok(await t.call('POST', `/v1/webhooks/${sub.id}/rotate-secret`, {}));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(sub.secret);
    expect(rotated).toMatchObject({ id: sub.id, secret_rotated_at: expect.any(String) });
    const until = Date.parse(rotated.previous_secret_expires_at);
    expect(until - before).toBeGreaterThanOrEqual(24 * 3_600_000 - 5_000);
    expect(until - before).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);
    // Reading the subscription never shows a secret; it shows the overlap.
    const read = ok(await t.call('GET', `/v1/webhooks/${sub.id}`));
    expect(read.secret).toBeUndefined();
    expect(read.previous_secret_expires_at).toBe(rotated.previous_secret_expires_at);

    await settledMeasurement(t);
    const during = await nextAt(path, 0);
    expect(during.signature.split(' ')).toHaveLength(2);
    expect(verifies(rotated.secret, during)).toBe(true);
    expect(verifies(sub.secret, during)).toBe(true);

    // A second rotation with no overlap: only the newest signs; both older ones stop at once.
    const again = ok(await t.call('POST', `/v1/webhooks/${sub.id}/rotate-secret`, { overlap_hours: 0 }));
    expect(again.previous_secret_expires_at).toBeNull();
    expect((await storedRow(t, sub.id)).previous_secret).toBeNull();
    await settledMeasurement(t);
    const after = await nextAt(path, 1);
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(verifies(again.secret, after)).toBe(true);
    expect(verifies(rotated.secret, after)).toBe(false);
    expect(verifies(sub.secret, after)).toBe(false);

    const audit = ok(await t.call('GET', `/v1/audit-log?action=webhook.rotate_secret`)).items.filter((e: { target_id: string }) => e.target_id === sub.id);
    expect(audit).toHaveLength(2);
    const log = ok(await t.call('GET', `/v1/webhooks/${sub.id}/log`)).items.filter((e: { message: string | null }) => e.message?.includes('rotated'));
    expect(log.map((e: { message: string }) => e.message)).toEqual([
      expect.stringMatching(/^signing secret rotated by key .*; the previous secret also signs until /),
      expect.stringMatching(/; the previous secret no longer signs$/),
    ]);
    const written = (await tableText(t, 'audit_log')) + (await tableText(t, 'webhook_attempts'));
    for (const s of [sub.secret, rotated.secret, again.secret]) expect(written).not.toContain(s.slice(6));
  });

  it('the overlap ends by the clock: an expired previous secret no longer signs and is forgotten', async () => {
    const path = `/exp${n++}`;
    const sub = ok(await t.call('POST', '/v1/webhooks', { url: rx.url(path), events: ['measurement.settled'] }), 201);
    const rotated = ok(await t.call('POST', `/v1/webhooks/${sub.id}/rotate-secret`, { overlap_hours: 1 }));
    // The hour passes (moved back in the database rather than waiting).
    await sql`update webhook_subscriptions set previous_secret_until = now() - interval '1 second' where id = ${sub.id}`.execute(t.ctx.db);
    await settledMeasurement(t);
    const r = await nextAt(path, 0);
    expect(r.signature.split(' ')).toHaveLength(1);
    expect(verifies(rotated.secret, r)).toBe(true);
    expect(verifies(sub.secret, r)).toBe(false);
    await waitFor('the expired secret forgotten by the sweeper', async () => (await storedRow(t, sub.id)).previous_secret === null);
  });

  it('bad input and other owners: problem+json naming the field, nothing changed', async () => {
    const sub = ok(await t.call('POST', '/v1/webhooks', { url: rx.url('/bad'), events: ['measurement.settled'] }), 201);
    const stored = await storedRow(t, sub.id);
    for (const [body, field] of [
      [{ overlap_hours: -1 }, 'body.overlap_hours'],
      [{ overlap_hours: 169 }, 'body.overlap_hours'],
      [{ overlap_hours: 1.5 }, 'body.overlap_hours'],
      [{ overlap_hours: '24' }, 'body.overlap_hours'],
      [{ secret: 'whsec_mine' }, 'body.secret'],
    ] as const) {
      const res = await t.call('POST', `/v1/webhooks/${sub.id}/rotate-secret`, body);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const instKey = await createKey(t, { role: 'institution', institution: 'R-1' });
    expectProblem(await t.call('POST', `/v1/webhooks/${sub.id}/rotate-secret`, {}, instKey), 404);
    expectProblem(await t.call('POST', `/v1/webhooks/00000000-0000-4000-8000-000000000000/rotate-secret`, {}), 404);
    expect(await storedRow(t, sub.id)).toEqual(stored);
  });
});

describe('sealing at start', () => {
  it('a secret stored in clear (before migration 0026) and one under an older key are sealed under the active key; both still sign', async () => {
    const url = await freshDatabaseUrl();
    const env = { ...ENV, DATABASE_URL: url };
    const first = await createTestApp({ env });
    let legacy: { id: string; secret: string };
    let older: { id: string; secret: string };
    try {
      await paymentWorld(first, 'R');
      legacy = ok(await first.call('POST', '/v1/webhooks', { url: rx.url('/legacy'), events: ['measurement.settled'] }), 201);
      older = ok(await first.call('POST', '/v1/webhooks', { url: rx.url('/older'), events: ['measurement.settled'] }), 201);
      // Back to the schema before 0026, and the secret in clear as that version stored it.
      const { error } = await new Migrator({ db: first.ctx.db, provider: { getMigrations: async () => migrations } }).migrateTo('0025_pending_guard');
      expect(error).toBeUndefined();
      await sql`update webhook_subscriptions set secret = ${legacy.secret} where id = ${legacy.id}`.execute(first.ctx.db);
    } finally {
      await first.close();
    }
    const second = await createTestApp({ env: { ...env, WEBHOOK_SECRET_KEYS: `k1:${K1},k2:${K2}`, WEBHOOK_SECRET_ACTIVE_KEY_ID: 'k2' } });
    try {
      for (const s of [legacy, older]) expect((await storedRow(second, s.id)).secret).toMatch(/^enc:v1:k2:/);
      expect(await tableText(second, 'webhook_subscriptions')).not.toContain(legacy.secret.slice(6));
      await settledMeasurement(second);
      const a = await nextAt('/legacy', 0);
      const b = await nextAt('/older', 0);
      expect(verifies(legacy.secret, a)).toBe(true);
      expect(verifies(older.secret, b)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
