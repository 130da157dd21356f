import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import { xactLock } from './advisory-lock.js';
import type {
  ForecastChildrenTable,
  ForecastCohortsTable,
  ForecastKnownEventsTable,
  ForecastProfileTable,
  ForecastSquareEventsTable,
  ForecastUnitsTable,
} from '../db/schema.js';
import { eventOf, type ChildSnapshot, type CohortDelta, type SummaryDelta } from '../forecast/summary.js';

/**
 * SQL of the forecast's summary (migration 0023; src/forecast/summary.ts; docs/FORECAST.md
 * "Speed"). One writer at a time: every transaction that changes the summary first takes
 * `lockSummary`, so read-modify-write of cohort rows is safe and the summary's tables are never
 * written concurrently (no deadlocks, nothing lost).
 */

/** pg_advisory_xact_lock key of the summary's writer ("fcst"). */
const SUMMARY_LOCK = 0x66637374;

/** The writer's lock: waits for it, or with `wait` false takes it only if free (the background pass need not wait). True when held. */
export function lockSummary(trx: Executor, wait = true): Promise<boolean> {
  return xactLock(trx, SUMMARY_LOCK, wait);
}

/** Claims up to `limit` change marks (removed with this transaction): the distinct children, and how many marks there were. */
export async function claimDirty(trx: Executor, limit: number): Promise<{ ids: string[]; marks: number }> {
  const { rows } = await sql<{ child_id: string }>`
    DELETE FROM forecast_dirty WHERE ctid IN (SELECT ctid FROM forecast_dirty LIMIT ${limit}) RETURNING child_id`.execute(trx);
  return { ids: [...new Set(rows.map((r) => r.child_id))], marks: rows.length };
}

export async function dirtyCount(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM forecast_dirty`.execute(db);
  return Number(rows[0]!.n);
}

/** Row types derived from src/db/schema.ts (D190). */
type CohortColumns = Selectable<ForecastCohortsTable>;
type CohortKeyRow = Pick<CohortColumns, 'rule_id' | 'period' | 'birth_date' | 'attrs'>;
type ProfileRow = Selectable<ForecastProfileTable>;

type SnapshotRow = Pick<Selectable<ForecastChildrenTable>, 'birth_date' | 'attributes' | 'spans' | 'decided'> & { id: string; birth_day: number };

const toSnapshot = (r: SnapshotRow): ChildSnapshot => ({
  birthDate: r.birth_date,
  birthDay: r.birth_day,
  attributes: r.attributes,
  spans: r.spans,
  decided: r.decided,
});

type ChildRow = Pick<SnapshotRow, 'id' | 'birth_date' | 'birth_day' | 'attributes'>;

/**
 * Children as the registry has them now, from three set-based reads (children, their enrolments
 * with the institution's kind, the (rule, period) of their awards) put together here.
 */
async function assemble(
  trx: Executor,
  children: ChildRow[],
  which: (childId: RawBuilder<unknown>) => RawBuilder<unknown>,
): Promise<Array<[string, ChildSnapshot]>> {
  if (!children.length) return [];
  const spans = await sql<{ child_id: string; s: number; e: number | null; kind: string }>`
    SELECT e.child_id, e.start_on - DATE '1970-01-01' AS s, e.end_on - DATE '1970-01-01' AS e, i.kind
    FROM enrolments e JOIN institutions i ON i.id = e.institution_id WHERE ${which(sql.ref('e.child_id'))} ORDER BY e.child_id, e.start_on, e.id`.execute(trx);
  const decided = await sql<{ child_id: string; d: string }>`
    SELECT DISTINCT a.child_id, a.rule_id::text || '|' || m.period AS d
    FROM awards a JOIN measurements m ON m.id = a.measurement_id WHERE ${which(sql.ref('a.child_id'))} ORDER BY 1, 2`.execute(trx);
  const out = new Map<string, ChildSnapshot>(
    children.map((c) => [c.id, { birthDate: c.birth_date, birthDay: c.birth_day, attributes: c.attributes, spans: [], decided: [] }]),
  );
  for (const r of spans.rows) out.get(r.child_id)?.spans.push([r.s, r.e, r.kind]);
  for (const r of decided.rows) out.get(r.child_id)?.decided.push(r.d);
  return [...out];
}

/** These children as the registry has them now (absent: removed). */
export async function currentChildren(trx: Executor, ids: string[]): Promise<Map<string, ChildSnapshot>> {
  if (!ids.length) return new Map();
  const { rows } = await sql<ChildRow>`
    SELECT id, birth_date::text AS birth_date, birth_date - DATE '1970-01-01' AS birth_day, attributes FROM children WHERE id = ANY(${ids}::uuid[])`.execute(
    trx,
  );
  const found = rows.map((r) => r.id);
  return new Map(await assemble(trx, rows, (col) => sql`${col} = ANY(${found}::uuid[])`));
}

/** A page of every registered child as it is now, in id order (a full build). */
export async function currentChildrenPage(trx: Executor, after: string | null, limit: number): Promise<Array<[string, ChildSnapshot]>> {
  const { rows } = await sql<ChildRow>`
    SELECT id, birth_date::text AS birth_date, birth_date - DATE '1970-01-01' AS birth_day, attributes FROM children
    WHERE ${after === null ? sql`true` : sql`id > ${after}::uuid`} ORDER BY id LIMIT ${limit}`.execute(trx);
  if (!rows.length) return [];
  const first = rows[0]!.id;
  const last = rows[rows.length - 1]!.id;
  return assemble(trx, rows, (col) => sql`${col} >= ${first}::uuid AND ${col} <= ${last}::uuid`);
}

/** Empties the summary for a full build; the change marks it takes are those committed now. */
export async function clearSummary(trx: Executor): Promise<void> {
  // DELETE, not TRUNCATE: a forecast reading in a snapshot taken before this commits must still
  // see the old summary (TRUNCATE is not MVCC-safe), and triggers keep writing forecast_dirty.
  for (const table of [
    'forecast_dirty',
    'forecast_children',
    'forecast_cohorts',
    'forecast_known_events',
    'forecast_square_events',
    'forecast_profile',
    'forecast_birth_dates',
  ]) {
    await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
  }
}

/** Whether at least `n` change marks are waiting. */
export async function marksAtLeast(trx: Executor, n: number): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM (SELECT 1 FROM forecast_dirty LIMIT ${n}) x`.execute(trx);
  return Number(rows[0]!.n) >= n;
}

