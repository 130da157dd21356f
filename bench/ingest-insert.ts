/**
 * `npx tsx bench/ingest-insert.ts [--children 30000] [--rows 5000] [--reps 8] [--only a,b] [--lookups]`:
 * PostgreSQL's side of batch ingest alone, on a seeded database (children, enrolments, rules and
 * their measurements): the insert statement for `--rows` rows, `--reps` rounds over the variants
 * (round robin, so a neighbour's burst hits them alike), each in a transaction rolled back, with
 * the storing backend's CPU time per row (/proc/PID/schedstat, ns resolution). Variants: the
 * service's statements before and after D213, and the insert with one thing changed inside the
 * same transaction (a trigger disabled, an index dropped, a trigger function replaced: DDL is
 * transactional), compared on the same data in the same minutes. `--only` keeps the variants
 * whose names contain one of the words. `--lookups`: the chunk's child lookup by external
 * reference instead, as an IN list and as an array.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { arrayLiteral, joinedTexts } from '../src/db/bulk.js';
import type { DB } from '../src/db/schema.js';
import { insertAnnouncedNew } from '../src/repositories/measurements.js';
import { generateApiKey } from '../src/auth/api-key.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createDatabaseOn } from '../src/db/server-databases.js';
import { createLogger } from '../src/logger.js';
import { seed } from '../src/seed/seed.js';
import { businessDate } from '../src/services/business-date.js';
import { provisionServices } from '../test/support/services.js';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '30000' },
    rows: { type: 'string', default: '5000' },
    reps: { type: 'string', default: '8' },
    only: { type: 'string' },
    // Instead of the insert: the chunk's child lookup by external reference, as an IN list and as arrays.
    lookups: { type: 'boolean', default: false },
  },
});
const CHILDREN = Number(values.children);
const ROWS = Number(values.rows);
const REPS = Number(values.reps);
const today = businessDate(new Date(), 'Europe/Copenhagen');

process.env.SMB_TEST_PG_SETTINGS ??= 'shared_buffers=4GB';
const services = await provisionServices();
try {
  const { url } = await createDatabaseOn(services.databaseUrl, 'smb_ingest_insert');
  const key = generateApiKey();
  const env = {
    LOG_LEVEL: 'warn',
    DATABASE_URL: url,
    ADMIN_BOOTSTRAP_KEY: key.key,
    CPR_HMAC_KEYS: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
    CPR_HMAC_ACTIVE_KEY_ID: 'bench',
    RECONCILE_AFTER_MS: '86400000',
  };
  const ctx = await createContext(loadConfig(env), createLogger('warn'), { inMemory: true });
  const actor = (await ctx.apiKeys.authenticate(key.key))!;
  const t0 = Date.now();
  await seed(ctx.services, actor, { children: CHILDREN, seed: 7, today, depositOre: CHILDREN * 10_000_000 });
  console.log(`seeded ${CHILDREN} children with their measurements in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await ctx.close();

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  // The repository's statement, through Kysely on this same connection (inside its transactions, on its backend).
  const kdb = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: { connect: async () => Object.assign(db, { release: () => undefined }), end: async () => undefined } }),
  });
  await db.query('VACUUM ANALYZE');
  const pid = (await db.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  // The backend's time on a CPU, in ns resolution (/proc/PID/schedstat), as ms.
  const cpuMs = () => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  if (values.lookups) {
    const refs = (await db.query<{ r: string }>(`select external_ref as r from children order by random() limit 1400`)).rows.map((r) => r.r);
    const forms: Array<[string, () => Promise<unknown>]> = [
      [
        'in ($1, …, $1400)',
        () => db.query(`select id, birth_date, external_ref from children where external_ref in (${refs.map((_, i) => `$${i + 1}`).join(', ')})`, refs),
      ],
      ['= any($1::text[])', () => db.query(`select id, birth_date, external_ref from children where external_ref = any($1::text[])`, [refs])],
      [
        '= any(array(select unnest($1)))',
        () => db.query(`select id, birth_date, external_ref from children where external_ref = any(array(select unnest($1::text[])))`, [refs]),
      ],
    ];
    const lookups = new Map(forms.map(([name]) => [name, [] as number[]]));
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, run] of forms) {
        const c0 = cpuMs();
        await run();
        lookups.get(name)!.push(cpuMs() - c0);
      }
    }
    for (const [name, ms] of lookups) {
      const sorted = [...ms].sort((a, b) => a - b);
      console.log(`${name.padEnd(34)} backend CPU per lookup of ${refs.length}: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms`);
    }
  } else await inserts();
  await db.end();

  async function inserts() {
    const keyId = (await db.query<{ id: string }>('select id from api_keys limit 1')).rows[0]!.id;
    const sample = (
      await db.query<{ child_id: string; kind_key: string; period: string; value: string; measured_on: string; source: string | null }>(
        `select child_id, kind_key, period, value::text as value, measured_on::text as measured_on, source from measurements order by seq desc limit $1`,
        [ROWS],
      )
    ).rows.reverse();

    /** The insert as the service sends it, with the periods made new (`#rep`): no conflicts, no deletes. */
    const insert = (rep: number) =>
      db.query(
        `insert into measurements (child_id, kind_key, period, value, measured_on, source, status, submitted_by)
       select v.child_id, v.kind_key, v.period, v.value::jsonb, v.measured_on::date, v.source, 'active', $7::uuid
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as v(child_id, kind_key, period, value, measured_on, source)
       returning id, child_id, kind_key, period`,
        [
          sample.map((r) => r.child_id),
          sample.map((r) => r.kind_key),
          sample.map((r) => `${r.period}#${rep}`),
          sample.map((r) => r.value),
          sample.map((r) => r.measured_on),
          sample.map((r) => r.source),
          keyId,
        ],
      );

    /** Before D213: the insert returning its rows, then the outbox rows of their ids (as enqueue wrote them). */
    const insertThenOutbox = async (rep: number) => {
      const { rows } = await insert(rep);
      const messages = [];
      for (let i = 0; i < rows.length; i += 500) messages.push(JSON.stringify({ measurementIds: rows.slice(i, i + 500).map((r) => r.id) }));
      await db.query(
        `insert into outbox (topic, payload) values ${messages.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')}`,
        messages.flatMap((m) => ['settle', m]),
      );
    };
    /** D213: the rows with their ids and the outbox rows as one statement (insertAnnouncedNew). */
    const oneStatement = async (rep: number) => {
      const ids = sample.map(() => randomUUID());
      const messages = [];
      for (let i = 0; i < ids.length; i += 500) messages.push({ topic: 'settle' as const, payload: { measurementIds: ids.slice(i, i + 500) } });
      await insertAnnouncedNew(
        kdb,
        {
          ids: arrayLiteral(ids),
          childIds: arrayLiteral(sample.map((r) => r.child_id)),
          kinds: arrayLiteral(sample.map((r) => r.kind_key)),
          periods: arrayLiteral(sample.map((r) => `${r.period}#${rep}`)),
          values: joinedTexts(
            sample.map((r) => r.value),
            'value',
          ),
          measuredOns: arrayLiteral(sample.map((r) => r.measured_on)),
          sources: arrayLiteral(sample.map((r) => r.source)),
        },
        keyId,
        messages,
      );
    };

    const REFS = [
      { column: 'child_id', parent: 'children', key: 'id', type: 'uuid' },
      { column: 'kind_key', parent: 'measurement_kinds', key: 'key', type: 'text' },
      { column: 'submitted_by', parent: 'api_keys', key: 'id', type: 'uuid' },
    ];
    const raise = (c: string) => `RAISE foreign_key_violation USING CONSTRAINT = 'measurements_${c}_fkey', TABLE = 'measurements', MESSAGE = 'x';`;
    const REFS_ARRAYS = `CREATE OR REPLACE FUNCTION measurements_check_references() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
${REFS.map((r) => `  ${r.column}s ${r.type}[];`).join('\n')}
  found bigint;
BEGIN
${REFS.map(
  (r) => `  ${r.column}s := array(SELECT DISTINCT ${r.column} FROM new_measurements WHERE ${r.column} IS NOT NULL);
  SELECT count(*) INTO found FROM (SELECT 1 FROM ${r.parent} WHERE ${r.key} = any(${r.column}s) FOR KEY SHARE) p;
  IF found <> cardinality(${r.column}s) THEN ${raise(r.column)} END IF;`,
).join('\n')}
  RETURN NULL;
END
$f$`;
    const REFS_HASHED = `CREATE OR REPLACE FUNCTION measurements_check_references() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
  wanted bigint;
  found bigint;
BEGIN
${REFS.map(
  (r) => `  SELECT count(*) INTO wanted FROM (SELECT DISTINCT ${r.column} FROM new_measurements WHERE ${r.column} IS NOT NULL) d;
  SELECT count(*) INTO found FROM (SELECT 1 FROM ${r.parent} WHERE ${r.key} IN (SELECT ${r.column} FROM new_measurements) FOR KEY SHARE) p;
  IF found <> wanted THEN ${raise(r.column)} END IF;`,
).join('\n')}
  RETURN NULL;
END
$f$`;
    const backlog = (order: string) => `CREATE OR REPLACE FUNCTION settlement_backlog_inserted() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO settlement_backlog (measurement_id, kind_key, seq) SELECT id, kind_key, seq FROM new_rows ORDER BY ${order};
  RETURN NULL;
END
$f$`;
    const BACKLOG_ORDERED = backlog('kind_key, seq');
    const BACKLOG_BY_ID = backlog('id');
    const variants: Array<{ name: string; setup: string; run?: (rep: number) => Promise<unknown> }> = [
      { name: 'before D213: insert, outbox', setup: '', run: insertThenOutbox },
      { name: 'D213: one statement', setup: '', run: oneStatement },
      { name: 'as migrated', setup: '' },
      { name: 'no backlog trigger', setup: 'ALTER TABLE measurements DISABLE TRIGGER measurements_backlog_insert' },
      { name: 'no references trigger', setup: 'ALTER TABLE measurements DISABLE TRIGGER measurements_references' },
      {
        name: 'no insert triggers',
        setup: 'ALTER TABLE measurements DISABLE TRIGGER measurements_backlog_insert; ALTER TABLE measurements DISABLE TRIGGER measurements_references',
      },
      { name: 'backlog without since index', setup: 'DROP INDEX settlement_backlog_since' },
      { name: 'backlog without kind_seq index', setup: 'DROP INDEX settlement_backlog_kind_seq' },
      { name: 'refs: distinct once, as arrays', setup: REFS_ARRAYS },
      { name: 'refs: hashed distinct', setup: REFS_HASHED },
      { name: 'backlog ordered by kind, seq', setup: BACKLOG_ORDERED },
      { name: 'backlog ordered by id', setup: BACKLOG_BY_ID },
    ];
    // Round robin over the variants, `--reps` rounds: a neighbour's burst hits every variant alike.
    const chosen = variants.filter((v) => !values.only || values.only.split(',').some((o) => v.name.includes(o)));
    const samples = new Map(chosen.map((v) => [v.name, { cpu: [] as number[], wall: [] as number[] }]));
    for (let rep = 0; rep < REPS; rep++) {
      for (const [n, v] of chosen.entries()) {
        // The aborted rows of the one before leave dead index entries: cleared for each.
        await db.query('VACUUM measurements, settlement_backlog');
        await db.query('BEGIN');
        if (v.setup) await db.query(v.setup);
        const [c0, w0] = [cpuMs(), performance.now()];
        await (v.run ?? insert)(rep * 100 + n);
        const [c1, w1] = [cpuMs(), performance.now()];
        await db.query('ROLLBACK');
        samples.get(v.name)!.cpu.push(((c1 - c0) * 1000) / ROWS);
        samples.get(v.name)!.wall.push(((w1 - w0) * 1000) / ROWS);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const v of chosen) {
      const { cpu, wall } = samples.get(v.name)!;
      console.log(
        `${v.name.padEnd(32)} backend CPU µs/row: median ${median(cpu).toFixed(1).padStart(5)}, mean ${mean(cpu).toFixed(1).padStart(5)}; wall median ${median(wall).toFixed(1).padStart(5)} (${REPS} × ${ROWS} rows)`,
      );
    }
  }
} finally {
  await services.stop();
}
