/**
 * The committed OpenAPI document (openapi/openapi.json) describes every webhook the service
 * sends (issue 15 §5): one `webhooks` entry per event type, with the Standard Webhooks headers
 * and the body schema; and bodies built by the real producers — signed as they are sent — pass
 * the same check the integration suite applies to what its receivers get (test/support/contract.ts
 * `webhookViolations`). Freshness of the document against the code: test/integration/openapi.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DOC, deref, webhookViolations } from '../../support/contract.js';
import { objectionEvent } from '../../../src/services/awards.js';
import { runEvent } from '../../../src/services/payments.js';
import { returnedEvent } from '../../../src/services/reconciliation.js';
import { finalisedEvents, refusedEvent, settlementEvents } from '../../../src/services/settlement-events.js';
import { bodyFor, EVENT_TYPES, eventIdOf, type DomainEvent, type EventType, type SubscriptionScope } from '../../../src/webhooks/events.js';
import { retryScheduleText } from '../../../src/webhooks/openapi.js';
import { signedHeaders } from '../../../src/webhooks/sender.js';

const SECRET = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`;
const admin: SubscriptionScope = { id: 's1', events: [...EVENT_TYPES], institution_id: null, integration_key_id: null };

/** One event of every type the service sends, each from the function that builds it in the service. */
function producedEvents(): DomainEvent[] {
  const [fund, rule, child, measurement, instA, instB, run, objection, key] = Array.from({ length: 9 }, () => randomUUID());
  const award = (id: string, revision: number) => ({
    id,
    revision,
    fund_id: fund!,
    rule_id: rule!,
    measurement_id: measurement!,
    child_id: child!,
    status: 'provisional' as const,
    earned: true,
    amount_ore: 1_000_000n,
    retained_ore: 0n,
  });
  const payees = [
    { institutionId: instA!, amount: 600_000n, payable: 0n },
    { institutionId: instB!, amount: 400_000n, payable: 0n },
  ];
  const [first, second] = [randomUUID(), randomUUID()];
  const settled = settlementEvents(
    [{ id: measurement!, kind_key: 'sprogvurdering', period: 'age-4', status: 'active', revision: 2, submitted_by: key! } as never],
    [{ award: award(first, 1), payees } as never, { award: { ...award(second, 3), earned: false, amount_ore: 0n, status: 'not_earned' }, payees: [] } as never],
    [{ id: second, payees }],
  );
  const finalised = finalisedEvents([{ ...award(first, 1), payees } as never]);
  const runRow = { id: run!, fund_id: fund!, reference: 'PR-20261205-AB12CD34', cutoff_on: '2026-12-05', status: 'created', total_ore: 1_000_000n } as never;
  const lines = [
    { institution_id: instA!, reference: 'PR-20261205-AB12CD34-0001', amount_ore: 600_000n, status: 'pending' },
    { institution_id: instB!, reference: 'PR-20261205-AB12CD34-0002', amount_ore: 400_000n, status: 'pending' },
  ] as never[];
  const fullAward = { ...award(first, 1), payees } as never;
  return [
    ...settled,
    ...finalised,
    refusedEvent({ id: measurement!, kind_key: 'sprogvurdering', period: 'age-4', revision: 2, submitted_by: key!, gen: 3n } as never),
    objectionEvent('objection.opened', { id: objection!, status: 'open', institution_id: instA! }, fullAward),
    objectionEvent('objection.resolved', { id: objection!, status: 'upheld', institution_id: null }, fullAward),
    runEvent('payment_run.created', runRow, lines),
    runEvent('payment_run.confirmed', runRow, lines),
    returnedEvent(
      { reference: 'PR-20261205-AB12CD34-0002', runId: run!, fundId: fund!, institutionId: instB!, amountOre: 400_000n, status: 'pending', debtorIban: null },
      { returnReason: 'AC04', bookingDate: '2026-12-07' },
    ),
    returnedEvent(
      { reference: 'PR-20261205-AB12CD34-0001', runId: run!, fundId: fund!, institutionId: instA!, amountOre: 600_000n, status: 'pending', debtorIban: null },
      { returnReason: null, bookingDate: null },
    ),
  ];
}