/** How many children the summary counts. */
export async function countedChildren(trx: Executor): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT coalesce(sum(children), 0)::text AS n FROM forecast_birth_dates`.execute(trx);
  return Number(rows[0]!.n);
}

/** What the summary counted for these children. */
export async function storedChildren(trx: Executor, ids: string[]): Promise<Map<string, ChildSnapshot>> {
  if (!ids.length) return new Map();
  const { rows } = await sql<SnapshotRow>`
    SELECT child_id AS id, birth_date::text AS birth_date, (birth_date - DATE '1970-01-01') AS birth_day, attributes, spans, decided
    FROM forecast_children WHERE child_id = ANY(${ids}::uuid[])`.execute(trx);
  return new Map(rows.map((r) => [r.id, toSnapshot(r)]));
}

/** A page of every counted child, in id order (for summarising a unit again). */
export async function storedChildrenPage(trx: Executor, after: string | null, limit: number): Promise<Array<[string, ChildSnapshot]>> {
  const { rows } = await sql<SnapshotRow>`
    SELECT child_id AS id, birth_date::text AS birth_date, (birth_date - DATE '1970-01-01') AS birth_day, attributes, spans, decided
    FROM forecast_children WHERE ${after === null ? sql`true` : sql`child_id > ${after}::uuid`}
    ORDER BY child_id LIMIT ${limit}`.execute(trx);
  return rows.map((r) => [r.id, toSnapshot(r)]);
}

export async function saveChildren(trx: Executor, children: Array<[string, ChildSnapshot]>, removed: string[]): Promise<void> {
  if (removed.length) await sql`DELETE FROM forecast_children WHERE child_id = ANY(${removed}::uuid[])`.execute(trx);
  if (!children.length) return;
  await sql`
    INSERT INTO forecast_children AS f (child_id, birth_date, attributes, spans, decided)
    SELECT c.id, c.birth_date, c.attributes, c.spans, ARRAY(SELECT jsonb_array_elements_text(c.decided))
    FROM unnest(${children.map(([id]) => id)}::uuid[], ${children.map(([, s]) => s.birthDate)}::date[],
                ${children.map(([, s]) => JSON.stringify(s.attributes))}::jsonb[], ${children.map(([, s]) => JSON.stringify(s.spans))}::jsonb[],
                ${children.map(([, s]) => JSON.stringify(s.decided))}::jsonb[]) AS c(id, birth_date, attributes, spans, decided)
    ON CONFLICT (child_id) DO UPDATE SET birth_date = excluded.birth_date, attributes = excluded.attributes, spans = excluded.spans, decided = excluded.decided`.execute(
    trx,
  );
}

export async function storedUnits(trx: Executor): Promise<Map<string, string>> {
  const { rows } = await sql<Selectable<ForecastUnitsTable>>`SELECT rule_id, period, fingerprint FROM forecast_units`.execute(trx);
  return new Map(rows.map((r) => [`${r.rule_id}|${r.period}`, r.fingerprint]));
}

export async function saveUnits(trx: Executor, units: Array<{ ruleId: string; period: string; fingerprint: string }>): Promise<void> {
  await sql`DELETE FROM forecast_units`.execute(trx);
  if (!units.length) return;
  await sql`
    INSERT INTO forecast_units (rule_id, period, fingerprint)
    SELECT * FROM unnest(${units.map((u) => u.ruleId)}::uuid[], ${units.map((u) => u.period)}::text[], ${units.map((u) => u.fingerprint)}::text[])`.execute(
    trx,
  );
}

/** Removes everything summarised for these units. */
export async function dropUnits(trx: Executor, units: Array<{ ruleId: string; period: string }>): Promise<void> {
  if (!units.length) return;
  const r = units.map((u) => u.ruleId);
  const p = units.map((u) => u.period);
  const { rows } = await sql<{ id: number }>`
    DELETE FROM forecast_cohorts c USING unnest(${r}::uuid[], ${p}::text[]) AS u(rule_id, period)
    WHERE c.rule_id = u.rule_id AND c.period = u.period RETURNING c.id`.execute(trx);
  const ids = rows.map((x) => x.id);
  if (ids.length) {
    await sql`DELETE FROM forecast_known_events WHERE cohort_id = ANY(${ids}::int[])`.execute(trx);
    await sql`DELETE FROM forecast_square_events WHERE cohort_id = ANY(${ids}::int[])`.execute(trx);
  }
  await sql`DELETE FROM forecast_profile f USING unnest(${r}::uuid[], ${p}::text[]) AS u(rule_id, period)
            WHERE f.rule_id = u.rule_id AND f.period = u.period`.execute(trx);
}

/** Applies a delta: cohorts read, added to and written back (removed with their events when empty); events, profile and birth dates added to. */
export async function applyDelta(trx: Executor, delta: SummaryDelta): Promise<void> {
  for (const part of delta.split(WRITE_ROWS)) {
    const ids = await applyCohorts(trx, part);
    await applyEvents(trx, part, ids);
    await applyProfile(trx, part);
    await applyBirths(trx, part);
  }
}

/** Cohorts per statement when a delta is written. */
const WRITE_ROWS = 10_000;

const keyOf = (r: CohortKeyRow) => `${r.rule_id}|${r.period}|${r.birth_date}|${r.attrs}`;

/** The cohorts' new counts and finals; returns the ids of those that remain (by key). */
async function applyCohorts(trx: Executor, delta: SummaryDelta): Promise<Map<string, number>> {
  const changes = [...delta.cohorts.values()];
  if (!changes.length) return new Map();
  const k = {
    r: changes.map((c) => c.key.ruleId),
    p: changes.map((c) => c.key.period),
    b: changes.map((c) => c.key.birthDate),
    a: changes.map((c) => c.key.attrs),
  };
  const { rows } = await sql<CohortColumns>`
    SELECT c.id, c.rule_id, c.period, c.birth_date::text AS birth_date, c.attrs, c.children, c.known_final::text[] AS known_final, c.sq_final
    FROM forecast_cohorts c JOIN unnest(${k.r}::uuid[], ${k.p}::text[], ${k.b}::date[], ${k.a}::text[]) AS u(rule_id, period, birth_date, attrs)
      ON (c.rule_id, c.period, c.birth_date, c.attrs) = (u.rule_id, u.period, u.birth_date, u.attrs)`.execute(trx);
  const now = new Map(rows.map((r) => [keyOf(r), r]));
  const keep: Array<{ d: CohortDelta; children: number; known: string; sq: number }> = [];
  const gone: number[] = [];
  for (const [key, d] of delta.cohorts) {
    const old = now.get(key);
    const children = (old?.children ?? 0) + d.children;
    if (children < 0) throw new Error(`invariant: a cohort of ${children} children (${key})`);
    if (children === 0) {
      if (old) gone.push(old.id);
      continue;
    }
    const known = (old?.known_final ?? []).map(Number);
    d.knownFinal.forEach((v, win) => {
      while (known.length <= win) known.push(0);
      known[win]! += v;
    });
    while (known.length && known[known.length - 1] === 0) known.pop();
    keep.push({ d, children, known: `{${known.join(',')}}`, sq: (old?.sq_final ?? 0) + d.sqFinal });
  }
  if (gone.length) {
    await sql`DELETE FROM forecast_known_events WHERE cohort_id = ANY(${gone}::int[])`.execute(trx);
    await sql`DELETE FROM forecast_square_events WHERE cohort_id = ANY(${gone}::int[])`.execute(trx);
    await sql`DELETE FROM forecast_cohorts WHERE id = ANY(${gone}::int[])`.execute(trx);
  }
  if (!keep.length) return new Map();
  const written = await sql<Pick<CohortColumns, 'id'> & CohortKeyRow>`
    INSERT INTO forecast_cohorts (rule_id, period, birth_date, attrs, children, known_final, sq_final)
    SELECT u.rule_id, u.period, u.birth_date, u.attrs, u.children, u.known::bigint[], u.sq
    FROM unnest(${keep.map((x) => x.d.key.ruleId)}::uuid[], ${keep.map((x) => x.d.key.period)}::text[], ${keep.map((x) => x.d.key.birthDate)}::date[],
                ${keep.map((x) => x.d.key.attrs)}::text[], ${keep.map((x) => x.children)}::int[], ${keep.map((x) => x.known)}::text[], ${keep.map((x) => x.sq)}::float8[])
      AS u(rule_id, period, birth_date, attrs, children, known, sq)
    ON CONFLICT (rule_id, period, birth_date, attrs) DO UPDATE SET children = excluded.children, known_final = excluded.known_final, sq_final = excluded.sq_final
    RETURNING id, rule_id, period, birth_date::text AS birth_date, attrs`.execute(trx);
  return new Map(written.rows.map((r) => [keyOf(r), r.id]));
}

/** The events of the cohorts that remain, added to theirs; known-day events that reach zero removed. */
async function applyEvents(trx: Executor, delta: SummaryDelta, ids: Map<string, number>): Promise<void> {
  const known = { id: [] as number[], win: [] as number[], day: [] as number[], alpha: [] as string[], beta: [] as string[] };
  const squares = { id: [] as number[], day: [] as number[], a: [] as number[], b: [] as number[], c: [] as number[] };
  for (const [key, d] of delta.cohorts) {
    const id = ids.get(key);
    if (id === undefined) continue; // emptied: its events went with it
    for (const [k, [alpha, beta]] of d.known) {
      if (alpha === 0 && beta === 0) continue;
      const { win, day } = eventOf(k);
      known.id.push(id);
      known.win.push(win);
      known.day.push(day);
      known.alpha.push(String(alpha));
      known.beta.push(String(beta));
    }
    for (const [day, [a, b, c]] of d.squares) {
      if (a === 0 && b === 0 && c === 0) continue;
      squares.id.push(id);
      squares.day.push(day);
      squares.a.push(a);
      squares.b.push(b);
      squares.c.push(c);
    }
  }
  if (known.id.length) {
    const { rows } = await sql<Pick<Selectable<ForecastKnownEventsTable>, 'cohort_id' | 'win' | 'day'> & { zero: boolean }>`
      INSERT INTO forecast_known_events AS t (cohort_id, win, day, alpha, beta)
      SELECT * FROM unnest(${known.id}::int[], ${known.win}::smallint[], ${known.day}::int[], ${known.alpha}::bigint[], ${known.beta}::bigint[])
      ON CONFLICT (cohort_id, win, day) DO UPDATE SET alpha = t.alpha + excluded.alpha, beta = t.beta + excluded.beta
      RETURNING t.cohort_id, t.win, t.day, (t.alpha = 0 AND t.beta = 0) AS zero`.execute(trx);
    const zero = rows.filter((r) => r.zero);
    if (zero.length) {
      await sql`DELETE FROM forecast_known_events t USING unnest(${zero.map((z) => z.cohort_id)}::int[], ${zero.map((z) => z.win)}::smallint[], ${zero.map((z) => z.day)}::int[]) AS u(cohort_id, win, day)
                WHERE (t.cohort_id, t.win, t.day) = (u.cohort_id, u.win, u.day) AND t.alpha = 0 AND t.beta = 0`.execute(trx);
    }
  }
  if (squares.id.length) {
    await sql`
      INSERT INTO forecast_square_events AS t (cohort_id, day, a, b, c)
      SELECT * FROM unnest(${squares.id}::int[], ${squares.day}::int[], ${squares.a}::float8[], ${squares.b}::float8[], ${squares.c}::float8[])
      ON CONFLICT (cohort_id, day) DO UPDATE SET a = t.a + excluded.a, b = t.b + excluded.b, c = t.c + excluded.c`.execute(trx);
  }
}

async function applyProfile(trx: Executor, delta: SummaryDelta): Promise<void> {
  const changes = [...delta.profile.values()];
  if (!changes.length) return;
  const { rows } = await sql<ProfileRow>`
    SELECT f.rule_id, f.period, f.birth_date::text AS birth_date, f.covered::text[] AS covered
    FROM forecast_profile f JOIN unnest(${changes.map((c) => c.ruleId)}::uuid[], ${changes.map((c) => c.period)}::text[], ${changes.map((c) => c.birthDate)}::date[])
      AS u(rule_id, period, birth_date) ON (f.rule_id, f.period, f.birth_date) = (u.rule_id, u.period, u.birth_date)`.execute(trx);
  const now = new Map(rows.map((r) => [`${r.rule_id}|${r.period}|${r.birth_date}`, r.covered]));
  const keep: Array<{ ruleId: string; period: string; birthDate: string; covered: string }> = [];
  const gone: Array<{ ruleId: string; period: string; birthDate: string }> = [];
  for (const [key, d] of delta.profile) {
    const covered = (now.get(key) ?? []).map(Number);
    d.covered.forEach((v, i) => {
      while (covered.length <= i) covered.push(0);
      covered[i]! += v;
    });
    if (covered.some((v) => v < 0)) throw new Error(`invariant: negative covered days (${key})`);
    if (covered.every((v) => v === 0)) gone.push(d);
    else keep.push({ ...d, covered: `{${covered.join(',')}}` });
  }
  if (gone.length) {
    await sql`DELETE FROM forecast_profile t USING unnest(${gone.map((x) => x.ruleId)}::uuid[], ${gone.map((x) => x.period)}::text[], ${gone.map((x) => x.birthDate)}::date[]) AS u(rule_id, period, birth_date)
              WHERE (t.rule_id, t.period, t.birth_date) = (u.rule_id, u.period, u.birth_date)`.execute(trx);
  }
  if (!keep.length) return;
  await sql`
    INSERT INTO forecast_profile (rule_id, period, birth_date, covered)
    SELECT u.rule_id, u.period, u.birth_date, u.covered::bigint[]
    FROM unnest(${keep.map((x) => x.ruleId)}::uuid[], ${keep.map((x) => x.period)}::text[], ${keep.map((x) => x.birthDate)}::date[], ${keep.map((x) => x.covered)}::text[])
      AS u(rule_id, period, birth_date, covered)
    ON CONFLICT (rule_id, period, birth_date) DO UPDATE SET covered = excluded.covered`.execute(trx);
}

async function applyBirths(trx: Executor, delta: SummaryDelta): Promise<void> {
  const rows = [...delta.births].filter(([, n]) => n !== 0);
  if (!rows.length) return;
  await sql`
    INSERT INTO forecast_birth_dates AS t (birth_date, children)
    SELECT * FROM unnest(${rows.map(([d]) => d)}::date[], ${rows.map(([, n]) => n)}::int[])
    ON CONFLICT (birth_date) DO UPDATE SET children = t.children + excluded.children`.execute(trx);
  await sql`DELETE FROM forecast_birth_dates WHERE birth_date = ANY(${rows.map(([d]) => d)}::date[]) AND children = 0`.execute(trx);
}

export type PendingCohortRow = Pick<CohortColumns, 'id' | 'rule_id' | 'period' | 'birth_date' | 'attrs' | 'children' | 'sq_final'> & {
  /** The row's version (xmin): the writer rewrites a cohort's row whenever it changes the cohort or its events. */
  v: string;
  birth_day: number;
  /** Σ final known days per window, comma-separated. */
  known_final: string;
};

/** The pending cohorts of these rules and each row's version (xmin), to tell which changed since a read. */
export async function cohortVersions(db: Executor, ruleIds: string[]): Promise<Array<{ id: number; v: string }>> {
  if (!ruleIds.length) return [];
  const { rows } = await sql<{ id: number; v: string }>`SELECT id, xmin::text AS v FROM forecast_cohorts WHERE rule_id = ANY(${ruleIds}::uuid[])`.execute(db);
  return rows;
}

/**
 * The pending cohorts of these rules (or only the cohorts `only`), with their events after day `t`
 * summed (per window, and for the squares; the floats in day order, so that a cohort reads the
 * same whichever way it is read).
 */
export async function pendingCohorts(db: Executor, ruleIds: string[], t: number, only?: number[]) {
  if (!ruleIds.length || only?.length === 0) return { cohorts: [], known: [], squares: [] };
  const which = only ? sql`id = ANY(${only}::int[])` : sql`rule_id = ANY(${ruleIds}::uuid[])`;
  const ofCohorts = only
    ? sql`e.cohort_id = ANY(${only}::int[])`
    : sql`e.cohort_id IN (SELECT id FROM forecast_cohorts WHERE rule_id = ANY(${ruleIds}::uuid[]))`;
  const cohorts = await sql<PendingCohortRow>`
    SELECT id, xmin::text AS v, rule_id, period, birth_date::text AS birth_date, birth_date - DATE '1970-01-01' AS birth_day, attrs, children,
           array_to_string(known_final, ',') AS known_final, sq_final
    FROM forecast_cohorts WHERE ${which}`.execute(db);
  const known = await sql<{ cohort_id: number; win: number; alpha: string; beta: string }>`
    SELECT e.cohort_id, e.win, sum(e.alpha)::text AS alpha, sum(e.beta)::text AS beta FROM forecast_known_events e
    WHERE e.day > ${t} AND ${ofCohorts} GROUP BY 1, 2`.execute(db);
  const squares = await sql<Pick<Selectable<ForecastSquareEventsTable>, 'cohort_id' | 'a' | 'b' | 'c'>>`
    SELECT e.cohort_id, sum(e.a ORDER BY e.day) AS a, sum(e.b ORDER BY e.day) AS b, sum(e.c ORDER BY e.day) AS c FROM forecast_square_events e
    WHERE e.day > ${t} AND ${ofCohorts} GROUP BY 1`.execute(db);
  return { cohorts: cohorts.rows, known: known.rows, squares: squares.rows };
}

/** Registered birth dates (ascending) and how many children were born on each. */
export async function birthDates(db: Executor): Promise<Array<{ birthDate: string; children: number }>> {
  const { rows } = await sql<{
    birth_date: string;
    children: number;
  }>`SELECT birth_date::text AS birth_date, children FROM forecast_birth_dates ORDER BY birth_date`.execute(db);
  return rows.map((r) => ({ birthDate: r.birth_date, children: r.children }));
}

/** Covered days per (window, sixth) — index SEGMENTS · window + sixth — of these (unit, birth date)s, over every child born then. */
export async function profileCovered(db: Executor, keys: Array<{ ruleId: string; period: string; birthDate: string }>) {
  if (!keys.length) return [];
  const { rows } = await sql<ProfileRow>`
    SELECT f.rule_id, f.period, f.birth_date::text AS birth_date, f.covered::text[] AS covered
    FROM forecast_profile f
    JOIN unnest(${keys.map((k) => k.ruleId)}::uuid[], ${keys.map((k) => k.period)}::text[], ${keys.map((k) => k.birthDate)}::date[]) AS u(rule_id, period, birth_date)
      ON (f.rule_id, f.period, f.birth_date) = (u.rule_id, u.period, u.birth_date)`.execute(db);
  return rows;
}

/** The unit fingerprints the summary was built for (to check a read against the rules it reads). */
export { storedUnits as summarisedUnits };
