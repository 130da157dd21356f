import type { Executor } from '../db/database.js';
import * as measurementsRepo from '../repositories/measurements.js';
import { enqueue } from '../repositories/outbox.js';

/**
 * Changes to the inputs of awards (enrolments, attributes, birth date, closures, successors)
 * call these in the same transaction as the change: they mark the affected measurements for
 * re-settlement (bumping `gen`, which also holds back funding of later awards until done)
 * and record the settle job in the outbox. The caller must call `afterCommit()` after commit.
 */
export async function childChanged(db: Executor, childId: string): Promise<void> {
  const ids = await measurementsRepo.bumpGenForChildren(db, [childId]);
  if (ids.length) await enqueue(db, [{ topic: 'settle', payload: { measurementIds: ids } }]);
}

/** An institution's closure or successor changed: every child ever enrolled there may be affected. */
export async function institutionChanged(db: Executor, institutionId: string): Promise<void> {
  await enqueue(db, [{ topic: 'recompute-institution', payload: { institutionId } }]);
}
