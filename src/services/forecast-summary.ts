import { createHash } from 'node:crypto';
import { addChild, SummaryDelta, type ChildSnapshot, type SummaryUnit } from '../forecast/summary.js';
import { awardUnitsOf, cohortFrame, kindsOf, type CohortFrame, type ForecastRule, type ForecastVersion } from '../forecast/units.js';
import * as forecastRepo from '../repositories/forecast.js';
import * as repo from '../repositories/forecast-summary.js';
import * as measurementsRepo from '../repositories/measurements.js';
import type { Executor } from '../db/database.js';
import type { ServiceDeps } from './deps.js';

/** Children taken from the change list per transaction. */
const CHUNK = 5000;
/** Counted children read per page when a unit is summarised again. */
const PAGE = 5000;
/** Changed children the worker counts per finalisation pass. */
const IDLE_CHILDREN = 50_000;
/** At least this many change marks (or a quarter of the counted children) and the summary is built afresh. */
const FULL_BUILD_MARKS = 20_000;

export interface KeptUnit extends SummaryUnit {
  fingerprint: string;
}

export interface RefreshReport {
  /** Changed children counted again. */
  children: number;
  /** Units summarised again from every counted child (new rules, versions or catalogue periods). */
  units: number;
  /** Marks still waiting (only with a budget). */
  left: boolean;
}

/** The attributes a rule's multipliers read, and restgruppe_origin (the forecast's groups), sorted. */
export function keysOf(rule: ForecastRule): string[] {
  return [...new Set(['restgruppe_origin', ...rule.versions.flatMap((v) => (v.multipliers ?? []).map((m) => m.attribute))])].sort();
}

/**
 * Keeps the forecast's summary (migration 0023; src/forecast/summary.ts; DECISIONS D182–D184).
 * Triggers only mark changed children; `refresh` counts them again — takes each out as it was
 * counted and puts it in as it is now — and summarises a unit again from every counted child when
 * what it is computed from (its rule's versions, the catalogue's periods) changed. One writer at a
 * time (an advisory lock per transaction), in transactions of CHUNK children, so it can run from a
 * request and from the worker at once.
 */
export class ForecastSummaryService {
  /** Units by fingerprint: their frames (per birth date) are computed once per process. */
  private readonly kept = new Map<string, KeptUnit>();

  constructor(private readonly deps: ServiceDeps) {}

  /** Every rule's units as the database defines them now (frames cached while the fingerprint stands). */
  async units(db: Executor): Promise<KeptUnit[]> {
    const units = await summaryUnits(db, this.kept);
    const live = new Set(units.map((u) => u.fingerprint));
    for (const f of this.kept.keys()) if (!live.has(f)) this.kept.delete(f);
    return units;
  }

  /**
   * Brings the summary up to date; with `maxChildren`, stops after about that many (the worker's
   * background pass). With `yieldToOthers`, stops instead of waiting when another transaction is
   * writing the summary (a forecast request, or another worker's pass): that one brings it up to date.
   */
  async refresh(opts: { maxChildren?: number; yieldToOthers?: boolean } = {}): Promise<RefreshReport> {
    const report: RefreshReport = { children: 0, units: 0, left: false };
    for (;;) {
      const r = await this.deps.db.transaction().execute(async (trx) => {
        if (!(await repo.lockSummary(trx, !opts.yieldToOthers))) return null;
        const units = await this.units(trx);
        if (await this.manyMarks(trx)) return { ...(await this.rebuild(trx, units)), more: false };
        const rebuilt = await this.syncUnits(trx, units);
        const claimed = await repo.claimDirty(trx, CHUNK);
        if (claimed.marks) await this.recount(trx, units, claimed.ids);
        return { children: claimed.ids.length, units: rebuilt, more: claimed.marks === CHUNK };
      });
      if (r === null) return { ...report, left: true };
      report.children += r.children;
      report.units += r.units;
      if (!r.more) return report;
      if (opts.maxChildren !== undefined && report.children >= opts.maxChildren) return { ...report, left: true };
    }
  }

  /**
   * The worker's background pass (its own timer, beside the queues: workers/runtime.ts): when
   * settlement has nothing waiting, counts up to `maxChildren` changed children (or builds the
   * summary afresh after a bulk load), so that a forecast finds little left to do. Settlement goes
   * first: with measurements waiting it does nothing (a forecast request still catches up in full).
   * Nor does it wait for another writer of the summary. Settlement that starts while it runs is
   * not held up: it only marks children, which a later pass counts (DECISIONS D198).
   */
  async refreshWhenIdle(maxChildren = IDLE_CHILDREN): Promise<RefreshReport | null> {
    if (await measurementsRepo.anyUnsettled(this.deps.db)) return null;
    return this.refresh({ maxChildren, yieldToOthers: true });
  }

  /** Builds the summary afresh from every registered child (what `refresh` does after a bulk load; for operators and tests). */
  async rebuildAll(): Promise<{ children: number; units: number }> {
    return this.deps.db.transaction().execute(async (trx) => {
      await repo.lockSummary(trx);
      return this.rebuild(trx, await this.units(trx));
    });
  }

  /** So many children changed (a first build, a bulk load, a big settlement) that building the summary afresh is cheaper. */
  private async manyMarks(trx: Executor): Promise<boolean> {
    const threshold = Math.max(FULL_BUILD_MARKS, Math.floor((await repo.countedChildren(trx)) / 4));
    return repo.marksAtLeast(trx, threshold);
  }

