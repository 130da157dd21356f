/**
 * Proves the test infrastructure is real: a cloned, migrated PostgreSQL database whose
 * constraints are enforced by the server, and a Redis that answers.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, redisTestUrl, uniqueQueuePrefix } from '../support/db.js';

describe('test infrastructure', () => {
  let url: string;
  let client: pg.Client;

  beforeAll(async () => {
    url = await freshDatabaseUrl();
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
  });

  it('hands out a fresh database cloned from the migrated template', async () => {
    expect(new URL(url).pathname).toMatch(/^\/smb_t_[0-9a-f]+$/);
    const { rows } = await client.query<{ db: string; version: string }>("SELECT current_database() AS db, current_setting('server_version_num') AS version");
    expect(rows[0]?.db).toMatch(/^smb_t_/);
    expect(Number(rows[0]?.version)).toBeGreaterThanOrEqual(130000);

    const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    const names = tables.rows.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['funds', 'enrolments', 'journal_entries', 'kysely_migration']));
  });

  it('gives every call its own database', async () => {
    const other = await freshDatabaseUrl();
    expect(other).not.toBe(url);
  });

  it('enforces the enrolment exclusion constraint (SQLSTATE 23P01)', async () => {
    const institution = await client.query<{ id: string }>(
      "INSERT INTO institutions (code, kind, name) VALUES ('INFRA-1', 'vuggestue', 'Infra test') RETURNING id",
    );
    const child = await client.query<{ id: string }>("INSERT INTO children (birth_date) VALUES ('2022-03-01') RETURNING id");
    const institutionId = institution.rows[0]!.id;
    const childId = child.rows[0]!.id;

    const enrol = (start: string, end: string | null) =>
      client.query('INSERT INTO enrolments (child_id, institution_id, start_on, end_on) VALUES ($1, $2, $3, $4)', [childId, institutionId, start, end]);

    await enrol('2023-01-01', '2023-07-01');
    // Adjacent half-open spans do not overlap.
    await enrol('2023-07-01', '2023-12-01');
    await expect(enrol('2023-03-01', null)).rejects.toMatchObject({
      code: '23P01',
      constraint: 'enrolments_no_overlap',
    });
  });

  it('reaches a real Redis', async () => {
    const redis = new Redis(redisTestUrl(), { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
      const key = `${uniqueQueuePrefix()}:probe`;
      await redis.set(key, 'ok', 'EX', 60);
      expect(await redis.get(key)).toBe('ok');
      const info = await redis.info('server');
      expect(info).toMatch(/redis_version:\d+/);
    } finally {
      redis.disconnect();
    }
  });
});
