import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { parseCpr, type CprHash } from '../domain/cpr.js';
import { newId } from '../domain/ids.js';
import { cprHashKey, findChildrenByCprHashes, findChildrenByExternalRefs, insertChildren, type ChildInsert } from '../repositories/children.js';
import { isIsoDate } from '../settlement/dates.js';
import { recordAudit } from './audit.js';
import { businessDate } from './business-date.js';
import type { ServiceDeps } from './deps.js';
import { parseItems, rejectItem, type RejectedItem } from './batch-items.js';

/**
 * Bulk child registration (municipal systems hand over whole cohorts): per-item results, one
 * transaction per chunk. A child already registered under the same external reference or
 * CPR is `unchanged` (its id is returned), so an import can be re-run safely. As for single
 * registration, only the keyed HMAC of a CPR is stored and the birth date is derived from it.
 */
const attribute = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);
export const childItemSchema = z.strictObject({
  external_ref: z.string().trim().min(1).max(200).optional(),
  cpr: z.string().max(20).optional(),
  birth_date: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD').optional(),
  attributes: z
    .record(z.string().min(1).max(100), attribute)
    .refine((a) => Object.keys(a).length <= 50, 'at most 50 attributes')
    .optional(),
});

export type ChildResult = { index: number; outcome: 'accepted' | 'unchanged'; child_id: string } | RejectedItem;

export class ChildImport {
  constructor(private readonly deps: ServiceDeps) {}

  async ingest(actor: Principal, raw: unknown[], offset = 0): Promise<ChildResult[]> {
    const results: ChildResult[] = [];
    const today = businessDate(this.deps.clock(), this.deps.timeZone);
    const rows: Array<Omit<ChildInsert, 'id'> & { index: number }> = [];
    // Per row index: the CPR's hash under every key of the ring, to find it however it was stored.
    const candidates = new Map<number, CprHash[]>();
    const { parsed, rejected } = parseItems(raw, offset, childItemSchema);
    results.push(...rejected);
    parsed.forEach(({ index, item }) => {
      let birthDate = item.birth_date;
      let hash: { keyId: string; hmac: string } | null = null;
      if (item.cpr !== undefined) {
        const p = parseCpr(item.cpr);
        if (!p.ok) return void results.push(rejectItem(index, 422, 'cpr', p.reason));
        if (birthDate && birthDate !== p.birthDate) return void results.push(rejectItem(index, 422, 'birth_date', 'does not match the CPR number'));
        birthDate = p.birthDate;
        hash = this.deps.cpr.hash(p.normalised);
        candidates.set(index, this.deps.cpr.candidates(p.normalised));
      }
      if (!birthDate) return void results.push(rejectItem(index, 422, 'birth_date', 'is required unless cpr is given'));
      if (birthDate > today) return void results.push(rejectItem(index, 422, item.cpr ? 'cpr' : 'birth_date', 'is in the future'));
      rows.push({
        index,
        external_ref: item.external_ref ?? null,
        birth_date: birthDate,
        attributes: JSON.stringify(item.attributes ?? {}),
        cpr_hmac: hash?.hmac ?? null,
        cpr_key_id: hash?.keyId ?? null,
      });
    });
    if (!rows.length) return results.sort((a, b) => a.index - b.index);

    await this.deps.db.transaction().execute(async (trx) => {
      // Existing children by reference or by CPR (under any key of the keyring) are unchanged.
      const refs = rows.map((r) => r.external_ref).filter((x): x is string => !!x);
      const [byRefRows, byCpr] = await Promise.all([findChildrenByExternalRefs(trx, refs), findChildrenByCprHashes(trx, [...candidates.values()].flat())]);
      const byRef = new Map(byRefRows.map((e) => [e.external_ref!, e.id]));
      const byHmac = new Map(byCpr.map((e) => [cprHashKey(e), e.id]));
      const existingByCpr = (index: number) => (candidates.get(index) ?? []).map((h) => byHmac.get(cprHashKey(h))).find((id) => id);
      const seen = new Set<string>();
      const fresh = rows.filter((r) => {
        const id = (r.external_ref && byRef.get(r.external_ref)) || existingByCpr(r.index);
        if (id) return (void results.push({ index: r.index, outcome: 'unchanged', child_id: id }), false);
        const keys = [r.external_ref && `ref:${r.external_ref}`, r.cpr_hmac && `cpr:${r.cpr_hmac}`].filter((k): k is string => !!k);
        if (keys.some((k) => seen.has(k)))
          return (void results.push(rejectItem(r.index, 409, r.cpr_hmac ? 'cpr' : 'external_ref', 'appears twice in this batch')), false);
        keys.forEach((k) => seen.add(k));
        return true;
      });
      if (!fresh.length) return;
      // Ids are made here so each result names its child without relying on RETURNING order.
      const withIds = fresh.map(({ index, ...row }) => ({ index, row: { id: newId(), ...row } }));
      await insertChildren(
        trx,
        withIds.map((w) => w.row),
      );
      for (const w of withIds) results.push({ index: w.index, outcome: 'accepted', child_id: w.row.id });
      await recordAudit(trx, actor, 'child.import', { type: 'children', id: `${offset}` }, { accepted: fresh.length });
    });
    return results.sort((a, b) => a.index - b.index);
  }
}
