import type { ServiceDeps } from './deps.js';
import * as operationsRepo from '../repositories/operations.js';
import * as outboxRepo from '../repositories/outbox.js';
import * as measurementsRepo from '../repositories/measurements.js';
import * as webhooksRepo from '../repositories/webhooks.js';
import * as awardsRepo from '../repositories/awards.js';
import * as ledgerRepo from '../repositories/ledger.js';
import * as idempotencyRepo from '../repositories/idempotency.js';
import { listAuditLog, type AuditLogFilter } from '../repositories/audit-log.js';

/**
 * What operators and the process itself read about the service: readiness, the settlement
 * backlog, the gauges /metrics exports, the audit log, and the housekeeping the finalisation
 * timer does. No decisions about money here.
 */
export class OperationsService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The database answers a trivial query. */
  databaseReady(): Promise<boolean> {
    return operationsRepo.ping(this.deps.db);
  }

  /** Outbox rows not yet dispatched. */
  outboxPending(): Promise<number> {
    return outboxRepo.pendingCount(this.deps.db);
  }

  /** Measurements waiting for settlement (exact up to a bound, then an estimate). */
  settlementBacklog(): Promise<{ count: number; estimated: boolean }> {
    return measurementsRepo.backlogSize(this.deps.db);
  }

  /** Webhook deliveries still pending. */
  pendingDeliveries(): Promise<number> {
    return webhooksRepo.pendingDeliveryCount(this.deps.db);
  }

  /** Journal entries appended but not yet sealed into the hash chain (docs/LEDGER.md). */
  unsealedEntries(): Promise<number> {
    return ledgerRepo.pendingCount(this.deps.db);
  }

  /** Seal lag p50/p99 (ms) over the last sealed entries; nulls when none. */
  sealLag(): Promise<{ p50: number | null; p99: number | null; n: number }> {
    return ledgerRepo.sealLag(this.deps.db);
  }

  /** Funds that have awards waiting for money (the finalisation timer gives each a funding pass). */
  fundsWithAwaiting(): Promise<string[]> {
    return awardsRepo.fundsWithAwaiting(this.deps.db);
  }

  /** Drops `Idempotency-Key` records past their expiry. */
  purgeExpiredIdempotencyKeys(): Promise<number> {
    return idempotencyRepo.purgeExpired(this.deps.db, this.deps.clock());
  }

  /** Audit records in the order appended, after `afterId`. */
  auditLog(filter: AuditLogFilter, afterId: bigint | null, limit: number) {
    return listAuditLog(this.deps.db, filter, afterId, limit);
  }
}
