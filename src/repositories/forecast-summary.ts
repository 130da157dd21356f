import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ChildSnapshot, CohortKey, SummaryDelta } from '../forecast/summary.js';

/**
 * SQL of the forecast's summary (migration 0023; src/forecast/summary.ts; docs/FORECAST.md
 * "Speed"). One writer at a time: every transaction that changes the summary first takes
 * `lockSummary`, so read-modify-write of cohort rows is safe and the summary's tables are never
 * written concurrently (no deadlocks, nothing lost).
 */

/** pg_advisory_xact_lock key of the summary's writer ("fcst"). */
const SUMMARY_LOCK = 0x66637374;

export async function lockSummary(trx: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${SUMMARY_LOCK}::bigint)`.execute(trx);
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

interface SnapshotRow {
  id: string;
  birth_date: string;
  birth_day: number;
  attributes: Record<string, unknown>;
  spans: ChildSnapshot['spans'];
  decided: string[];
}

const toSnapshot = (r: SnapshotRow): ChildSnapshot => ({ birthDate: r.birth_date, birthDay: r.birth_day, attributes: r.attributes, spans: r.spans, decided: r.decided });

/** These children as the registry has them now (absent: removed). */
export async function currentChildren(trx: Executor, ids: string[]): Promise<Map<string, ChildSnapshot>> {
  if (!ids.length) return new Map();
  const { rows } = await sql<SnapshotRow>`
    SELECT c.id, c.birth_date::text AS birth_date, (c.birth_date - DATE '1970-01-01') AS birth_day, c.attributes,
           coalesce((SELECT jsonb_agg(jsonb_build_array(e.start_on - DATE '1970-01-01', e.end_on - DATE '1970-01-01', i.kind) ORDER BY e.start_on, e.id)
                     FROM enrolments e JOIN institutions i ON i.id = e.institution_id WHERE e.child_id = c.id), '[]'::jsonb) AS spans,
           coalesce((SELECT array_agg(DISTINCT a.rule_id::text || '|' || m.period)
                     FROM awards a JOIN measurements m ON m.id = a.measurement_id WHERE a.child_id = c.id), '{}') AS decided
    FROM children c WHERE c.id = ANY(${ids}::uuid[])`.execute(trx);
  return new Map(rows.map((r) => [r.id, toSnapshot(r)]));
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
    ON CONFLICT (child_id) DO UPDATE SET birth_date = excluded.birth_date, attributes = excluded.attributes, spans = excluded.spans, decided = excluded.decided`.execute(trx);
}

export async function storedUnits(trx: Executor): Promise<Map<string, string>> {
  const { rows } = await sql<{ rule_id: string; period: string; fingerprint: string }>`SELECT rule_id, period, fingerprint FROM forecast_units`.execute(trx);
  return new Map(rows.map((r) => [`${r.rule_id}|${r.period}`, r.fingerprint]));
}

export async function saveUnits(trx: Executor, units: Array<{ ruleId: string; period: string; fingerprint: string }>): Promise<void> {
  await sql`DELETE FROM forecast_units`.execute(trx);
  if (!units.length) return;
  await sql`
    INSERT INTO forecast_units (rule_id, period, fingerprint)
    SELECT * FROM unnest(${units.map((u) => u.ruleId)}::uuid[], ${units.map((u) => u.period)}::text[], ${units.map((u) => u.fingerprint)}::text[])`.execute(trx);
}

/** Removes everything summarised for these units. */
export async function dropUnits(trx: Executor, units: Array<{ ruleId: string; period: string }>): Promise<void> {
  if (!units.length) return;
  const r = units.map((u) => u.ruleId);
  const p = units.map((u) => u.period);
  for (const table of ['forecast_cohorts', 'forecast_known_events', 'forecast_square_events', 'forecast_profile']) {
    await sql`DELETE FROM ${sql.table(table)} t USING unnest(${r}::uuid[], ${p}::text[]) AS u(rule_id, period)
              WHERE t.rule_id = u.rule_id AND t.period = u.period`.execute(trx);
  }
}

