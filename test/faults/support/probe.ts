/**
 * Polls the API while a dependency is down, the way a client and a load balancer would:
 * `GET /readyz`, a write (`POST /v1/measurements`, one new measurement per round) and
 * `GET /v1/settlement/status`. Records every answer so the case can assert that the API said
 * 503 with `Retry-After` — never 500, never silence — and report the figures.
 */
import { expect } from 'vitest';
import type { SeedMeasurement } from '../../../src/seed/population.js';
import type { Cluster } from './cluster.js';

export type ProbeEndpoint = 'readyz' | 'write' | 'status';

export interface ProbeAnswer {
  endpoint: ProbeEndpoint;
  /** The HTTP status, or 0 when the API did not answer at all. */
  status: number;
  retryAfter: string | null;
}

export class OutageProbe {
  readonly answers: ProbeAnswer[] = [];
  /** Measurements the write probe sent (accepted or not: a client resends them later). */
  readonly sent: SeedMeasurement[] = [];
  private rounds = 0;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly c: Cluster,
    private readonly writes: SeedMeasurement[],
  ) {
    this.loop = this.run();
  }

  private async ask(endpoint: ProbeEndpoint, method: string, path: string, body?: unknown): Promise<void> {
    const res = await this.c.call(method, path, body).catch(() => null);
    this.answers.push({ endpoint, status: res?.status ?? 0, retryAfter: res?.headers.get('retry-after') ?? null });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.ask('readyz', 'GET', '/readyz');
      const item = this.writes[this.sent.length];
      if (item) {
        this.sent.push(item);
        await this.ask('write', 'POST', '/v1/measurements', item);
      }
      await this.ask('status', 'GET', '/v1/settlement/status');
      this.rounds++;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops after at least `minRounds` complete rounds (the outage lasts at least that long). */
  async stop(minRounds = 10): Promise<ProbeAnswer[]> {
    while (this.rounds < minRounds) await new Promise((r) => setTimeout(r, 50));
    this.stopped = true;
    await this.loop;
    return this.answers;
  }

  /** Count of answers per endpoint and status, e.g. `{ 'readyz 503': 12, 'write 201': 12 }`. */
  tally(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of this.answers) out[`${a.endpoint} ${a.status}`] = (out[`${a.endpoint} ${a.status}`] ?? 0) + 1;
    return out;
  }

  /**
   * Every answer while the dependency was down: never a 500 (or any 5xx but 503), never no
   * answer; every 503 carries Retry-After; readiness said 503 every time; the write either
   * succeeded (`writeOk`: Redis down, the outbox keeps the work) or said 503.
   */
  expectUnavailableAnswers(writeOk: number[]): void {
    const bad = this.answers.filter(
      (a) =>
        a.status === 0 ||
        (a.status >= 500 && a.status !== 503) ||
        (a.status === 503 && !a.retryAfter) ||
        (a.endpoint === 'readyz' && a.status !== 503) ||
        (a.endpoint === 'write' && a.status !== 503 && !writeOk.includes(a.status)),
    );
    expect(bad, JSON.stringify(this.tally())).toEqual([]);
    expect(this.answers.filter((a) => a.endpoint === 'readyz').length).toBeGreaterThan(0);
  }
}
