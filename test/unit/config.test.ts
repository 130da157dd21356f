import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
};

describe('configuration from the environment', () => {
  it('defaults to the embedded shape', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(c.ROLE).toBe('all');
  });

  it('names every bad variable', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
  });

  it('requires real services and keys in production, and Redis for a separate worker', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).map((p) => p.split(':')[0])).toEqual([
      'DATABASE_URL',
      'REDIS_URL',
      'CPR_HMAC_KEYS',
      'LEDGER_SIGNING_KEYS',
      'WEBHOOK_SECRET_KEYS',
    ]);
    expect(problemsOf({ ROLE: 'worker' }).map((p) => p.split(':')[0])).toEqual(['REDIS_URL']);
    expect(problemsOf({ CPR_HMAC_KEYS: 'k1:abc' }).map((p) => p.split(':')[0])).toEqual(['CPR_HMAC_ACTIVE_KEY_ID']);
    expect(problemsOf({ WEBHOOK_SECRET_KEYS: 'k1:abc' }).map((p) => p.split(':')[0])).toEqual(['WEBHOOK_SECRET_ACTIVE_KEY_ID']);
  });

  it('bounds NDJSON_MAX_LINE_BYTES (1 KiB – 64 MiB, default 64 KiB)', () => {
    expect(loadConfig({}).NDJSON_MAX_LINE_BYTES).toBe(65536);
    expect(loadConfig({ NDJSON_MAX_LINE_BYTES: '1024' }).NDJSON_MAX_LINE_BYTES).toBe(1024);
    expect(problemsOf({ NDJSON_MAX_LINE_BYTES: '1023' }).map((p) => p.split(':')[0])).toEqual(['NDJSON_MAX_LINE_BYTES']);
    expect(problemsOf({ NDJSON_MAX_LINE_BYTES: String(64 * 1024 * 1024 + 1) }).map((p) => p.split(':')[0])).toEqual(['NDJSON_MAX_LINE_BYTES']);
  });

  it('bounds a whole NDJSON batch: NDJSON_MAX_BODY_BYTES (1 KiB – 64 GiB, default 1 GiB) and NDJSON_MAX_ITEMS (1 – 100,000,000, default 5,000,000)', () => {
    expect(loadConfig({})).toMatchObject({ NDJSON_MAX_BODY_BYTES: 1024 ** 3, NDJSON_MAX_ITEMS: 5_000_000 });
    expect(loadConfig({ NDJSON_MAX_BODY_BYTES: '1024', NDJSON_MAX_ITEMS: '1' })).toMatchObject({ NDJSON_MAX_BODY_BYTES: 1024, NDJSON_MAX_ITEMS: 1 });
    expect(problemsOf({ NDJSON_MAX_BODY_BYTES: '1023', NDJSON_MAX_ITEMS: '0' }).map((p) => p.split(':')[0])).toEqual([
      'NDJSON_MAX_BODY_BYTES',
      'NDJSON_MAX_ITEMS',
    ]);
    expect(problemsOf({ NDJSON_MAX_BODY_BYTES: String(64 * 1024 ** 3 + 1), NDJSON_MAX_ITEMS: '100000001' }).map((p) => p.split(':')[0])).toEqual([
      'NDJSON_MAX_BODY_BYTES',
      'NDJSON_MAX_ITEMS',
    ]);
  });

  it('never echoes a secret value in its message', () => {
    const secret = 'smb_not-really-a-key-but-secret';
    const problems = problemsOf({ NODE_ENV: 'production', ADMIN_BOOTSTRAP_KEY: secret, PORT: secret });
    expect(problems.join('\n')).not.toContain(secret);
  });
});
