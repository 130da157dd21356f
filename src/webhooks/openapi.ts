import { configSchema } from '../config.js';
import { EVENT_TYPES, EVENTS_FOR_ROLE, type EventType } from './events.js';
import { eventSchemaName } from './payloads.js';
import { attemptTimes, retryDelayMs, type RetryPolicy } from './schedule.js';

/**
 * The OpenAPI 3.1 `webhooks` object: what the service POSTs to a subscription, one operation per
 * event type. The bodies are the zod schemas of webhooks/payloads.ts (put under
 * `components/schemas` by the routes' zod transform, by their registry ids), so the document and
 * the producers' types come from one description; the three Standard Webhooks headers are
 * `components/parameters`; the retry schedule is computed from the configuration's defaults by
 * the same functions the worker uses (webhooks/schedule.ts).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const SUMMARIES: Record<EventType, string> = {
  'measurement.settled': 'A measurement the subscribing key submitted was settled',
  'measurement.refused': 'Settlement gave up on a measurement the subscribing key submitted',
  'award.computed': 'An award was computed (its first revision)',
  'award.changed': 'An award was recomputed to a new revision (e.g. after a corrected measurement or enrolment, or a new rule version)',
  'award.finalised': 'An award became final',
  'objection.opened': 'An objection to an award was filed',
  'objection.resolved': 'An objection was resolved (upheld, rejected or withdrawn)',
  'payment_run.created': 'A payment run was created',
  'payment_run.confirmed': 'A payment run was confirmed (by hand, or by a bank statement once no line is pending)',
  'payment_line.returned': 'The bank returned a payment line; its amount is owed to the institution again',
};

const defaultOf = (key: 'WEBHOOK_RETRY_BASE_MS' | 'WEBHOOK_RETRY_MAX_DELAY_MS' | 'WEBHOOK_RETRY_WINDOW_MS' | 'WEBHOOK_TIMEOUT_MS') =>
  configSchema.shape[key].parse(undefined);

const span = (ms: number) => {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 5 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
};

/** "waits of 1, 2, 4, … 256 min, then 6 h each; 13 attempts, the last 26.5 h after the first" (defaults). */
export function retryScheduleText(p: RetryPolicy, timeoutMs: number): string {
  const times = attemptTimes(p);
  const waits = times.slice(1).map((t, i) => t - times[i]!);
  const last = waits.findIndex((w) => w === p.maxDelayMs);
  const rising = (last < 0 ? waits : waits.slice(0, last)).map(span);
  const capped = last < 0 ? 0 : waits.length - last;
  const listed = [...rising, ...(capped ? [`then ${span(p.maxDelayMs)} ${capped === 1 ? 'once' : `${capped} times`}`] : [])].join(', ');
  return (
    `An attempt that is not answered 2xx within ${span(timeoutMs)} (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential ` +
    `back-off: the n-th failure waits ${span(p.baseDelayMs)} · 2^(n−1), at most ${span(p.maxDelayMs)}, until the delivery has failed for ` +
    `${span(p.windowMs)} since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; ` +
    `production refuses a window under 24 h). With the defaults the waits are ${listed}: ${times.length} attempts, the last ${span(times.at(-1)!)} after the first. Then the delivery is given up (failed); ` +
    `if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until ` +
    '`PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again.'
  );
}

const DEFAULT_POLICY: RetryPolicy = {
  baseDelayMs: defaultOf('WEBHOOK_RETRY_BASE_MS'),
  maxDelayMs: defaultOf('WEBHOOK_RETRY_MAX_DELAY_MS'),
  windowMs: defaultOf('WEBHOOK_RETRY_WINDOW_MS'),
};
// A sanity check on the defaults the text describes (the first wait is the base).
if (retryDelayMs(1, DEFAULT_POLICY) !== DEFAULT_POLICY.baseDelayMs) throw new Error('webhooks/openapi: unexpected retry policy');

const RETRIED = retryScheduleText(DEFAULT_POLICY, defaultOf('WEBHOOK_TIMEOUT_MS'));

/** The signature headers, as `components/parameters` (referenced by every webhook operation). */
export const WEBHOOK_PARAMETERS: Record<string, Json> = {
  WebhookId: {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description:
      'The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. ' +
      'Deduplicate by it: the service delivers at least once.',
    schema: { type: 'string', pattern: '^evt_[0-9a-f]{32}$', example: 'evt_5f0c3e1a9b2d4c6e8f0a1b2c3d4e5f60' },
  },
  WebhookTimestamp: {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description:
      'When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message ' +
      'whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays.',
    schema: { type: 'string', pattern: '^[0-9]+$', example: '1764943200' },
  },
  WebhookSignature: {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      'Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) ' +
      'over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by ' +
      '`POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message ' +
      'if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous ' +
      'secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package.',
    schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' },
  },
};

const receivers = (type: EventType) =>
  (['admin', 'institution', 'integration'] as const)
    .filter((role) => EVENTS_FOR_ROLE[role].includes(type))
    .map((role) =>
      role === 'admin'
        ? 'an admin’s subscription (optionally limited to one institution)'
        : role === 'institution'
          ? 'the subscription of an institution concerned'
          : 'the subscription of the integration key that submitted the measurement',
    )
    .join('; ');

const operationIdOf = (type: EventType) => `webhook${eventSchemaName(type).replace(/Event$/, '')}`;

function operation(type: EventType): Json {
  const failed = `Not delivered: retried. ${RETRIED}`;
  return {
    post: {
      operationId: operationIdOf(type),
      summary: SUMMARIES[type],
      description:
        `POSTed to every active subscription to \`${type}\` that may see it: ${receivers(type)}. ` +
        'Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. ' +
        'Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.',
      tags: ['webhooks'],
      security: [],
      parameters: Object.keys(WEBHOOK_PARAMETERS).map((name) => ({ $ref: `#/components/parameters/${name}` })),
      requestBody: {
        required: true,
        description: `The event (Standard Webhooks’ \`{type, timestamp, data}\`), the same bytes on every attempt.`,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${eventSchemaName(type)}` } } },
      },
      responses: {
        '2XX': { description: 'Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand.' },
        '4XX': { description: failed },
        '5XX': { description: failed },
        default: { description: `Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). ${failed}` },
      },
    },
  };
}

/** The document's `webhooks`: one entry, named by the event type, per type the service sends. */
export const WEBHOOKS: Record<EventType, Json> = Object.fromEntries(EVENT_TYPES.map((type) => [type, operation(type)])) as Record<EventType, Json>;