const cols = (keys: CohortKey[]) => ({
  r: keys.map((k) => k.ruleId),
  p: keys.map((k) => k.period),
  b: keys.map((k) => k.birthDate),
  a: keys.map((k) => k.attrs),
});

/** Applies a delta: cohorts read, added to and written back (or removed with their events when empty); events and profile added to. */
export async function applyDelta(trx: Executor, delta: SummaryDelta): Promise<void> {
  await applyCohorts(trx, delta);
  await applyKnownEvents(trx, delta);
  await applySquareEvents(trx, delta);
  await applyProfile(trx, delta);
  await applyBirths(trx, delta);
}

async function applyCohorts(trx: Executor, delta: SummaryDelta): Promise<void> {
  const changes = [...delta.cohorts.values()];
  if (!changes.length) return;
  const k = cols(changes);
  const { rows } = await sql<{ rule_id: string; period: string; birth_date: string; attrs: string; children: number; known_final: string[]; sq_final: number }>`
    SELECT c.rule_id, c.period, c.birth_date::text AS birth_date, c.attrs, c.children, c.known_final::text[] AS known_final, c.sq_final
    FROM forecast_cohorts c JOIN unnest(${k.r}::uuid[], ${k.p}::text[], ${k.b}::date[], ${k.a}::text[]) AS u(rule_id, period, birth_date, attrs)
      ON (c.rule_id, c.period, c.birth_date, c.attrs) = (u.rule_id, u.period, u.birth_date, u.attrs)`.execute(trx);
  const now = new Map(rows.map((r) => [`${r.rule_id}|${r.period}|${r.birth_date}|${r.attrs}`, r]));
  const keep: Array<CohortKey & { children: number; known: string; sq: number }> = [];
  const gone: CohortKey[] = [];
  for (const [key, d] of delta.cohorts) {
    const old = now.get(key);
    const children = (old?.children ?? 0) + d.children;
    if (children < 0) throw new Error(`invariant: a cohort of ${children} children (${key})`);
    if (children === 0) {
      gone.push(d);
      continue;
    }
    const known = (old?.known_final ?? []).map((v) => BigInt(v));
    for (const [win, v] of d.knownFinal) {
      while (known.length <= win) known.push(0n);
      known[win]! += v;
    }
    keep.push({ ...d, children, known: `{${known.join(',')}}`, sq: (old?.sq_final ?? 0) + d.sqFinal });
  }
  if (gone.length) {
    const g = cols(gone);
    for (const table of ['forecast_cohorts', 'forecast_known_events', 'forecast_square_events']) {
      await sql`DELETE FROM ${sql.table(table)} t USING unnest(${g.r}::uuid[], ${g.p}::text[], ${g.b}::date[], ${g.a}::text[]) AS u(rule_id, period, birth_date, attrs)
                WHERE (t.rule_id, t.period, t.birth_date, t.attrs) = (u.rule_id, u.period, u.birth_date, u.attrs)`.execute(trx);
    }
  }
  if (!keep.length) return;
  const c = cols(keep);
  await sql`
    INSERT INTO forecast_cohorts (rule_id, period, birth_date, attrs, children, known_final, sq_final)
    SELECT u.rule_id, u.period, u.birth_date, u.attrs, u.children, u.known::bigint[], u.sq
    FROM unnest(${c.r}::uuid[], ${c.p}::text[], ${c.b}::date[], ${c.a}::text[], ${keep.map((x) => x.children)}::int[],
                ${keep.map((x) => x.known)}::text[], ${keep.map((x) => x.sq)}::float8[]) AS u(rule_id, period, birth_date, attrs, children, known, sq)
    ON CONFLICT (rule_id, period, birth_date, attrs) DO UPDATE SET children = excluded.children, known_final = excluded.known_final, sq_final = excluded.sq_final`.execute(trx);
}

