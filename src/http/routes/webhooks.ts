import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { AttemptRow, DeliveryRow, SubscriptionRow } from '../../repositories/webhooks.js';
import { EVENT_TYPES } from '../../webhooks/events.js';
import { institutionRef } from './institutions.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { problemResponses } from '../responses.js';
import { idParams, iso, timestamp } from '../schemas.js';

const eventType = z.enum(EVENT_TYPES);
const url = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .meta({ description: 'Where events are POSTed (https in production; no private or loopback address)', example: 'https://example.org/hooks/smb' });

const createBody = z.strictObject({
  url,
  events: z.array(eventType).min(1).max(EVENT_TYPES.length),
  description: z.string().trim().max(500).nullable().optional(),
  institution: institutionRef.nullable().optional().meta({ description: 'Admin only: limit the subscription to this institution’s events' }),
});
const patchBody = z.strictObject({
  url: url.optional(),
  events: z.array(eventType).min(1).max(EVENT_TYPES.length).optional(),
  description: z.string().trim().max(500).nullable().optional(),
  enabled: z.boolean().optional().meta({ description: 'false disables; true enables again and retries pending deliveries now' }),
});

const subscriptionOut = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.string()),
    institution_id: z.uuid().nullable(),
    integration_key_id: z.uuid().nullable(),
    status: z.enum(['active', 'disabled']),
    disabled_at: timestamp.nullable(),
    disabled_reason: z.string().nullable(),
    description: z.string().nullable(),
    secret_rotated_at: timestamp.nullable().meta({ description: 'When the signing secret was last rotated (null: never)' }),
    previous_secret_expires_at: timestamp
      .nullable()
      .meta({ description: 'Until then deliveries also carry a signature with the secret before the last rotation (null: only the current one signs)' }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'WebhookSubscription' });
const secretField = z.string().meta({ description: 'The Standard Webhooks signing secret (whsec_…). Shown only now; stored encrypted.' });
const createdOut = subscriptionOut.extend({ secret: secretField }).meta({ id: 'WebhookSubscriptionCreated' });
const rotatedOut = subscriptionOut.extend({ secret: secretField }).meta({ id: 'WebhookSubscriptionRotated' });
const rotateBody = z.strictObject({
  overlap_hours: z.number().int().min(0).max(168).optional().meta({
    description:
      'How long the current secret keeps signing beside the new one (hours; default WEBHOOK_SECRET_OVERLAP_HOURS, 24). 0 retires it now (a leaked secret).',
  }),
});

const deliveryOut = z
  .object({
    id: z.uuid(),
    event_id: z.string().meta({ description: 'Sent as webhook-id; the same on every attempt and redelivery' }),
    type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: timestamp.nullable(),
    first_attempt_at: timestamp.nullable(),
    last_attempt_at: timestamp.nullable(),
    delivered_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'WebhookDelivery' });
const logOut = z
  .object({
    id: z.number().int(),
    delivery_id: z.uuid().nullable(),
    kind: z.enum(['attempt', 'notice']),
    at: timestamp,
    attempt_no: z.number().int().nullable(),
    status_code: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    message: z.string().nullable(),
  })
  .meta({ id: 'WebhookLogEntry' });

const toSubscription = (r: SubscriptionRow): z.infer<typeof subscriptionOut> => ({
  id: r.id,
  url: r.url,
  events: r.events,
  institution_id: r.institution_id,
  integration_key_id: r.integration_key_id,
  status: r.status,
  disabled_at: iso(r.disabled_at),
  disabled_reason: r.disabled_reason,
  description: r.description,
  secret_rotated_at: iso(r.secret_rotated_at),
  previous_secret_expires_at: iso(r.previous_secret_until),
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});
const toDelivery = (r: DeliveryRow & { type: string }): z.infer<typeof deliveryOut> => ({
  id: r.id,
  event_id: r.event_id,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  next_attempt_at: iso(r.next_attempt_at),
  first_attempt_at: iso(r.first_attempt_at),
  last_attempt_at: iso(r.last_attempt_at),
  delivered_at: iso(r.delivered_at),
  created_at: iso(r.created_at)!,
});
const toLog = (r: AttemptRow): z.infer<typeof logOut> => ({
  id: Number(r.id),
  delivery_id: r.delivery_id,
  kind: r.kind,
  at: iso(r.at)!,
  attempt_no: r.attempt_no,
  status_code: r.status_code,
  error: r.error,
  duration_ms: r.duration_ms,
  message: r.message,
});

const tags = ['webhooks'];
// Admin: any events; an institution key: its own institution's; an integration key: its own submissions'.
const OWNERS = ['admin', 'institution', 'integration'] as const;
const READERS = ['admin', 'auditor', 'institution', 'integration'] as const;
const deliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });

const subscriptionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const webhooks = ctx.services.webhooks;

  app.post(
    '/webhooks',
    {
      config: { roles: OWNERS },
      schema: {
        tags,
        operationId: 'createWebhookSubscription',
        summary: 'Subscribe a URL to events, signed per Standard Webhooks',
        body: createBody,
        response: { 201: createdOut, ...problemResponses(400, 422) },
      },
    },
    async (req, reply) => {
      const { row, secret } = await webhooks.create(principalOf(req), req.body);
      return reply.code(201).send({ ...toSubscription(row), secret });
    },
  );

  app.get(
    '/webhooks',
    {
      config: { roles: READERS },
      schema: {
        tags,
        operationId: 'listWebhookSubscriptions',
        summary: 'Subscriptions (a key that is not admin or auditor: its own)',
        querystring: pageQuery,
        response: { 200: pageSchema(subscriptionOut), ...problemResponses(400, 422) },
      },
    },
    async (req) => {
      const page = await webhooks.list(principalOf(req), req.query);
      return { ...page, items: page.items.map(toSubscription) };
    },
  );

  app.get(
    '/webhooks/:id',
    {
      config: { roles: READERS },
      schema: {
        tags,
        operationId: 'getWebhookSubscription',
        summary: 'A subscription',
        params: idParams,
        response: { 200: subscriptionOut, ...problemResponses(400, 404) },
      },
    },
    async (req) => toSubscription(await webhooks.get(principalOf(req), req.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { roles: OWNERS },
      schema: {
        tags,
        operationId: 'updateWebhookSubscription',
        summary: 'Change a subscription, disable it, or enable it again',
        params: idParams,
        body: patchBody,
        response: { 200: subscriptionOut, ...problemResponses(400, 404, 422) },
      },
    },
    async (req) => toSubscription(await webhooks.update(principalOf(req), req.params.id, req.body)),
  );
};

const secretRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const webhooks = ctx.services.webhooks;

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { roles: OWNERS },
      schema: {
        tags,
        operationId: 'rotateWebhookSecret',
        summary: 'Issue a new signing secret (shown once); the current one also signs for an overlap',
        description:
          'The new secret signs every delivery from now on. The current one keeps signing beside it until ' +
          '`previous_secret_expires_at` (`overlap_hours`, default 24): `webhook-signature` then holds both signatures, ' +
          'space-separated, as the Standard Webhooks specification allows, so a receiver switches secrets at its own pace. ' +
          'A secret rotated out earlier stops signing (at most two sign at once). Send `{}` for the default overlap, ' +
          '`{"overlap_hours": 0}` to retire a leaked secret at once. Recorded in the audit log and the delivery log.',
        params: idParams,
        body: rotateBody,
        response: { 200: rotatedOut, ...problemResponses(400, 404) },
      },
    },
    async (req) => {
      const { row, secret } = await webhooks.rotateSecret(principalOf(req), req.params.id, req.body.overlap_hours);
      return { ...toSubscription(row), secret };
    },
  );
};

const deliveryRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const webhooks = ctx.services.webhooks;

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { roles: READERS },
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: 'The subscription’s deliveries, one per event',
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageSchema(deliveryOut), ...problemResponses(400, 404, 422) },
      },
    },
    async (req) => {
      const page = await webhooks.deliveries(principalOf(req), req.params.id, req.query);
      return { ...page, items: page.items.map(toDelivery) };
    },
  );

  app.get(
    '/webhooks/:id/log',
    {
      config: { roles: READERS },
      schema: {
        tags,
        operationId: 'getWebhookLog',
        summary: 'The delivery log: every attempt (status, error, duration) and every notice (disabled, enabled, redelivery)',
        params: idParams,
        querystring: pageQuery.extend({ delivery_id: z.uuid().optional() }),
        response: { 200: pageSchema(logOut), ...problemResponses(400, 404, 422) },
      },
    },
    async (req) => {
      const page = await webhooks.log(principalOf(req), req.params.id, req.query);
      return { ...page, items: page.items.map(toLog) };
    },
  );

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: { roles: OWNERS },
      schema: {
        tags,
        operationId: 'redeliverWebhook',
        summary: 'Send a delivery again (same webhook-id), with a fresh retry window',
        params: deliveryParams,
        response: { 202: deliveryOut, ...problemResponses(400, 404) },
      },
    },
    async (req, reply) => {
      return reply.code(202).send(toDelivery(await webhooks.redeliver(principalOf(req), req.params.id, req.params.deliveryId)));
    },
  );
};

/** Webhook subscriptions, their deliveries and delivery log. */
export const webhookRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, opts) => {
  await subscriptionRoutes(app, opts);
  await secretRoutes(app, opts);
  await deliveryRoutes(app, opts);
};
