import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../plugins/auth.js';
import { MAX_JSON_ITEMS, batchResponse, handleBatch } from '../batch.js';

export const importRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/enrolments/batch',
    {
      config: { roles: ['admin', 'integration'], ndjson: true },
      attachValidation: true,
      schema: {
        tags: ['enrolments'],
        summary: 'Import many enrolments: a JSON array (≤ 10,000 items) or an NDJSON stream (≤ NDJSON_MAX_ITEMS items and NDJSON_MAX_BODY_BYTES)',
        description:
          'Items: `{child_id | child_ref | cpr, institution (id or code), start, end}`. Per-item results; an identical ' +
          'enrolment already stored is `unchanged`, an overlapping one is rejected naming `start`. NDJSON in, NDJSON out, ' +
          'with the same limits, as for /v1/measurements/batch.',
        body: z.array(z.unknown()).max(MAX_JSON_ITEMS),
        response: { 200: batchResponse(['accepted', 'unchanged'], { enrolment_id: z.uuid() }) },
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      return handleBatch(req, reply, (items, offset) => ctx.services.enrolmentImport.ingest(actor, items, offset));
    },
  );

  app.post(
    '/children/batch',
    {
      config: { roles: ['admin'], ndjson: true },
      attachValidation: true,
      schema: {
        tags: ['children'],
        summary: 'Register many children: a JSON array (≤ 10,000 items) or an NDJSON stream (≤ NDJSON_MAX_ITEMS items and NDJSON_MAX_BODY_BYTES)',
        description:
          'Items: `{external_ref?, cpr?, birth_date?, attributes?}` as for POST /v1/children. A child already registered ' +
          'under the same external reference or CPR is `unchanged` and its id returned. Only CPR HMACs are stored. ' +
          'NDJSON in, NDJSON out, with the same limits, as for /v1/measurements/batch.',
        body: z.array(z.unknown()).max(MAX_JSON_ITEMS),
        response: { 200: batchResponse(['accepted', 'unchanged'], { child_id: z.uuid() }) },
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      return handleBatch(req, reply, (items, offset) => ctx.services.childImport.ingest(actor, items, offset));
    },
  );
};
