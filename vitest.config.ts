import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/conformance/**', 'node_modules/**'],
    // Worker threads (check --workers) run the built dist/: build it when the sources are newer.
    // Temp folders go under one root removed at the end of the run (temp-root.ts).
    globalSetup: ['test/setup/build-dist.ts', 'test/setup/temp-root.ts'],
    // CI is a busy 2-core machine: property tests and seeded runs are CPU-bound, never timed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
