import type { Db } from '../db/database.js';
import { CATALOGUE_VERSION, INDICATORS, type CatalogueKind } from '../catalogue/indicators.js';
import * as repo from '../repositories/kinds.js';
import { recordAudit } from './audit.js';
import { toPeriodWrite } from './kinds.js';

export interface CatalogueInstall {
  version: number;
  /** Entries inserted now (`kind:<key>`, `period:<key>/<period>`). */
  installed: string[];
  /** Entries seen for the first time but left alone: the database already had its own. */
  kept: string[];
}

const kindEntry = (key: string) => `kind:${key}`;
const periodEntry = (key: string, period: string) => `period:${key}/${period}`;

/**
 * Installs the indicator catalogue (src/catalogue/indicators.ts), idempotently: each entry —
 * a kind, or one period of a kind — is handled once and remembered in `catalogue_entries`.
 * A kind whose key already exists is kept as it is (an administrator's or the seed's); a period
 * is added only to a kind the catalogue itself installed. An entry once handled is never
 * installed again, so what an administrator replaced or changed later stays as they left it
 * (DECISIONS.md D121). Concurrent starts (API and workers) are serialised by a table lock.
 */
export async function installCatalogue(db: Db, kinds: CatalogueKind[] = INDICATORS, version = CATALOGUE_VERSION): Promise<CatalogueInstall> {
  return db.transaction().execute(async (tx) => {
    await repo.lockCatalogue(tx);
    const handled = await repo.handledCatalogueEntries(tx);
    const out: CatalogueInstall = { version, installed: [], kept: [] };
    const ours = new Set<string>();
    for (const k of kinds) {
      const entry = kindEntry(k.key);
      if (handled.has(entry)) continue;
      const inserted = await repo.insertMeasurementKindIfAbsent(tx, {
        key: k.key,
        type: k.type,
        values: k.values ?? null,
        min: k.min ?? null,
        max: k.max ?? null,
        description: k.description,
        unit: k.unit,
        source: k.source,
        family: k.family,
        valid_from: k.valid_from ?? null,
        valid_to: k.valid_to ?? null,
        origin: 'catalogue',
        catalogue_version: version,
      });
      (inserted ? out.installed : out.kept).push(entry);
    }
    // Periods go only to kinds that are (still) the catalogue's own.
    const existing = await repo.listCatalogueKindKeys(
      tx,
      kinds.map((k) => k.key),
    );
    for (const key of existing) ours.add(key);
    for (const k of kinds) {
      const fresh = k.periods.filter((p) => !handled.has(periodEntry(k.key, p.period)));
      if (!fresh.length) continue;
      if (!ours.has(k.key)) {
        out.kept.push(...fresh.map((p) => periodEntry(k.key, p.period)));
        continue;
      }
      await repo.insertPeriods(
        tx,
        k.key,
        fresh.map((p) => toPeriodWrite(p, 'catalogue')),
        true,
      );
      out.installed.push(...fresh.map((p) => periodEntry(k.key, p.period)));
    }
    await repo.recordCatalogueEntries(
      tx,
      [...out.installed.map((entry) => ({ entry, outcome: 'installed' as const })), ...out.kept.map((entry) => ({ entry, outcome: 'kept' as const }))],
      version,
    );
    if (out.installed.length || out.kept.length) {
      await recordAudit(tx, null, 'catalogue.install', { type: 'catalogue', id: String(version) }, { installed: out.installed.length, kept: out.kept.length });
    }
    return out;
  });
}
