import type { Executor } from '../db/database.js';
import * as measurementsRepo from '../repositories/measurements.js';
import { enqueue } from '../repositories/outbox.js';
import { predecessorsOf } from '../repositories/institutions.js';
import { childrenEverEnrolledAt } from '../repositories/enrolments.js';

/**
 * Changes to the inputs of awards (enrolments, attributes, birth date, closures, successors)
 * call these in the same transaction as the change: they mark the affected measurements for
 * re-settlement (bumping `gen`, which also holds back funding of later awards until done)
 * and record the settle job in the outbox. The caller must call `afterCommit()` after commit.
 */
const SETTLE_CHUNK = 500;

export async function childChanged(db: Executor, childId: string, now: Date): Promise<void> {
  const ids = await measurementsRepo.bumpGenForChildren(db, [childId], now);
  if (ids.length) await enqueue(db, [{ topic: 'settle', payload: { measurementIds: ids } }]);
}

/**
 * An institution's closure, successor, kind or code changed: every child ever enrolled there,
 * or at an institution whose successor chain passes through it, may have awards whose payee
 * or split changes. Done in the caller's transaction (not as a job) so that a lost job cannot
 * lose the change: the marked measurements are re-settled, or picked up by the reconciler.
 */
export async function institutionChanged(db: Executor, institutionId: string, now: Date): Promise<void> {
  const institutions = new Set<string>([institutionId]);
  let frontier = [institutionId];
  while (frontier.length) {
    frontier = (await predecessorsOf(db, frontier)).filter((id) => !institutions.has(id));
    frontier.forEach((id) => institutions.add(id));
  }
  const children = await childrenEverEnrolledAt(db, [...institutions]);
  const ids = await measurementsRepo.bumpGenForChildren(db, children, now);
  for (let i = 0; i < ids.length; i += SETTLE_CHUNK) {
    await enqueue(db, [{ topic: 'settle', payload: { measurementIds: ids.slice(i, i + SETTLE_CHUNK) } }]);
  }
}