/** The body and headers as the worker sends them to `sub`. */
function sent(sub: SubscriptionScope, e: DomainEvent) {
  const at = new Date();
  const body = bodyFor(sub, e, at);
  return { body, headers: signedHeaders([SECRET], eventIdOf(e), at, body) };
}

describe('the OpenAPI document’s webhooks', () => {
  it('has an entry for every event type the service sends, and for no other', () => {
    expect(Object.keys(DOC.webhooks ?? {}).sort()).toEqual([...EVENT_TYPES].sort());
    // …and the subscription routes offer exactly those types.
    const offered = deref(DOC.paths['/v1/webhooks'].post.requestBody.content['application/json'].schema).properties.events.items.enum;
    expect([...offered].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES)('%s: a POST with an operationId, the three signature headers, the body and what each answer means', (type) => {
    const op = DOC.webhooks[type].post;
    expect(op.operationId).toMatch(/^webhook[A-Z]\w+$/);
    expect(op.security).toEqual([]);
    const headers = op.parameters.map(deref);
    expect(headers.map((h: any) => [h.in, h.name, h.required])).toEqual([
      ['header', 'webhook-id', true],
      ['header', 'webhook-timestamp', true],
      ['header', 'webhook-signature', true],
    ]);
    expect(headers[2].description).toMatch(/whsec_/);
    expect(headers[2].description).toMatch(/HMAC-SHA256/);
    const body = deref(op.requestBody.content['application/json'].schema);
    expect(body.required).toEqual(['type', 'timestamp', 'data']);
    expect(body.properties.type.const).toBe(type);
    expect(Object.keys(op.responses).sort()).toEqual(['2XX', '4XX', '5XX', 'default']);
    expect(op.responses['5XX'].description).toContain(retryScheduleText({ baseDelayMs: 60_000, maxDelayMs: 6 * 3_600_000, windowMs: 24 * 3_600_000 }, 10_000));
  });

  it('states the retry schedule the worker uses (13 attempts over ~26.5 h with the defaults)', () => {
    const text = retryScheduleText({ baseDelayMs: 60_000, maxDelayMs: 6 * 3_600_000, windowMs: 24 * 3_600_000 }, 10_000);
    expect(text).toContain(
      '1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first',
    );
  });

  it('a body every producer builds, as sent to an admin and to an institution, validates against its entry', () => {
    const events = producedEvents();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set<EventType>(EVENT_TYPES));
    for (const e of events) {
      const { body, headers } = sent(admin, e);
      expect(webhookViolations(body, headers), body).toEqual([]);
      for (const institution of e.audience.institutionIds) {
        const mine = sent({ ...admin, institution_id: institution }, e);
        expect(webhookViolations(mine.body, mine.headers), mine.body).toEqual([]);
      }
    }
  });

  it('the check can fail: an unknown type, a missing or extra field, a wrong amount type, a missing header', () => {
    const e = producedEvents().find((x) => x.type === 'payment_line.returned')!;
    const { body, headers } = sent(admin, e);
    const parsed = JSON.parse(body);
    const tweak = (f: (b: any) => void) => {
      const copy = structuredClone(parsed);
      f(copy);
      return JSON.stringify(copy);
    };
    expect(
      webhookViolations(
        tweak((b) => (b.type = 'payment_line.lost')),
        headers,
      ),
    ).toEqual(['the document has no webhooks entry for the event type payment_line.lost']);
    expect(
      webhookViolations(
        tweak((b) => delete b.data.reference),
        headers,
      ).join(),
    ).toMatch(/reference/);
    expect(
      webhookViolations(
        tweak((b) => (b.data.cpr = '150319-4123')),
        headers,
      ).join(),
    ).toMatch(/additional properties/);
    expect(
      webhookViolations(
        tweak((b) => (b.data.amount_ore = '4000.00')),
        headers,
      ).join(),
    ).toMatch(/amount_ore must be integer/);
    expect(webhookViolations(body, { ...headers, 'webhook-signature': undefined }).join()).toMatch(/webhook-signature is missing/);
    expect(webhookViolations(body, { ...headers, 'webhook-id': 'msg_1' }).join()).toMatch(/webhook-id does not match/);
  });
});
