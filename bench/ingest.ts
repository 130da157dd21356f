/**
 * `npx tsx bench/ingest.ts [--children 30000] [--profile DIR]`: the HTTP ingest alone, measured
 * from the inside. Starts its own PostgreSQL (with pg_stat_statements) unless DATABASE_URL is set,
 * seeds the children, serves the app in this process and posts their measurements as one NDJSON
 * file with curl (another process, so the client's cost is not counted); prints rows/s, this
 * process's CPU per row, PostgreSQL's CPU per row and its statements by total time. `--profile`
 * writes a V8 CPU profile of the ingest to DIR (open it in Chrome's DevTools).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { promisify, parseArgs } from 'node:util';
import pg from 'pg';
import { generateApiKey } from '../src/auth/api-key.js';
import { loadConfig } from '../src/config.js';
import { arrayLiteral, joinedTexts } from '../src/db/bulk.js';
import { createContext } from '../src/context.js';
import { createDatabaseOn } from '../src/db/server-databases.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { population } from '../src/seed/population.js';
import { seed } from '../src/seed/seed.js';
import { businessDate } from '../src/services/business-date.js';
import { provisionServices } from '../test/support/services.js';
import { pgCpuMs } from './pg-cpu.js';

const run = promisify(execFile);
const { values } = parseArgs({ options: { children: { type: 'string', default: '30000' }, profile: { type: 'string' } } });
const CHILDREN = Number(values.children);
const today = businessDate(new Date(), 'Europe/Copenhagen');

process.env.SMB_TEST_PG_SETTINGS ??= 'shared_buffers=4GB,shared_preload_libraries=pg_stat_statements';
const services = await provisionServices();
const { url } = await createDatabaseOn(services.databaseUrl, 'smb_ingest');
const key = generateApiKey();
const env = {
  LOG_LEVEL: 'warn',
  DATABASE_URL: url,
  ADMIN_BOOTSTRAP_KEY: key.key,
  PG_POOL_MAX: '10',
  CPR_HMAC_KEYS: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
  CPR_HMAC_ACTIVE_KEY_ID: 'bench',
  // No worker runs here: the measurements wait in the backlog, as in `npm run bench`'s step 2.
  RECONCILE_AFTER_MS: '86400000',
};
const ctx = await createContext(loadConfig(env), createLogger('warn'), { inMemory: true });
const actor = (await ctx.apiKeys.authenticate(key.key))!;
await seed(ctx.services, actor, { children: CHILDREN, seed: 7, today, measurements: false, depositOre: CHILDREN * 10_000_000 });
const rows = [...population({ children: CHILDREN, seed: 7, today })].flatMap((p) => p.measurements);
const file = join('/tmp', `smb-ingest-${process.pid}.ndjson`);
writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

const db = new pg.Client({ connectionString: url });
await db.connect();
await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
await db.query('ANALYZE');
const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as { port: number };

const session = values.profile ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
await db.query('SELECT pg_stat_statements_reset()').catch(() => undefined);
const [cpu0, pg0, t0] = [process.cpuUsage(), await pgCpuMs(db), performance.now()];
const { stdout } = await run('sh', [
  '-c',
  `curl -sf -H 'authorization: Bearer ${key.key}' -H 'content-type: application/x-ndjson' --data-binary @${file} http://127.0.0.1:${port}/v1/measurements/batch | tail -1`,
]);
const ms = performance.now() - t0;
const used = process.cpuUsage(cpu0);
const pg1 = await pgCpuMs(db);
if (session) {
  const { profile } = await session.post('Profiler.stop');
  mkdirSync(values.profile!, { recursive: true });
  writeFileSync(join(values.profile!, `ingest-${Date.now()}.cpuprofile`), JSON.stringify(profile));
}
console.log(`ingest: ${rows.length} rows in ${(ms / 1000).toFixed(2)} s = ${Math.round(rows.length / (ms / 1000))} rows/s; ${stdout.trim()}`);
console.log(
  `CPU per row: API ${(((used.user + used.system) / rows.length) * 1).toFixed(1)} µs, PostgreSQL ${pg0 === null || pg1 === null ? 'n/a' : (((pg1 - pg0) * 1000) / rows.length).toFixed(1)} µs`,
);
const statements = await db
  .query<{ query: string; calls: string; ms: number; rows: string }>(
    `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query, calls::text, total_exec_time AS ms, rows::text
     FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 12`,
  )
  .catch(() => ({ rows: [] }));
for (const s of statements.rows) console.log(`${s.ms.toFixed(0).padStart(7)} ms ${s.calls.padStart(6)} calls ${s.rows.padStart(8)} rows  ${s.query}`);
// Where the insert's time goes: the service's statement again for 5,000 of these rows (deleted
// first), with per-trigger times, in a transaction rolled back.
const sample = (
  await db.query<{ child_id: string; kind_key: string; period: string; value: string; measured_on: string; source: string | null }>(
    `SELECT child_id, kind_key, period, value::text AS value, measured_on::text AS measured_on, source FROM measurements ORDER BY seq DESC LIMIT 5000`,
  )
).rows;
await db.query('BEGIN');
await db.query(`DELETE FROM measurements WHERE (child_id, kind_key, period) IN (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]))`, [
  sample.map((r) => r.child_id),
  sample.map((r) => r.kind_key),
  sample.map((r) => r.period),
]);
// The statement as the service sends it for a chunk of new identities (insertAnnouncedNew: the rows
// with their ids, and their settle messages, in one statement).
const ids = sample.map(() => randomUUID());
const messages = [];
for (let i = 0; i < ids.length; i += 500) messages.push(JSON.stringify({ measurementIds: ids.slice(i, i + 500) }));
const plan = await db.query<{ 'QUERY PLAN': string }>(
  `EXPLAIN (ANALYZE, BUFFERS, TIMING)
   with inserted as (
     insert into measurements (id, child_id, kind_key, period, value, measured_on, source, status, submitted_by)
     select v.id, v.child_id, v.kind_key, v.period, v.value::jsonb, v.measured_on::date, v.source, 'active', null
     from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], string_to_array($5::text, E'\\x1e'), $6::text[], $7::text[])
          as v(id, child_id, kind_key, period, value, measured_on, source)
   )
   insert into outbox (topic, payload)
   select o.topic, o.payload::jsonb from unnest($8::text[], string_to_array($9::text, E'\\x1e')) with ordinality as o(topic, payload, n) order by o.n`,
  [
    arrayLiteral(ids),
    arrayLiteral(sample.map((r) => r.child_id)),
    arrayLiteral(sample.map((r) => r.kind_key)),
    arrayLiteral(sample.map((r) => r.period)),
    joinedTexts(
      sample.map((r) => r.value),
      'value',
    ),
    arrayLiteral(sample.map((r) => r.measured_on)),
    arrayLiteral(sample.map((r) => r.source)),
    arrayLiteral(messages.map(() => 'settle')),
    joinedTexts(messages, 'payload'),
  ],
);
await db.query('ROLLBACK');
console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
await db.end();
await app.close();
await ctx.close();
await services.stop();
