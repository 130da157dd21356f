import { sql, type RawBuilder } from 'kysely';
import { PREPARED, type Executor } from '../db/database.js';
import { fixedStatement } from '../db/fixed-statement.js';
import { isSettled } from './measurements.js';

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
const iso = (column: string): RawBuilder<string> => sql`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The JSON text of a value, as `JSON.stringify` writes it (SQL NULL: `null`). PostgreSQL's
 * `json_build_object` writes `{"a" : 1, "b" : 2}`; every other endpoint answers compact JSON
 * (Fastify's serializer), so the documents are assembled from compact parts (DECISIONS 64).
 */
const j = (expr: RawBuilder<unknown> | string): RawBuilder<string> => sql`coalesce(to_json(${typeof expr === 'string' ? sql.ref(expr) : expr})::text, 'null')`;

/** `{"key":value,…}` from JSON texts, keys in the order given (the presenters' order). */
function jsonObject(fields: Array<[string, RawBuilder<unknown>]>): RawBuilder<string> {
  const parts = fields.map(([key, value], i) => sql`${sql.lit(`${i ? ',' : '{'}${JSON.stringify(key)}:`)} || ${value}`);
  return sql`(${sql.join(parts, sql` || `)} || '}')`;
}

/** `[element,…]` of the JSON texts an aggregate query yields, or `[]`. */
const jsonArray = (element: RawBuilder<string>, orderBy: RawBuilder<unknown>): RawBuilder<string> =>
  sql`coalesce('[' || string_agg(${element}, ',' ORDER BY ${orderBy}) || ']', '[]')`;

/** A flat jsonb object (primitives only) as compact JSON text, keys in jsonb's order. */
const flatJsonb = (column: string): RawBuilder<string> => sql`coalesce((
  SELECT '{' || string_agg(to_json(e.key)::text || ':' || e.value::text, ',' ORDER BY e.ord) || '}'
    FROM jsonb_each(${sql.ref(column)}) WITH ORDINALITY AS e(key, value, ord)), '{}')`;

/** The fields of an award of `awards a` as the API's `Award` (payouts with amounts, by code in byte order). */
const awardFields: Array<[string, RawBuilder<unknown>]> = [
  ...(['id', 'rule_id', 'measurement_id', 'fund_id', 'child_id', 'status', 'earned', 'amount_ore', 'retained_ore', 'payout_total_ore'] as const).map(
    (c): [string, RawBuilder<unknown>] => [c, j(`a.${c}`)],
  ),
  ['awaiting_funds', j(sql`a.reserved_ore < a.reserve_target_ore`)],
  ['reserved_ore', j('a.reserved_ore')],
  ['open_objections', j('a.open_objections')],
  [
    'payouts',
    sql`(SELECT ${jsonArray(
      jsonObject([
        ['institution_id', j('p.institution_id')],
        ['code', j('i.code')],
        ['amount_ore', j('p.amount_ore')],
        ['payable_ore', j('p.payable_ore')],
      ]),
      sql`i.code COLLATE "C"`,
    )}
      FROM award_payees p JOIN institutions i ON i.id = p.institution_id
     WHERE p.award_id = a.id AND (p.amount_ore > 0 OR p.payable_ore > 0))`,
  ],
  ['revision', j('a.revision')],
  ['review_until', j(iso('a.review_until'))],
  ['finalised_at', j(iso('a.finalised_at'))],
  ['computed_at', j(iso('a.computed_at'))],
];

/** A measurement of `measurements m` as the API's `Measurement`. */
const measurementJson = jsonObject([
  ...(['id', 'seq', 'child_id'] as const).map((c): [string, RawBuilder<unknown>] => [c, j(`m.${c}`)]),
  ['kind', j('m.kind_key')],
  ['period', j('m.period')],
  ['value', sql`m.value::text`],
  ...(['measured_on', 'source', 'status', 'revision'] as const).map((c): [string, RawBuilder<unknown>] => [c, j(`m.${c}`)]),
  ['settled', j(isSettled('m.id'))],
  ['created_at', j(iso('m.created_at'))],
  ['updated_at', j(iso('m.updated_at'))],
]);

/** `awards a` with its explanation (the stored JSON text, spliced in as is) and whether `institution` is a payee. */
const awardWithExplanationStatement = fixedStatement(
  ['id', 'institution'],
  (p) => sql<{ json: string; payee: boolean }>`${sql.raw(PREPARED)}
    SELECT ${jsonObject([...awardFields, ['explanation', sql`a.explanation::text`]])} AS json,
           EXISTS (SELECT 1 FROM award_payees WHERE award_id = a.id AND institution_id = ${p.institution}) AS payee
      FROM awards a WHERE a.id = ${p.id}`,
);

/**
 * An award with its explanation (the stored JSON text, spliced in as is), as response JSON.
 * `institutionId`: also answers whether that institution is a payee (with any amount).
 */
export async function awardWithExplanation(db: Executor, id: string, institutionId: string | null): Promise<{ json: string; payee: boolean } | undefined> {
  const { rows } = await awardWithExplanationStatement(db, { id, institution: institutionId });
  return rows[0];
}

const enrolmentJson = jsonObject([
  ['id', j('e.id')],
  ['institution_id', j('e.institution_id')],
  ['institution_code', j('i.code')],
  ['institution_kind', j('i.kind')],
  ['start', j('e.start_on')],
  ['end', j('e.end_on')],
]);

const passportStatement = fixedStatement(
  ['child', 'limit'],
  (p) => sql<{ json: string }>`${sql.raw(PREPARED)}
    SELECT ${jsonObject([
      [
        'child',
        jsonObject([
          ['id', j('c.id')],
          ['external_ref', j('c.external_ref')],
          ['birth_date', j('c.birth_date')],
          ['attributes', flatJsonb('c.attributes')],
        ]),
      ],
      [
        'enrolments',
        sql`(SELECT ${jsonArray(enrolmentJson, sql`e.start_on, e.id`)} FROM enrolments e JOIN institutions i ON i.id = e.institution_id WHERE e.child_id = c.id)`,
      ],
      [
        'measurements',
        sql`(SELECT ${jsonArray(measurementJson, sql`m.seq`)} FROM (SELECT * FROM measurements WHERE child_id = c.id ORDER BY seq LIMIT ${p.limit}) m)`,
      ],
      [
        'awards',
        sql`(SELECT ${jsonArray(jsonObject(awardFields), sql`a.id`)} FROM (SELECT * FROM awards WHERE child_id = c.id ORDER BY id LIMIT ${p.limit}) a)`,
      ],
    ])} AS json
    FROM children c WHERE c.id = ${p.child}`,
);

/** A child's passport (child, enrolments, measurements, awards) as response JSON; undefined: no such child. */
export async function passport(db: Executor, childId: string, limit = 10_000): Promise<string | undefined> {
  const { rows } = await passportStatement(db, { child: childId, limit });
  return rows[0]?.json;
}

/** The PostgreSQL backend serving `db`'s connection (to tell connections apart). */
export async function backendPid(db: Executor): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  return rows[0]!.pid;
}
