import { sql, type RawBuilder } from 'kysely';
import { PREPARED, type Executor } from '../db/database.js';

/**
 * Hot read paths answered by one statement each, with the response body built as JSON text by
 * PostgreSQL: no row parsing, no re-serialisation of explanations, one round trip. The shapes
 * must stay equal to the presenters used by the list endpoints (`presentAwards`,
 * `presentMeasurement`); test/integration/read-json.test.ts compares them.
 *
 * Both are prepared statements (`PREPARED`): planning them cost more than running them.
 *
 * Conventions, the same as the presenters': instants as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC,
 * milliseconds truncated like a JS Date), dates as `YYYY-MM-DD`, money as JSON integers.
 */

/** An instant as JavaScript's `Date.prototype.toISOString` writes it. */
const iso = (column: string): RawBuilder<string> =>
  sql`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The fields of an award of `awards a` as the API's `Award` (payouts with amounts, by code in byte order). */
const awardFields = sql`
  'id', a.id, 'rule_id', a.rule_id, 'measurement_id', a.measurement_id, 'fund_id', a.fund_id, 'child_id', a.child_id,
  'status', a.status, 'earned', a.earned,
  'amount_ore', a.amount_ore, 'retained_ore', a.retained_ore, 'payout_total_ore', a.payout_total_ore,
  'awaiting_funds', a.reserved_ore < a.reserve_target_ore, 'reserved_ore', a.reserved_ore,
  'open_objections', a.open_objections,
  'payouts', coalesce((
    SELECT json_agg(json_build_object('institution_id', p.institution_id, 'code', i.code, 'amount_ore', p.amount_ore, 'payable_ore', p.payable_ore)
                    ORDER BY i.code COLLATE "C")
      FROM award_payees p JOIN institutions i ON i.id = p.institution_id
     WHERE p.award_id = a.id AND (p.amount_ore > 0 OR p.payable_ore > 0)), '[]'),
  'revision', a.revision,
  'review_until', ${iso('a.review_until')}, 'finalised_at', ${iso('a.finalised_at')}, 'computed_at', ${iso('a.computed_at')}`;

/** A measurement of `measurements m` as the API's `Measurement`. */
const measurementJson = sql`json_build_object(
  'id', m.id, 'seq', m.seq, 'child_id', m.child_id, 'kind', m.kind_key, 'period', m.period, 'value', m.value,
  'measured_on', m.measured_on, 'source', m.source, 'status', m.status, 'revision', m.revision,
  'settled', m.settled_gen >= m.gen, 'created_at', ${iso('m.created_at')}, 'updated_at', ${iso('m.updated_at')})`;

/**
 * An award with its explanation (the stored JSON text, spliced in as is), as response JSON.
 * `institutionId`: also answers whether that institution is a payee (with any amount).
 */
export async function awardWithExplanation(
  db: Executor,
  id: string,
  institutionId: string | null,
): Promise<{ json: string; payee: boolean } | undefined> {
  const payee = institutionId
    ? sql<boolean>`EXISTS (SELECT 1 FROM award_payees WHERE award_id = a.id AND institution_id = ${institutionId})`
    : sql<boolean>`false`;
  const { rows } = await sql<{ json: string; payee: boolean }>`${sql.raw(PREPARED)}
    SELECT json_build_object(${awardFields}, 'explanation', a.explanation)::text AS json, ${payee} AS payee
      FROM awards a WHERE a.id = ${id}`.execute(db);
  return rows[0];
}

/** A child's passport (child, enrolments, measurements, awards) as response JSON; undefined: no such child. */
export async function passport(db: Executor, childId: string, limit = 10_000): Promise<string | undefined> {
  const { rows } = await sql<{ json: string }>`${sql.raw(PREPARED)}
    SELECT json_build_object(
      'child', json_build_object('id', c.id, 'external_ref', c.external_ref, 'birth_date', c.birth_date, 'attributes', c.attributes),
      'enrolments', coalesce((
        SELECT json_agg(json_build_object('id', e.id, 'institution_id', e.institution_id, 'institution_code', i.code,
                                          'institution_kind', i.kind, 'start', e.start_on, 'end', e.end_on) ORDER BY e.start_on, e.id)
          FROM enrolments e JOIN institutions i ON i.id = e.institution_id
         WHERE e.child_id = c.id), '[]'),
      'measurements', coalesce((
        SELECT json_agg(${measurementJson} ORDER BY m.seq)
          FROM (SELECT * FROM measurements WHERE child_id = c.id ORDER BY seq LIMIT ${limit}) m), '[]'),
      'awards', coalesce((
        SELECT json_agg(json_build_object(${awardFields}) ORDER BY a.id)
          FROM (SELECT * FROM awards WHERE child_id = c.id ORDER BY id LIMIT ${limit}) a), '[]')
    )::text AS json
    FROM children c WHERE c.id = ${childId}`.execute(db);
  return rows[0]?.json;
}
