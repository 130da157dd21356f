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
  },
});
