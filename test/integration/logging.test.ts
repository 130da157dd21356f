import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createKey, ok } from './registry/helpers.js';

/** Logs at trace level during a run that handles CPRs and keys must contain neither. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ logger: createLogger('trace', sink) });
});
afterAll(async () => t?.close());

describe('logs never carry CPR numbers or keys', () => {
  it('after registering, looking up and failing with CPRs, and using keys', async () => {
    const cprs = ['150319-4123', '0101904321', '311299-9876'];
    for (const cpr of cprs.slice(0, 2)) ok(await t.call('POST', '/v1/children', { cpr }), 201);
    ok(await t.call('POST', '/v1/children/lookup', { cpr: cprs[0] }));
    await t.call('POST', '/v1/children', { cpr: cprs[0] }); // duplicate → 409
    await t.call('POST', '/v1/children', { cpr: '310223-1234' }); // impossible date → 422
    await t.call('GET', `/v1/children?external_ref=${cprs[2]}`); // a CPR where it does not belong
    const key = await createKey(t, { role: 'auditor' });
    await t.call('GET', '/v1/ledger/entries', undefined, key);
    await t.app.inject({ method: 'GET', url: '/v1/funds', headers: { 'x-api-key': key } });
    await t.call('GET', '/v1/funds', undefined, `${key}x`); // malformed key → 401

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10); // the run was really logged
    for (const cpr of [...cprs, '310223-1234']) {
      expect(log).not.toContain(cpr);
      expect(log).not.toContain(cpr.replace('-', ''));
    }
    expect(log).not.toContain(key);
    expect(log).not.toContain(t.adminKey);
    expect(log).not.toMatch(/smb_[0-9a-f]{32}_/);
  });
});
