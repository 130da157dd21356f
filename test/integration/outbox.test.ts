import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { startLocalRedis, type LocalRedis } from '../support/services.js';
import * as outbox from '../../src/repositories/outbox.js';

/**
 * A measurement is stored with its outbox row in one transaction, so an outage of Redis at
 * submit time loses nothing: the API still accepts, and the relay catches up when Redis is back.
 */
let redis: LocalRedis;
let t: TestApp;

beforeAll(async () => {
  redis = await startLocalRedis();
  t = await createTestApp({ queue: 'bullmq', env: { REDIS_URL: redis.url } });
}, 120_000);
afterAll(async () => {
  await t?.close().catch(() => undefined);
  await redis?.destroy();
});

async function setup() {
  await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] });
  const fund = (await t.call('POST', '/v1/funds', { name: 'F' })).body;
  await t.call('POST', `/v1/funds/${fund.id}/deposits`, { amount_ore: 10_000_000, funder: 'LBF' });
  await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue', name: 'V' });
  const child = (await t.call('POST', '/v1/children', { birth_date: '2019-03-15' })).body;
  await t.call('POST', '/v1/enrolments', { child: child.id, institution: 'V-1', start: '2019-09-01', end: '2022-03-15' });
  await t.call('POST', '/v1/rules', {
    fund_id: fund.id,
    kind: 'sprogvurdering',
    versions: [
      {
        effective_from: '2015-01-01',
        predicate: { op: 'eq', value: 'generel' },
        amount: { fixed_ore: 1_000_000 },
        windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
      },
    ],
  });
  await t.settled();
  return { fund, child };
}

describe('the outbox while Redis is down', () => {
  it('accepts measurements, keeps the work, and settles it once Redis is back', async () => {
    const { fund, child } = await setup();
    await redis.stop();
    const res = await t.call('POST', '/v1/measurements', {
      child_id: child.id,
      kind: 'sprogvurdering',
      period: 'age-4',
      value: 'generel',
      measured_on: '2023-04-20',
    });
    expect(res.status).toBe(201);
    // The relay cannot move the row while Redis is down.
    await new Promise((r) => setTimeout(r, 300));
    expect(await outbox.pendingCount(t.ctx.db)).toBeGreaterThan(0);
    expect((await t.call('GET', '/v1/awards')).body.items).toHaveLength(0);

    await redis.start();
    await t.settled();
    expect(await outbox.pendingCount(t.ctx.db)).toBe(0);
    const awards = (await t.call('GET', '/v1/awards')).body.items;
    expect(awards).toHaveLength(1);
    expect(awards[0]).toMatchObject({ earned: true, amount_ore: 1_000_000, status: 'provisional' });
    const balances = (await t.call('GET', `/v1/funds/${fund.id}/balances`)).body;
    expect(balances.reserved_ore).toBe(awards[0].payout_total_ore);
  }, 60_000);
});
