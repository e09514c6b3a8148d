import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds the one-line total that `npm test` prints at the end.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-support/setup.ts'],
    testTimeout: 20_000,
    // Component tests assert on colours: a NO_COLOR from the caller's environment must not
    // turn them off (the NO_COLOR test switches colour off itself).
    env: { NO_COLOR: '' },
  },
});
