import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/conformance/**', 'node_modules/**'],
    // CI is a busy 2-core machine: property tests and seeded runs are CPU-bound, never timed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
