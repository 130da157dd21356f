/**
 * SQL snapshots (issue 11 item 4; DECISIONS D116): the hot and planner-sensitive statements,
 * compiled by Kysely against PostgreSQL's dialect without a database, written to
 * `src/repositories/queries/<name>.sql` and committed, so a reviewer sees every change to them as
 * a diff. `npm run sql` rewrites the files; `npm run sql -- --check` and
 * test/unit/sql-snapshots.test.ts fail when one is stale.
 *
 * Each snapshot calls the real repository function on a Kysely instance whose driver records
 * the compiled statements instead of sending them, and answers each with the rows given here
 * (none by default), so functions that issue a second statement only after a first returned
 * rows are recorded in full.
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { DB } from '../../db/schema.js';
import * as awardsRepo from '../awards.js';
import * as measurementsRepo from '../measurements.js';
import * as inputs from '../settlement-inputs.js';
import { exportQuery } from '../exports.js';
import * as readJson from '../read-json.js';

const U1 = '00000000-0000-4000-8000-000000000001';
const U2 = '00000000-0000-4000-8000-000000000002';
const U3 = '00000000-0000-4000-8000-000000000003';
const AT = new Date('2026-01-31T23:00:00.000Z');

export interface Recorded {
  sql: string;
  parameters: readonly unknown[];
}

/** A driver that compiles and records, never connects: statement n is answered with `answers[n]` rows. */
class RecordingDriver implements Driver {
  constructor(
    private readonly log: Recorded[],
    private readonly answers: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>,
  ) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const { log, answers } = this;
    return {
      async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
        const rows = (answers[log.length] ?? []) as R[];
        log.push({ sql: q.sql, parameters: q.parameters });
        return { rows };
      },
      streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('sql snapshots: streaming is not recorded');
      },
    };
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

function recorder(answers: ReadonlyArray<ReadonlyArray<Record<string, unknown>>> = []) {
  const log: Recorded[] = [];
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new RecordingDriver(log, answers),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, log };
}

export interface Snapshot {
  name: string;
  /** What the statements are for, written at the top of the file. */
  about: string;
  run(db: Kysely<DB>): Promise<unknown>;
  answers?: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>;
}

const SETTINGS = [{ seqscan: 'on', sort: 'on', jit: 'on' }];

export const SNAPSHOTS: Snapshot[] = [
  {
    name: 'finalisation-walk',
    about: 'awards.finalisable: the next batch of due awards in awards_due index order (planner settings pinned around it), and their payees',
    answers: [SETTINGS, [], [{ id: U1, measurement_seq: 7n, due_cursor: '2026-01-31 23:00:00+00', open_objections: 0, reserve_target_ore: 100n, reserved_ore: 100n }]],
    run: (db) => awardsRepo.finalisable(db, { now: AT, fundId: U1, after: { dueAt: '2026-01-30 23:00:00+00', seq: 5n, id: U2 }, limit: 500 }),
  },
  {
    name: 'finalisation-early',
    about: 'awards.finalisable for an early finalisation: named awards of a fund due by a calendar date in the business time zone',
    run: (db) => awardsRepo.finalisable(db, { now: null, fundId: U1, awardIds: [U2, U3], dueBy: { date: '2026-02-01', timeZone: 'Europe/Copenhagen' }, after: null, limit: 500 }),
  },
  {
    name: 'funding-barrier',
    about: 'measurements.earliestUnsettledSeq: the funding barrier, one index probe of settlement_backlog per kind',
    run: (db) => measurementsRepo.earliestUnsettledSeq(db, ['vuggestue_trivsel', 'laesning_3kl']),
  },
  {
    name: 'reconciler-claim',
    about: "measurements.claimStaleUnsettled: the reconciler claims the oldest measurements waiting since before a time, skipping rows a settlement holds, and restarts their clock",
    run: (db) => measurementsRepo.claimStaleUnsettled(db, AT, 50_000),
  },
  {
    name: 'awaiting-funds',
    about: "awards.awaitingFunds: a fund's awards short of their reserve target, in acceptance order (the funding walk)",
    run: (db) => awardsRepo.awaitingFunds(db, U1, 1000),
  },
  {
    name: 'settlement-input-load',
    about: "What one settlement batch loads: its measurements locked, then the waiting ones claimed from the backlog (D224), the kinds' rules and versions, the children, their enrolments, the institutions with successors, the current awards locked and their payees",
    answers: [[], [{ measurement_id: U1 }], [{ id: U1, fund_id: U2, kind_key: 'vuggestue_trivsel', periods: null }], [], [], [], [{ id: U2, successor_id: null }], [{ id: U3 }], []],
    run: async (db) => {
      await measurementsRepo.lockForSettlement(db, [U1, U2]);
      await measurementsRepo.claimWaiting(db, [U1, U2]);
      await inputs.rulesForKinds(db, ['vuggestue_trivsel']);
      await inputs.childrenFacts(db, [U1]);
      await inputs.enrolmentsOfChildren(db, [U1]);
      await inputs.institutionsWithSuccessors(db, [U2]);
      await awardsRepo.forMeasurements(db, [U1, U2]);
    },
  },
  {
    name: 'passport',
    about: "read-json.passport: a child's passport as response JSON built by PostgreSQL (the API benchmark's hot read; compiled once, fixedStatement)",
    run: (db) => readJson.passport(db, U1),
  },
  {
    name: 'award-read',
    about: 'read-json.awardWithExplanation: one award with its stored explanation and whether an institution is a payee (hot read; compiled once)',
    run: (db) => readJson.awardWithExplanation(db, U1, U2),
  },
  {
    name: 'export-ndjson',
    about: 'exports: one NDJSON line per journal entry (the award beside it, then the hashed canonical text), a sequence range',
    run: (db) => exportQuery(db, 'ndjson', { fromSeq: 1n, toSeq: 1000n }).execute(),
  },
  {
    name: 'export-csv',
    about: 'exports: one CSV line per journal line, text cells neutralised, one fund',
    run: (db) => exportQuery(db, 'csv', { fundId: U1, toSeq: 1000n }).execute(),
  },
];

const KEYWORDS = /^(select|from|inner join|left join|cross join lateral|cross join|where|and|order by|group by|limit|for update|skip locked|union all|on conflict|returning|values|set)\b/i;

/**
 * Breaks a compiled statement before its main clauses, outside quoted text, so a diff shows
 * which clause changed. Only whitespace is inserted: the text is the statement as sent.
 */
export function layout(statement: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < statement.length; i++) {
    const c = statement[i]!;
    if (quote) {
      out += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    if (c === ' ' && KEYWORDS.test(statement.slice(i + 1, i + 24)) && !/\($/.test(out)) {
      out += '\n';
      continue;
    }
    out += c;
  }
  return out;
}

const show = (v: unknown): string => (typeof v === 'bigint' ? `${v}n` : v instanceof Date ? v.toISOString() : JSON.stringify(v));

/** The text of one snapshot file. */
export async function render(s: Snapshot): Promise<string> {
  const { db, log } = recorder(s.answers);
  await s.run(db);
  const parts = log.map((q, n) => {
    const params = q.parameters.map((p, i) => `--   $${i + 1} = ${show(p)}`).join('\n');
    const text = layout(q.sql.trim())
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .join('\n');
    return `-- statement ${n + 1}${params ? `\n-- parameters:\n${params}` : ''}\n${text};\n`;
  });
  return `-- ${s.name}: ${s.about}\n-- Generated by \`npm run sql\` from the repository code; do not edit.\n\n${parts.join('\n')}`;
}
