import { defineConfig } from 'vitest/config';

// Conformance tests start real redis-server / redis-sentinel processes on 127.0.0.1: one file at a
// time, one test at a time, generous timeouts (waits inside are polls, never fixed sleeps where a
// condition can be polled). Each test file uses its own port range.
export default defineConfig({
  test: {
    include: ['test/conformance/**/*.test.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
});
