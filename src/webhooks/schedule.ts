/**
 * When a failed delivery is tried again (pure). Exponential back-off: the n-th failed attempt
 * waits base · 2^(n−1), at most `maxDelayMs`; a delivery is given up only once it has failed for
 * the whole `windowMs` since its first attempt (24 hours by default), so an endpoint down for a
 * day still gets everything. With the defaults (1 min, 6 h cap, 24 h): waits of 1, 2, 4 … 256 min,
 * then every 6 h — 13 attempts, the last about 26.5 hours after the first.
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
}

export function retryDelayMs(failedAttempts: number, p: RetryPolicy): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new Error('retryDelayMs: failedAttempts must be ≥ 1');
  const exp = Math.min(failedAttempts - 1, 40);
  return Math.min(p.baseDelayMs * 2 ** exp, p.maxDelayMs);
}

export type AfterFailure = { giveUp: true } | { giveUp: false; nextAt: Date };

/** After the `failedAttempts`-th failure at `now` of a delivery first tried at `firstAttemptAt`. */
export function afterFailure(firstAttemptAt: Date, now: Date, failedAttempts: number, p: RetryPolicy): AfterFailure {
  if (now.getTime() - firstAttemptAt.getTime() >= p.windowMs) return { giveUp: true };
  return { giveUp: false, nextAt: new Date(now.getTime() + retryDelayMs(failedAttempts, p)) };
}

/**
 * The attempts of a delivery that fails every time, each answered at once: when each is made (ms
 * after the first) — the schedule the OpenAPI document states (webhooks/openapi.ts).
 */
export function attemptTimes(p: RetryPolicy): number[] {
  const first = new Date(0);
  const times = [0];
  for (;;) {
    const next = afterFailure(first, new Date(times.at(-1)!), times.length, p);
    if (next.giveUp) return times;
    times.push(next.nextAt.getTime());
  }
}
