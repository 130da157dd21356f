import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The settlement core is pure: its unit tests need no databases or queues. This config runs
 * them without the project's global setup:
 *   npx vitest run --config test/unit/settlement/vitest.unit.config.ts
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../../', import.meta.url)),
    include: ['test/unit/settlement/**/*.test.ts'],
  },
});
