import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit`: the fast suite — everything under test/unit (the pure settlement core and
 * planner, the payment and webhook modules, canonical JSON, CPR, hash chain, config). No
 * PostgreSQL, no Redis, no global setup (the payment-file tests call `xmllint`). `npm test` runs
 * these files too, with the integration suite.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    pool: 'threads',
    // As in vitest.config.ts: the property tests are pure CPU (fast-check runs each 100+ times) and
    // took 12 s on the shared two-core machine at load 11 — a 5 s default fails them for the load,
    // not for the code. A hang still fails.
    testTimeout: 30_000,
  },
});
