import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import * as measurementsRepo from '../repositories/measurements.js';
import { enqueue } from '../repositories/outbox.js';
import { findInstitutionsByRefs } from '../repositories/institutions.js';
import { lockChildren } from '../repositories/children.js';
import { enrolmentSpansOf, insertEnrolments } from '../repositories/enrolments.js';
import { isIsoDate } from '../settlement/dates.js';
import { resolveChildRefs } from './child-refs.js';
import { parseItems, rejectItem, type RejectedItem } from './batch-items.js';
import type { ServiceDeps } from './deps.js';

/**
 * Bulk enrolment import, the enrolment twin of the measurement batch: per-item results, one
 * transaction per chunk, a bad item never rejects the good ones. Re-importing the same file
 * is harmless: an identical enrolment is `unchanged`. Overlaps with stored enrolments or with
 * earlier items of the same chunk are rejected naming `start`.
 */
export const enrolmentItemSchema = z
  .strictObject({
    child_id: z.uuid().optional(),
    child_ref: z.string().trim().min(1).max(200).optional(),
    cpr: z.string().max(20).optional(),
    institution: z.string().trim().min(1).max(64),
    start: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD'),
    end: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD').nullish(),
  })
  .refine((i) => [i.child_id, i.child_ref, i.cpr].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of child_id, child_ref, cpr',
    path: ['child_id'],
  });

type Item = z.infer<typeof enrolmentItemSchema>;

export type EnrolmentResult = { index: number; outcome: 'accepted' | 'unchanged'; enrolment_id: string } | RejectedItem;

interface Candidate {
  index: number;
  childId: string;
  institutionId: string;
  start: string;
  end: string | null;
}

const overlaps = (a: { start: string; end: string | null }, b: { start: string; end: string | null }) =>
  (a.end === null || b.start < a.end) && (b.end === null || a.start < b.end);

export class EnrolmentImport {
  constructor(private readonly deps: ServiceDeps) {}

  async ingest(actor: Principal, raw: unknown[], offset = 0): Promise<EnrolmentResult[]> {
    const { parsed, rejected } = parseItems(raw, offset, enrolmentItemSchema);
    const results: EnrolmentResult[] = rejected;
    if (actor.role === 'integration' && !actor.scope?.enrolments) {
      for (const p of parsed) results.push(rejectItem(p.index, 403, 'institution', 'this key may not submit enrolments'));
      return results.sort((a, b) => a.index - b.index);
    }

    const changed = await this.deps.db.transaction().execute(async (trx) => {
      const candidates = await this.prepare(trx, actor, parsed, results);
      return this.write(trx, candidates, results);
    });
    if (changed) this.deps.afterCommit();
    return results.sort((a, b) => a.index - b.index);
  }

  private async prepare(trx: Executor, actor: Principal, items: Array<{ index: number; item: Item }>, results: EnrolmentResult[]) {
    if (!items.length) return [];
    const children = await resolveChildRefs(
      trx,
      this.deps.cpr,
      items.map((i) => i.item),
    );
    const refs = [...new Set(items.map((i) => i.item.institution))];
    const institutions = await findInstitutionsByRefs(trx, refs);
    const byRef = new Map<string, { id: string; code: string }>();
    for (const i of institutions) {
      byRef.set(i.code, i);
      byRef.set(i.id, i);
    }
    const scope = actor.role === 'integration' ? (actor.scope?.institutions ?? null) : null;
    const out: Candidate[] = [];
    items.forEach(({ index, item }, n) => {
      const child = children[n]!;
      if ('field' in child) return void results.push(rejectItem(index, 422, child.field, child.message));
      const inst = byRef.get(item.institution);
      if (!inst) return void results.push(rejectItem(index, 422, 'institution', 'is not a known institution (id or code)'));
      if (scope && !scope.includes(inst.id) && !scope.includes(inst.code)) {
        return void results.push(rejectItem(index, 403, 'institution', "this institution is outside the key's scope"));
      }
      const end = item.end ?? null;
      if (end !== null && end <= item.start) return void results.push(rejectItem(index, 422, 'end', 'must be after start (the span is [start, end))'));
      if (item.start < child.birth_date) return void results.push(rejectItem(index, 422, 'start', "is before the child's birth"));
      out.push({ index, childId: child.id, institutionId: inst.id, start: item.start, end });
    });
    return out;
  }

  /** Inserts what does not overlap; returns whether anything changed. */
  private async write(trx: Executor, candidates: Candidate[], results: EnrolmentResult[]): Promise<boolean> {
    if (!candidates.length) return false;
    // Lock the children's enrolment sets against concurrent writers: the exclusion constraint
    // would otherwise fail the whole chunk instead of the one overlapping item.
    const childIds = [...new Set(candidates.map((c) => c.childId))].sort();
    await lockChildren(trx, childIds);
    const existing = await enrolmentSpansOf(trx, childIds);
    const spans = new Map<string, Array<{ id: string | null; start: string; end: string | null }>>();
    for (const e of existing) {
      const key = `${e.child_id}:${e.institution_id}`;
      spans.set(key, [...(spans.get(key) ?? []), { id: e.id, start: e.start_on, end: e.end_on }]);
    }
    const inserts: Candidate[] = [];
    for (const c of candidates) {
      const key = `${c.childId}:${c.institutionId}`;
      const list = spans.get(key) ?? [];
      const same = list.find((s) => s.id && s.start === c.start && s.end === c.end);
      if (same) {
        results.push({ index: c.index, outcome: 'unchanged', enrolment_id: same.id! });
        continue;
      }
      if (list.some((s) => overlaps(s, c))) {
        results.push(rejectItem(c.index, 409, 'start', 'overlaps another enrolment of this child at this institution'));
        continue;
      }
      list.push({ id: null, start: c.start, end: c.end });
      spans.set(key, list);
      inserts.push(c);
    }
    if (!inserts.length) return false;
    const rows = await insertEnrolments(
      trx,
      inserts.map((c) => ({ child_id: c.childId, institution_id: c.institutionId, start_on: c.start, end_on: c.end })),
    );
    const idOf = new Map(rows.map((r) => [`${r.child_id}:${r.institution_id}:${r.start_on}`, r.id]));
    for (const c of inserts) {
      results.push({ index: c.index, outcome: 'accepted', enrolment_id: idOf.get(`${c.childId}:${c.institutionId}:${c.start}`)! });
    }
    // The children's awards may change: re-settle their measurements.
    const touched = [...new Set(inserts.map((c) => c.childId))];
    const ids = await measurementsRepo.bumpGenForChildren(trx, touched, this.deps.clock());
    for (let i = 0; i < ids.length; i += 500) {
      await enqueue(trx, [{ topic: 'settle', payload: { measurementIds: ids.slice(i, i + 500) } }]);
    }
    return true;
  }
}
