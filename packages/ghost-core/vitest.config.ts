import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds the one-line total that `npm test` prints at the end (which names
    // another file for each other Node it runs this suite on: scripts/dev.mjs).
    reporters: ['default', ['json', { outputFile: process.env.GHOST_TEST_RESULTS || 'test-results.json' }]],
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
