import { createHash, randomUUID } from 'node:crypto';
import type { EventData } from './payloads.js';

/**
 * The events a webhook subscription can ask for, who may ask for which, and what a
 * subscription is sent (pure). Event data carries ids, statuses and amounts only: never a CPR
 * number, a CPR HMAC, a child's external reference or a secret.
 */
export const EVENT_TYPES = [
  'measurement.settled',
  'measurement.refused',
  'award.computed',
  'award.changed',
  'award.finalised',
  'objection.opened',
  'objection.resolved',
  'payment_run.created',
  'payment_run.confirmed',
  'payment_line.returned',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * §7 carried over: an integration hears about the measurements it submitted; an institution
 * about its own awards, objections and payments; an admin about everything.
 */
export const EVENTS_FOR_ROLE: Readonly<Record<'admin' | 'institution' | 'integration', readonly EventType[]>> = {
  admin: EVENT_TYPES,
  integration: ['measurement.settled', 'measurement.refused'],
  institution: [
    'award.computed',
    'award.changed',
    'award.finalised',
    'objection.opened',
    'objection.resolved',
    'payment_run.created',
    'payment_run.confirmed',
    'payment_line.returned',
  ],
};

/** An event of one type, its data typed by that type's schema (webhooks/payloads.ts). */
export interface TypedEvent<T extends EventType> {
  type: T;
  data: EventData<T>;
  /** Whose event it is: the institutions concerned and the key that submitted the measurement. */
  audience: { institutionIds: readonly string[]; submitterKeyId?: string | null };
  /**
   * For events that may be raised again for the same fact (a refused measurement is retried):
   * the event id is derived from it, so the second raise is recognised and dropped.
   */
  dedupeKey?: string;
}

export type DomainEvent = { [T in EventType]: TypedEvent<T> }[EventType];

export interface SubscriptionScope {
  id: string;
  events: readonly string[];
  institution_id: string | null;
  integration_key_id: string | null;
}

export function eventIdOf(e: DomainEvent): string {
  if (e.dedupeKey) return `evt_${createHash('sha256').update(`${e.type}:${e.dedupeKey}`).digest('hex').slice(0, 32)}`;
  return `evt_${randomUUID().replace(/-/g, '')}`;
}

/** Whether the subscription is sent this event. */
export function isFor(sub: SubscriptionScope, e: DomainEvent): boolean {
  if (!sub.events.includes(e.type)) return false;
  if (sub.institution_id !== null) return e.audience.institutionIds.includes(sub.institution_id);
  if (sub.integration_key_id !== null) return (e.audience.submitterKeyId ?? null) === sub.integration_key_id;
  return true;
}

/**
 * The event data as this subscription may see it. A payment run concerns every institution
 * paid in it; an institution is shown its own line only, and not the run's total.
 */
export function dataFor(sub: SubscriptionScope, e: DomainEvent): Record<string, unknown> {
  if (sub.institution_id === null || !e.type.startsWith('payment_run.')) return e.data;
  const { lines, total_ore: _total, ...rest } = e.data as { lines?: Array<{ institution_id: string }>; total_ore?: unknown };
  return { ...rest, lines: (lines ?? []).filter((l) => l.institution_id === sub.institution_id) };
}

/**
 * The body sent (Standard Webhooks' recommended shape): `{type, timestamp, data}`. Rendered
 * once at fan-out and stored, so every attempt sends — and signs — the same bytes.
 */
export function bodyFor(sub: SubscriptionScope, e: DomainEvent, occurredAt: Date): string {
  return JSON.stringify({ type: e.type, timestamp: occurredAt.toISOString(), data: dataFor(sub, e) });
}