async function applyKnownEvents(trx: Executor, delta: SummaryDelta): Promise<void> {
  const events = [...delta.known.values()].filter((e) => e.alpha !== 0n || e.beta !== 0n);
  if (!events.length) return;
  const k = cols(events);
  const { rows } = await sql<{ rule_id: string; period: string; birth_date: string; attrs: string; win: number; day: number; zero: boolean }>`
    INSERT INTO forecast_known_events AS t (rule_id, period, birth_date, attrs, win, day, alpha, beta)
    SELECT * FROM unnest(${k.r}::uuid[], ${k.p}::text[], ${k.b}::date[], ${k.a}::text[], ${events.map((e) => e.win)}::smallint[],
                         ${events.map((e) => e.day)}::int[], ${events.map((e) => String(e.alpha))}::bigint[], ${events.map((e) => String(e.beta))}::bigint[])
    ON CONFLICT (rule_id, period, birth_date, attrs, win, day) DO UPDATE SET alpha = t.alpha + excluded.alpha, beta = t.beta + excluded.beta
    RETURNING t.rule_id, t.period, t.birth_date::text AS birth_date, t.attrs, t.win, t.day, (t.alpha = 0 AND t.beta = 0) AS zero`.execute(trx);
  const zero = rows.filter((r) => r.zero);
  if (!zero.length) return;
  const z = { r: zero.map((x) => x.rule_id), p: zero.map((x) => x.period), b: zero.map((x) => x.birth_date), a: zero.map((x) => x.attrs) };
  await sql`DELETE FROM forecast_known_events t USING unnest(${z.r}::uuid[], ${z.p}::text[], ${z.b}::date[], ${z.a}::text[], ${zero.map((x) => x.win)}::smallint[], ${zero.map((x) => x.day)}::int[]) AS u(rule_id, period, birth_date, attrs, win, day)
            WHERE (t.rule_id, t.period, t.birth_date, t.attrs, t.win, t.day) = (u.rule_id, u.period, u.birth_date, u.attrs, u.win, u.day)
              AND t.alpha = 0 AND t.beta = 0`.execute(trx);
}

async function applySquareEvents(trx: Executor, delta: SummaryDelta): Promise<void> {
  const events = [...delta.squares.values()].filter((e) => e.a !== 0 || e.b !== 0 || e.c !== 0);
  if (!events.length) return;
  const k = cols(events);
  await sql`
    INSERT INTO forecast_square_events AS t (rule_id, period, birth_date, attrs, day, a, b, c)
    SELECT * FROM unnest(${k.r}::uuid[], ${k.p}::text[], ${k.b}::date[], ${k.a}::text[], ${events.map((e) => e.day)}::int[],
                         ${events.map((e) => e.a)}::float8[], ${events.map((e) => e.b)}::float8[], ${events.map((e) => e.c)}::float8[])
    ON CONFLICT (rule_id, period, birth_date, attrs, day) DO UPDATE SET a = t.a + excluded.a, b = t.b + excluded.b, c = t.c + excluded.c`.execute(trx);
}

