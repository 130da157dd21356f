/** Shared helpers of the registry integration tests (not a test file itself). */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TestApp } from '../../support/app.js';

export type Res = Awaited<ReturnType<TestApp['call']>>;

/** A problem+json rejection with this status whose first error names `field`. */
export function expectProblem(res: Res, status: number, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  if (field !== undefined) expect(res.body.errors?.[0]?.field, JSON.stringify(res.body)).toBe(field);
}

/** Asserts a 2xx and returns the body. */
export function ok(res: Res, status = 200): any {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/** Creates an API key through the API and returns the full key string. */
export async function createKey(t: TestApp, body: Record<string, unknown>): Promise<string> {
  return ok(await t.call('POST', '/v1/api-keys', { name: `test ${String(body.role)}`, ...body }), 201).key as string;
}

export async function count(t: TestApp, table: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.ctx.db);
  return Number(rows[0]!.n);
}

/** Every row of a table as one JSON text, to search it for things that must never be stored. */
export async function tableText(t: TestApp, table: string): Promise<string> {
  const { rows } = await sql<{ t: string | null }>`select json_agg(x)::text as t from ${sql.table(table)} x`.execute(t.ctx.db);
  return rows[0]!.t ?? '';
}

/** Walks a paginated list with `limit` and returns every item and the number of pages. */
export async function allPages(t: TestApp, url: string, limit: number, key?: string): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const body = ok(await t.call('GET', `${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, undefined, key));
    expect(body.items.length).toBeLessThanOrEqual(limit);
    items.push(...body.items);
    cursor = body.next_cursor;
    pages++;
  } while (cursor);
  return { items, pages };
}
