import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { bodyFor, dataFor, eventIdOf, isFor, type DomainEvent, type SubscriptionScope } from '../../../src/webhooks/events.js';
import { afterFailure, retryDelayMs } from '../../../src/webhooks/schedule.js';
import { signedHeaders } from '../../../src/webhooks/sender.js';
import { keyIdOf, SecretUnreadable, WebhookSecretBox } from '../../../src/webhooks/secret-box.js';
import { checkUrlShape, isPrivateAddress } from '../../../src/webhooks/targets.js';

describe('SSRF: which addresses are private', () => {
  it('refuses loopback, private, link-local, shared, reserved, multicast, mapped and NAT64 forms', () => {
    for (const ip of [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::7f00:1',
      '64:ff9b::10.0.0.1',
      '2001:db8::1',
      'not-an-ip',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
  });
  it('lets public addresses through', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2a00:1450:4001:81b::200e', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });
  it('checks the URL itself: scheme, credentials, literal addresses (in every spelling the URL parser accepts)', () => {
    const policy = { allowPrivate: false, requireHttps: false };
    for (const url of [
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::1]:8080/',
      'http://[::ffff:7f00:1]/',
      'http://10.0.0.1/x',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      expect(checkUrlShape(url, policy), url).toEqual({ ok: false, message: 'points to a private or loopback address' });
    }
    expect(checkUrlShape('ftp://example.org/', policy)).toMatchObject({ ok: false });
    expect(checkUrlShape('http://user:pw@example.org/', policy)).toMatchObject({ ok: false, message: 'must not carry credentials' });
    expect(checkUrlShape('http://example.org/', { allowPrivate: false, requireHttps: true })).toMatchObject({ ok: false, message: 'must be an https URL' });
    expect(checkUrlShape('https://example.org/hook', { allowPrivate: false, requireHttps: true })).toMatchObject({ ok: true });
    expect(checkUrlShape('http://127.0.0.1:9/', { allowPrivate: true, requireHttps: false })).toMatchObject({ ok: true });
  });
});

describe('retry schedule', () => {
  const p = { baseDelayMs: 60_000, maxDelayMs: 6 * 3_600_000, windowMs: 24 * 3_600_000 };
  it('doubles from the base up to the cap', () => {
    expect([1, 2, 3, 9, 10, 11, 50].map((n) => retryDelayMs(n, p))).toEqual([60_000, 120_000, 240_000, 15_360_000, 21_600_000, 21_600_000, 21_600_000]);
  });
  it('keeps trying for the whole window (at least 24 hours), then gives up', () => {
    const first = new Date('2024-01-01T00:00:00Z');
    let now = first;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = afterFailure(first, now, attempts, p);
      if (next.giveUp) break;
      now = next.nextAt;
    }
    expect(now.getTime() - first.getTime()).toBeGreaterThanOrEqual(p.windowMs);
    expect(attempts).toBe(13);
  });
});

describe('events and signatures', () => {
  const sub = (over: Partial<SubscriptionScope>): SubscriptionScope => ({
    id: 's',
    events: ['payment_run.created', 'measurement.settled'],
    institution_id: null,
    integration_key_id: null,
    ...over,
  });
  const run: DomainEvent = {
    type: 'payment_run.created',
    data: {
      run_id: 'r',
      fund_id: 'f',
      reference: 'PR-1',
      cutoff_on: '2026-01-01',
      status: 'created',
      total_ore: 300,
      lines: [
        { institution_id: 'A', reference: 'PR-1-0001', amount_ore: 100, status: 'pending' },
        { institution_id: 'B', reference: 'PR-1-0002', amount_ore: 200, status: 'pending' },
      ],
    },
    audience: { institutionIds: ['A', 'B'] },
  };
  it('a subscription sees its own events only, and an institution only its own run line', () => {
    expect(isFor(sub({}), run)).toBe(true);
    expect(isFor(sub({ institution_id: 'C' }), run)).toBe(false);
    expect(dataFor(sub({ institution_id: 'B' }), run)).toEqual({
      run_id: 'r',
      fund_id: 'f',
      reference: 'PR-1',
      cutoff_on: '2026-01-01',
      status: 'created',
      lines: [{ institution_id: 'B', reference: 'PR-1-0002', amount_ore: 200, status: 'pending' }],
    });
    const settled: DomainEvent = {
      type: 'measurement.settled',
      data: { measurement_id: 'm', kind: 'k', period: 'p', status: 'active', revision: 1, changed_awards: [] },
      audience: { institutionIds: [], submitterKeyId: 'k1' },
    };
    expect(isFor(sub({ integration_key_id: 'k1' }), settled)).toBe(true);
    expect(isFor(sub({ integration_key_id: 'k2' }), settled)).toBe(false);
    expect(isFor(sub({ events: ['award.computed'] }), settled)).toBe(false);
  });
  it('a deduplicated event keeps its id; others get fresh ones', () => {
    const e: DomainEvent = {
      type: 'measurement.refused',
      data: { measurement_id: 'm', kind: 'k', period: 'p', revision: 1, reason: 'settlement_failed' },
      audience: { institutionIds: [] },
      dedupeKey: 'm:3',
    };
    expect(eventIdOf(e)).toBe(eventIdOf({ ...e }));
    expect(eventIdOf({ ...e, dedupeKey: 'm:4' })).not.toBe(eventIdOf(e));
    expect(eventIdOf(run)).not.toBe(eventIdOf(run));
  });
  it('signs per Standard Webhooks: a receiver verifies with the secret, and a changed body fails', () => {
    const secret = `whsec_${Buffer.from('a'.repeat(32)).toString('base64')}`;
    const body = bodyFor(sub({}), run, new Date());
    const headers = signedHeaders([secret], 'evt_1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[^ ]+$/);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'payment_run.created' });
    expect(() => new Webhook(secret).verify(body.replace('300', '301'), headers)).toThrow();
  });
  it('signs with every secret given (a rotation’s overlap): each verifies alone, a third does not', () => {
    const [current, previous, other] = ['a', 'b', 'c'].map((c) => `whsec_${Buffer.from(c.repeat(32)).toString('base64')}`) as [string, string, string];
    const body = bodyFor(sub({}), run, new Date());
    const headers = signedHeaders([current, previous], 'evt_2', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[^ ]+ v1,[^ ]+$/);
    for (const secret of [current, previous]) expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'payment_run.created' });
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
  });
});

describe('signing secrets at rest', () => {
  const key = (id: string, c: string) => ({ id, secret: Buffer.alloc(32, c) });
  const secret = `whsec_${Buffer.from('s'.repeat(32)).toString('base64')}`;
  it('are sealed: the stored text holds no part of the secret and opens only for its subscription, with its key', () => {
    const box = new WebhookSecretBox([key('k1', 'x')], 'k1');
    const stored = box.seal('sub-1', secret);
    expect(stored).toMatch(/^enc:v1:k1:/);
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(box.seal('sub-1', secret)).not.toBe(stored); // a fresh IV each time
    expect(box.open('sub-1', stored)).toBe(secret);
    expect(() => box.open('sub-2', stored)).toThrow(SecretUnreadable);
    expect(() => new WebhookSecretBox([key('k1', 'y')], 'k1').open('sub-1', stored)).toThrow(SecretUnreadable);
    expect(() => new WebhookSecretBox([key('k2', 'x')], 'k2').open('sub-1', stored)).toThrow(/key id "k1", which is not in WEBHOOK_SECRET_KEYS/);
    expect(() => box.open('sub-1', secret)).toThrow(/not sealed/);
    const altered = stored.slice(0, -3) + (stored.endsWith('A') ? 'BBB' : 'AAA');
    expect(() => box.open('sub-1', altered)).toThrow(SecretUnreadable);
  });
  it('an older key of the ring still opens; the active one seals', () => {
    const old = new WebhookSecretBox([key('k1', 'x')], 'k1').seal('sub-1', secret);
    const ring = new WebhookSecretBox([key('k1', 'x'), key('k2', 'z')], 'k2');
    expect(ring.open('sub-1', old)).toBe(secret);
    expect(ring.isCurrent(old)).toBe(false);
    expect(ring.isCurrent(ring.seal('sub-1', secret))).toBe(true);
    expect(keyIdOf(old)).toBe('k1');
    expect(keyIdOf(secret)).toBeNull();
  });
});
