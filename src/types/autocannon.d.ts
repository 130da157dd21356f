// Minimal types for the parts of autocannon the benchmark uses (the package ships none).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';
  interface Result {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: Array<{ method: string; path: string }>;
  }
  /** With a callback: the running instance, which emits `response` (client, status, bytes, milliseconds) per answer. */
  function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): EventEmitter;
  function autocannon(opts: Options): Promise<Result>;
  namespace autocannon {
    export type { Result };
  }
  export default autocannon;
}