  /** The summary built afresh from every registered child (one transaction). */
  private async rebuild(trx: Executor, units: KeptUnit[]): Promise<{ children: number; units: number }> {
    const t0 = performance.now();
    await repo.clearSummary(trx);
    const delta = new SummaryDelta();
    let after: string | null = null;
    let children = 0;
    for (;;) {
      const page = await repo.currentChildrenPage(trx, after, PAGE);
      if (!page.length) break;
      for (const [, child] of page) count(delta, units, child, 1);
      await repo.saveChildren(trx, page, []);
      children += page.length;
      after = page[page.length - 1]![0];
    }
    await repo.applyDelta(trx, delta);
    await repo.saveUnits(
      trx,
      units.map((u) => ({ ruleId: u.ruleId, period: u.period, fingerprint: u.fingerprint })),
    );
    this.deps.log.info({ children, units: units.length, ms: Math.round(performance.now() - t0) }, 'forecast summary built afresh');
    return { children, units: units.length };
  }

  /** Units whose fingerprint changed (or that are new) are summarised again from every counted child; removed ones dropped. */
  private async syncUnits(trx: Executor, units: KeptUnit[]): Promise<number> {
    const stored = await repo.storedUnits(trx);
    const current = new Set(units.map((u) => `${u.ruleId}|${u.period}`));
    const changed = units.filter((u) => stored.get(`${u.ruleId}|${u.period}`) !== u.fingerprint);
    const removed = [...stored.keys()].filter((k) => !current.has(k)).map((k) => ({ ruleId: k.slice(0, 36), period: k.slice(37) }));
    if (!changed.length && !removed.length) return 0;
    await repo.dropUnits(trx, [...changed, ...removed]);
    let after: string | null = null;
    for (;;) {
      const page = await repo.storedChildrenPage(trx, after, PAGE);
      if (!page.length) break;
      const delta = new SummaryDelta();
      for (const [, child] of page) for (const unit of changed) addChild(delta, unit, child, 1);
      await repo.applyDelta(trx, delta);
      after = page[page.length - 1]![0];
    }
    await repo.saveUnits(
      trx,
      units.map((u) => ({ ruleId: u.ruleId, period: u.period, fingerprint: u.fingerprint })),
    );
    this.deps.log.info({ units: changed.length, removed: removed.length }, 'forecast summary: units summarised again');
    return changed.length;
  }

  /** Takes these children out of the summary as it counted them and puts them in as they are now. */
  private async recount(trx: Executor, units: KeptUnit[], ids: string[]): Promise<void> {
    const [before, now] = await Promise.all([repo.storedChildren(trx, ids), repo.currentChildren(trx, ids)]);
    const delta = new SummaryDelta();
    const save: Array<[string, ChildSnapshot]> = [];
    const removed: string[] = [];
    for (const id of ids) {
      const old = before.get(id);
      const cur = now.get(id);
      if (old && cur && JSON.stringify(old) === JSON.stringify(cur)) continue;
      if (old) count(delta, units, old, -1);
      if (cur) {
        count(delta, units, cur, 1);
        save.push([id, cur]);
      } else if (old) removed.push(id);
    }
    await repo.applyDelta(trx, delta);
    await repo.saveChildren(trx, save, removed);
  }
}

function count(delta: SummaryDelta, units: KeptUnit[], child: ChildSnapshot, sign: 1 | -1): void {
  delta.births.set(child.birthDate, (delta.births.get(child.birthDate) ?? 0) + sign);
  for (const unit of units) addChild(delta, unit, child, sign);
}

/** Every rule's units (all funds), each with its frames and a fingerprint of what they are computed from; `cache` keeps them by fingerprint. */
export async function summaryUnits(db: Executor, cache = new Map<string, KeptUnit>()): Promise<KeptUnit[]> {
  const rules = (await forecastRepo.allRules(db)).map((r): ForecastRule => ({ ...r, versions: r.versions as ForecastVersion[] }));
  const periods = await forecastRepo.kindPeriods(db, [...new Set(rules.flatMap(kindsOf))]);
  const out: KeptUnit[] = [];
  for (const rule of rules) {
    const r = awardUnitsOf(rule, (kind) => periods.get(kind) ?? new Map());
    if ('reason' in r) continue;
    const keys = keysOf(rule);
    for (const unit of r.units) {
      const fingerprint = createHash('sha256')
        .update(
          JSON.stringify({
            rule: { id: rule.id, kind_key: rule.kind_key, periods: rule.periods, requirements: rule.requirements, versions: rule.versions },
            period: unit.period,
            specs: unit.specs,
            keys,
          }),
        )
        .digest('base64url');
      let kept = cache.get(fingerprint);
      if (!kept) {
        const frames = new Map<string, CohortFrame>();
        kept = {
          ruleId: rule.id,
          period: unit.period ?? '',
          keys,
          fingerprint,
          frame: (birthDate) => frames.get(birthDate) ?? frames.set(birthDate, cohortFrame(rule, unit, birthDate)).get(birthDate)!,
        };
        cache.set(fingerprint, kept);
      }
      out.push(kept);
    }
  }
  return out;
}
