import { z } from 'zod';
import type { EventType } from './events.js';

/**
 * What each webhook event's `data` holds, and the body a subscription is POSTed
 * (`{type, timestamp, data}`): the one description of the payloads. The producers
 * (settlement-events.ts, awards.ts, payments.ts, reconciliation.ts, settlement.ts) are typed by
 * these schemas (`EventData`), and the OpenAPI document's `webhooks` (webhooks/openapi.ts)
 * references them: the registry ids below make @fastify/swagger's zod transform put them under
 * `components/schemas`. Outputs only — nothing parses a payload at run time.
 */

const id = (what: string) => z.uuid().meta({ description: `The ${what}’s id` });
const ore = (description: string) =>
  z
    .number()
    .int()
    .min(Number.MIN_SAFE_INTEGER)
    .max(Number.MAX_SAFE_INTEGER)
    .meta({ description: `${description} (integer øre)` });
const awardStatus = z.enum(['not_earned', 'awaiting_funds', 'provisional', 'held', 'final']);

const payout = z.object({ institution_id: id('institution'), amount_ore: ore('What the award pays this institution') });

export const AwardEventData = z
  .object({
    award_id: id('award'),
    fund_id: id('fund'),
    rule_id: id('rule'),
    measurement_id: id('measurement'),
    child_id: id('(pseudonymous) child'),
    revision: z.number().int().min(1).meta({ description: 'The award’s revision: 1 when computed, one more at every change' }),
    status: awardStatus,
    earned: z.boolean(),
    amount_ore: ore('The award'),
    retained_ore: ore('The part not paid to any institution'),
    payouts: z.array(payout).meta({ description: 'Institutions paid a positive amount' }),
  })
  .meta({ id: 'AwardEventData', description: 'An award as computed, changed or finalised (no CPR, no child reference)' });

export const MeasurementSettledEventData = z
  .object({
    measurement_id: id('measurement'),
    kind: z.string().meta({ description: 'The measurement kind’s key' }),
    period: z.string(),
    status: z.enum(['active', 'retracted']),
    revision: z.number().int().min(1),
    changed_awards: z
      .array(z.object({ award_id: id('award'), fund_id: id('fund'), rule_id: id('rule'), status: awardStatus, amount_ore: ore('The award') }))
      .meta({ description: 'Awards this settlement wrote (computed or changed)' }),
  })
  .meta({ id: 'MeasurementSettledEventData', description: 'A measurement the submitting key sent was settled' });

export const MeasurementRefusedEventData = z
  .object({
    measurement_id: id('measurement'),
    kind: z.string(),
    period: z.string(),
    revision: z.number().int().min(1),
    reason: z.literal('settlement_failed'),
  })
  .meta({
    id: 'MeasurementRefusedEventData',
    description: 'Settlement gave up on a measurement (sent once per version of its inputs); it stays unsettled and is retried',
  });

export const ObjectionEventData = z
  .object({
    objection_id: id('objection'),
    award_id: id('award'),
    fund_id: id('fund'),
    status: z.enum(['open', 'upheld', 'rejected', 'withdrawn']),
    institution_id: id('objecting institution').nullable(),
  })
  .meta({ id: 'ObjectionEventData', description: 'An objection to an award; its free-text reason and resolution are not sent' });

export const PaymentRunEventData = z
  .object({
    run_id: id('payment run'),
    fund_id: id('fund'),
    reference: z.string(),
    cutoff_on: z.iso.date(),
    status: z.enum(['created', 'confirmed', 'cancelled']),
    total_ore: ore('The run’s total').optional().meta({ description: 'The run’s total (integer øre); not sent to an institution’s subscription' }),
    lines: z
      .array(
        z.object({
          institution_id: id('institution'),
          reference: z.string().meta({ description: 'The line’s reference: the EndToEndId of its credit transfer' }),
          amount_ore: ore('The line'),
          status: z.enum(['pending', 'paid', 'returned', 'cancelled']),
        }),
      )
      .meta({ description: 'The run’s lines; an institution’s subscription is sent its own line only' }),
  })
  .meta({ id: 'PaymentRunEventData', description: 'A payment run created, or confirmed (by hand or by a bank statement)' });

export const PaymentLineReturnedEventData = z
  .object({
    run_id: id('payment run'),
    fund_id: id('fund'),
    institution_id: id('institution'),
    reference: z.string().meta({ description: 'The line’s reference (the EndToEndId the bank returned)' }),
    amount_ore: ore('The returned amount, back on the institution’s payable'),
    return_reason: z.string().nullable().meta({ description: 'The bank’s ISO 20022 return reason code (e.g. AC04); null for a reversal without one' }),
    returned_on: z.iso.date().nullable().meta({ description: 'The booking date of the return in the statement' }),
  })
  .meta({ id: 'PaymentLineReturnedEventData', description: 'The bank returned a payment line (camt.053/054)' });

/** The data schema of each event type. */
export const EVENT_DATA = {
  'measurement.settled': MeasurementSettledEventData,
  'measurement.refused': MeasurementRefusedEventData,
  'award.computed': AwardEventData,
  'award.changed': AwardEventData,
  'award.finalised': AwardEventData,
  'objection.opened': ObjectionEventData,
  'objection.resolved': ObjectionEventData,
  'payment_run.created': PaymentRunEventData,
  'payment_run.confirmed': PaymentRunEventData,
  'payment_line.returned': PaymentLineReturnedEventData,
} as const satisfies Record<EventType, z.ZodType>;

export type EventData<T extends EventType> = z.output<(typeof EVENT_DATA)[T]>;

/** `award.computed` → `AwardComputedEvent`: the component name of a type's body. */
export const eventSchemaName = (type: EventType) =>
  type
    .split(/[._]/)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('') + 'Event';

/** The body POSTed for each event type (Standard Webhooks' recommended envelope). */
export const EVENT_BODIES = Object.fromEntries(
  (Object.keys(EVENT_DATA) as EventType[]).map((type) => [
    type,
    z
      .object({
        type: z.literal(type),
        timestamp: z.iso.datetime().meta({ description: 'When the event happened (ISO 8601, UTC); the same on every attempt' }),
        data: EVENT_DATA[type],
      })
      .meta({ id: eventSchemaName(type), description: `The body POSTed for \`${type}\`` }),
  ]),
) as { [T in EventType]: z.ZodObject<{ type: z.ZodLiteral<T>; timestamp: z.ZodISODateTime; data: (typeof EVENT_DATA)[T] }> };
