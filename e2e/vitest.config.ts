import { defineConfig } from 'vitest/config';

// Every test drives real processes through the built CLI. Each file gets its own data
// directories; after a file, setup.ts kills its leftover tasks and removes them.
export default defineConfig({
  test: {
    // The JSON report feeds the one-line total that `npm test` prints at the end (which names
    // another file for each other Node it runs this suite on: scripts/dev.mjs).
    reporters: ['default', ['json', { outputFile: process.env.GHOST_TEST_RESULTS || 'test-results.json' }]],
    include: ['tests/**/*.test.ts'],
    globalSetup: ['src/global-setup.ts'],
    setupFiles: ['src/setup.ts'],
    pool: 'forks',
    // Two files at a time: a ghost command is a Node process start (CPU-bound), and the suite
    // must stay reliable on a 2-core machine.
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests marked concurrent overlap their waits on child processes, not their CPU.
    maxConcurrency: 4,
  },
});
