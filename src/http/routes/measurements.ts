import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { RouteApp } from './route-app.js';
import type { MeasurementRow } from '../../repositories/measurements.js';
import { principalOf } from '../plugins/auth.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { idParams } from '../schemas.js';
import { MAX_JSON_ITEMS, batchResponse, handleBatch } from '../batch.js';
import { problems } from '../problem.js';
import { INGEST_CHUNK, ingestItemSchema, hasOneChildReference, measurementIdentityShape, oneChildReference } from '../../services/measurement-ingest.js';

const value = z.union([z.string().max(200), z.number(), z.boolean()]);
/** A measurement's identity, the child named as in a submission: by id, external reference or CPR. */
const retraction = z.strictObject(measurementIdentityShape).refine(hasOneChildReference, oneChildReference);

export const measurementSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int(),
    child_id: z.uuid(),
    kind: z.string(),
    period: z.string(),
    value: value.nullable(),
    measured_on: z.string(),
    source: z.string().nullable(),
    status: z.enum(['active', 'retracted']),
    revision: z.number().int(),
    settled: z
      .boolean()
      .describe(
        'Whether settlement has processed this revision with the current inputs (false while it waits: after it was received, corrected or retracted, or after a change to an enrolment, the child or a rule)',
      ),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Measurement' });

export const presentMeasurement = (m: MeasurementRow) => ({
  id: m.id,
  seq: Number(m.seq),
  child_id: m.child_id,
  kind: m.kind_key,
  period: m.period,
  value: m.value,
  measured_on: m.measured_on,
  source: m.source,
  status: m.status,
  revision: m.revision,
  settled: m.settled,
  created_at: m.created_at.toISOString(),
  updated_at: m.updated_at.toISOString(),
});

// Causes the service adds to the derived problem answers (contract/causes.ts).
const OUT_OF_SCOPE = { field: 'body.kind', message: "this integration may not submit this kind's measurements" };
// For an integration key scoped to institutions, a child outside them is answered as an unknown one.
const UNKNOWN_CHILD = "unknown child, or a child with no enrolment at an institution in this key's scope";
const RETRACT_PROBLEMS = {
  403: [OUT_OF_SCOPE],
  404: [{ field: 'body.period', message: 'The measurement was not found' }],
  422: [
    { field: 'body.child_id', message: UNKNOWN_CHILD },
    { field: 'body.child_ref', message: UNKNOWN_CHILD },
    { field: 'body.cpr', message: 'is not a valid CPR number' },
  ],
};
const SUBMIT_PROBLEMS = {
  403: [OUT_OF_SCOPE],
  422: [
    { field: 'body.kind', message: 'unknown measurement kind' },
    { field: 'body.child_id', message: UNKNOWN_CHILD },
    { field: 'body.value', message: 'must fit the kind (an allowed value, a number within min and max, a boolean)' },
    { field: 'body.measured_on', message: 'may not be before the child’s birth or in the future' },
  ],
};

const submitResult = z.object({ outcome: z.enum(['accepted', 'corrected', 'unchanged', 'retracted']), measurement: measurementSchema });

export const measurementRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  measurementSubmitRoutes(app, ctx);
  measurementReadRoutes(app, ctx);
};

/** Submitting measurements (one, or a batch). */
function measurementSubmitRoutes(app: RouteApp, ctx: AppContext) {
  app.post(
    '/measurements',
    {
      config: { roles: ['admin', 'integration'], problems: SUBMIT_PROBLEMS },
      schema: {
        tags: ['measurements'],
        summary: 'Submit a measurement; a second submission of the same (child, kind, period) is a correction',
        description:
          'For an integration key scoped to institutions, a child with no enrolment at one of them is answered as an ' +
          'unknown child (422 naming the field that named it), whether it exists or not.',
        body: ingestItemSchema,
        response: { 201: submitResult, 200: submitResult },
      },
    },
    async (req, reply) => {
      const r = await ctx.services.measurements.submit(principalOf(req), req.body);
      return reply.code(r.outcome === 'accepted' ? 201 : 200).send({ outcome: r.outcome, measurement: presentMeasurement(r.measurement) });
    },
  );

  app.post(
    '/measurements/retract',
    {
      config: { roles: ['admin', 'integration'], problems: RETRACT_PROBLEMS },
      schema: {
        tags: ['measurements'],
        summary: 'Retract a measurement: its awards owe nothing (history stays in the ledger)',
        description: 'The child is named as in a submission: exactly one of `child_id`, `child_ref` (external reference) or `cpr`.',
        body: retraction,
        response: { 200: submitResult },
      },
    },
    async (req) => {
      const r = await ctx.services.measurements.retract(principalOf(req), req.body);
      return { outcome: r.outcome, measurement: presentMeasurement(r.measurement) };
    },
  );
}