async function applyProfile(trx: Executor, delta: SummaryDelta): Promise<void> {
  const rows = [...delta.profile.values()].filter((p) => p.covered !== 0n);
  if (!rows.length) return;
  await sql`
    INSERT INTO forecast_profile AS t (rule_id, period, birth_date, win, seg, covered)
    SELECT * FROM unnest(${rows.map((x) => x.ruleId)}::uuid[], ${rows.map((x) => x.period)}::text[], ${rows.map((x) => x.birthDate)}::date[],
                         ${rows.map((x) => x.win)}::smallint[], ${rows.map((x) => x.seg)}::smallint[], ${rows.map((x) => String(x.covered))}::bigint[])
    ON CONFLICT (rule_id, period, birth_date, win, seg) DO UPDATE SET covered = t.covered + excluded.covered`.execute(trx);
  await sql`DELETE FROM forecast_profile t USING unnest(${rows.map((x) => x.ruleId)}::uuid[], ${rows.map((x) => x.period)}::text[], ${rows.map((x) => x.birthDate)}::date[]) AS u(rule_id, period, birth_date)
            WHERE (t.rule_id, t.period, t.birth_date) = (u.rule_id, u.period, u.birth_date) AND t.covered = 0`.execute(trx);
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

export interface PendingCohortRow {
  rule_id: string;
  period: string;
  birth_date: string;
  attrs: string;
  children: number;
  known_final: string[];
  sq_final: number;
}

/** The pending cohorts of these units, with their events after day `t` summed (per window, and for the squares). */
export async function pendingCohorts(db: Executor, units: Array<{ ruleId: string; period: string }>, t: number) {
  if (!units.length) return { cohorts: [], known: [], squares: [] };
  const r = units.map((u) => u.ruleId);
  const p = units.map((u) => u.period);
  const cohorts = await sql<PendingCohortRow>`
    SELECT c.rule_id, c.period, c.birth_date::text AS birth_date, c.attrs, c.children, c.known_final::text[] AS known_final, c.sq_final
    FROM forecast_cohorts c JOIN unnest(${r}::uuid[], ${p}::text[]) AS u(rule_id, period) ON c.rule_id = u.rule_id AND c.period = u.period`.execute(db);
  const known = await sql<{ rule_id: string; period: string; birth_date: string; attrs: string; win: number; alpha: string; beta: string }>`
    SELECT e.rule_id, e.period, e.birth_date::text AS birth_date, e.attrs, e.win, sum(e.alpha)::text AS alpha, sum(e.beta)::text AS beta
    FROM forecast_known_events e JOIN unnest(${r}::uuid[], ${p}::text[]) AS u(rule_id, period) ON e.rule_id = u.rule_id AND e.period = u.period
    WHERE e.day > ${t} GROUP BY 1, 2, 3, 4, 5`.execute(db);
  const squares = await sql<{ rule_id: string; period: string; birth_date: string; attrs: string; a: number; b: number; c: number }>`
    SELECT e.rule_id, e.period, e.birth_date::text AS birth_date, e.attrs, sum(e.a) AS a, sum(e.b) AS b, sum(e.c) AS c
    FROM forecast_square_events e JOIN unnest(${r}::uuid[], ${p}::text[]) AS u(rule_id, period) ON e.rule_id = u.rule_id AND e.period = u.period
    WHERE e.day > ${t} GROUP BY 1, 2, 3, 4`.execute(db);
  return { cohorts: cohorts.rows, known: known.rows, squares: squares.rows };
}

/** Registered birth dates (ascending) and how many children were born on each. */
export async function birthDates(db: Executor): Promise<Array<{ birthDate: string; children: number }>> {
  const { rows } = await sql<{ birth_date: string; children: number }>`SELECT birth_date::text AS birth_date, children FROM forecast_birth_dates ORDER BY birth_date`.execute(db);
  return rows.map((r) => ({ birthDate: r.birth_date, children: r.children }));
}

/** Covered days per sixth of these (unit, birth date, window)s, over every child born then. */
export async function profileCovered(db: Executor, keys: Array<{ ruleId: string; period: string; birthDate: string; win: number }>) {
  if (!keys.length) return [];
  const { rows } = await sql<{ rule_id: string; period: string; birth_date: string; win: number; seg: number; covered: string }>`
    SELECT f.rule_id, f.period, f.birth_date::text AS birth_date, f.win, f.seg, f.covered::text AS covered
    FROM forecast_profile f
    JOIN unnest(${keys.map((k) => k.ruleId)}::uuid[], ${keys.map((k) => k.period)}::text[], ${keys.map((k) => k.birthDate)}::date[], ${keys.map((k) => k.win)}::smallint[])
      AS u(rule_id, period, birth_date, win)
      ON (f.rule_id, f.period, f.birth_date, f.win) = (u.rule_id, u.period, u.birth_date, u.win)`.execute(db);
  return rows;
}

/** The unit fingerprints the summary was built for (to check a read against the rules it reads). */
export { storedUnits as summarisedUnits };
