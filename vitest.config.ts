import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // tfjs' Node.js banner is dropped from the output (test/setup/quiet-tfjs.ts says why there).
    setupFiles: ['test/setup/quiet-tfjs.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