/** Listing and reading measurements, and retracting one. */
function measurementReadRoutes(app: RouteApp, ctx: AppContext) {
  app.get(
    '/measurements',
    {
      config: { roles: ['admin', 'integration', 'auditor'] },
      schema: {
        tags: ['measurements'],
        summary: 'List measurements in acceptance order (an integration sees what it submitted)',
        querystring: pageQuery.extend({ child_id: z.uuid().optional(), kind: z.string().max(64).optional() }),
        response: { 200: pageSchema(measurementSchema) },
      },
    },
    async (req) => {
      const after = decodeCursor(req.query.cursor);
      if (after !== null && !/^\d+$/.test(after)) throw problems.invalid('query.cursor', 'is not a cursor from this API');
      const rows = await ctx.services.measurements.list(
        principalOf(req),
        { childId: req.query.child_id, kind: req.query.kind },
        after === null ? null : BigInt(after),
        req.query.limit + 1,
      );
      const page = pageOf(rows, req.query.limit, (r) => r.seq.toString());
      return { items: page.items.map(presentMeasurement), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/measurements/:id',
    {
      config: { roles: ['admin', 'integration', 'auditor'] },
      schema: { tags: ['measurements'], summary: 'Read a measurement', params: idParams, response: { 200: measurementSchema } },
    },
    async (req) => presentMeasurement(await ctx.services.measurements.get(principalOf(req), req.params.id)),
  );

  app.post(
    '/measurements/batch',
    {
      config: { roles: ['admin', 'integration'], ndjson: true },
      attachValidation: true,
      schema: {
        tags: ['measurements'],
        summary: 'Submit many measurements: a JSON array (≤ 10,000 items) or an NDJSON stream (≤ NDJSON_MAX_ITEMS items and NDJSON_MAX_BODY_BYTES)',
        description:
          'Each item is a measurement as for POST /v1/measurements, with the child given by `child_id`, `child_ref` ' +
          '(external reference) or `cpr`. Every item gets a result (accepted, corrected, unchanged, or rejected with a ' +
          'problem naming the field); a bad item never rejects the good ones. Items are stored in chunks of 5,000, each ' +
          'in one transaction. With `Content-Type: application/x-ndjson` the body is read as a stream and the answer ' +
          'is an NDJSON stream of results followed by a summary line; if processing stops part-way the last line carries ' +
          '`error`, and every item reported before it is stored. An NDJSON batch holds at most NDJSON_MAX_BODY_BYTES ' +
          '(default 1 GiB) and NDJSON_MAX_ITEMS items (default 5,000,000): a Content-Length over the bytes is refused ' +
          'with 413 before anything is read; a stream that crosses either limit is processed up to it and its last line is ' +
          '`{"error": <413 naming body>, "summary"}` — resume from item `summary.total`.',
        body: z.array(z.unknown()).max(MAX_JSON_ITEMS),
        response: { 200: batchResponse(['accepted', 'corrected', 'unchanged'], { measurement_id: z.uuid() }) },
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      return handleBatch(req, reply, (items, offset, previous) => ctx.services.measurements.ingest.ingest(actor, items, offset, previous), {
        chunk: INGEST_CHUNK,
        overlap: true,
      });
    },
  );
}
