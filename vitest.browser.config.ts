import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: the dashboard in headless Chromium (Debian's /usr/bin/chromium) against a seeded service. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
