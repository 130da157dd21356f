import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { problems } from '../problem.js';
import { oreOut, timestamp } from '../schemas.js';

const auditRecord = z
  .object({
    id: z.number().int(),
    at: timestamp,
    actor_key_id: z.uuid().nullable().meta({ description: 'The API key that acted; null for command-line tools' }),
    actor_role: z.string().nullable(),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditRecord', description: 'One appended audit record: who did what to which target, when' });

const instant = z.iso.datetime({ offset: true }).meta({ example: '2024-05-01T00:00:00Z' });

const auditQuery = z.strictObject({
  ...pageQuery.shape,
  actor_key_id: z.uuid().optional(),
  action: z.string().min(1).max(200).optional().meta({ description: 'Exact action, e.g. payment_run.create' }),
  target_type: z.string().min(1).max(100).optional(),
  target_id: z.string().min(1).max(200).optional(),
  from: instant.optional().meta({ description: 'Records at or after this instant' }),
  to: instant.optional().meta({ description: 'Records before this instant' }),
});

const cprKeyStatus = z
  .object({
    active_key_id: z.string(),
    keys: z.array(
      z.object({
        key_id: z.string(),
        active: z.boolean(),
        in_ring: z.boolean(),
        children: z.number().int(),
        retirable: z.boolean().meta({ description: 'Not active and no child uses it: may be removed from CPR_HMAC_KEYS' }),
      }),
    ),
  })
  .meta({ id: 'CprKeyStatus', description: 'Children per CPR HMAC key id. No secrets and no hashes.' });

const tags = ['security'];

/** Read-only views for auditors: the audit log and the CPR key rotation status. */
export const auditRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/audit-log',
    {
      config: { roles: ['admin', 'auditor'], problems: { 422: [{ field: 'query.to', message: 'must not be before from' }] } },
      schema: {
        tags,
        summary: 'The append-only audit log of every change made through the API, in the order recorded',
        querystring: auditQuery,
        response: { 200: pageSchema(auditRecord) },
      },
    },
    async (req) => {
      const q = req.query;
      const after = decodeCursor(q.cursor);
      if (after !== null && !/^\d{1,18}$/.test(after)) throw problems.invalid('query.cursor', 'is not a cursor from this API');
      const from = q.from === undefined ? undefined : new Date(q.from);
      const to = q.to === undefined ? undefined : new Date(q.to);
      if (from && to && to < from) throw problems.invalid('query.to', 'must not be before from');
      const rows = await ctx.services.operations.auditLog(
        { actorKeyId: q.actor_key_id, action: q.action, targetType: q.target_type, targetId: q.target_id, from, to },
        after === null ? null : BigInt(after),
        q.limit + 1,
      );
      const page = pageOf(rows, q.limit, (r) => r.id.toString());
      return { items: page.items.map((r) => ({ ...r, id: oreOut(r.id), at: r.at.toISOString() })), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/admin/cpr-keys',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        summary: 'CPR HMAC key rotation status: children per key id, and which keys may be retired',
        response: { 200: cprKeyStatus },
      },
    },
    async () => ctx.services.cprKeys.status(),
  );
};
