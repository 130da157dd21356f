import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault-injection suite (test/faults). Every file starts its own
 * PostgreSQL, Redis, API and worker processes and kills or restarts them; none of it touches the
 * services of `npm test` (whose config excludes test/faults).
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/faults/support/global-setup.ts'],
    pool: 'forks',
    // Two cores: two cases at a time, each with its own servers and processes.
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 360_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
