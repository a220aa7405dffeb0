import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant of src/sentinel and src/redis/replication: the
// fast unit, model and property tests of those two folders plus the mutant-killing tests under
// their mutants/ folders. Whole-simulator suites (scenario, check, cli) also execute this code but
// take minutes per mutant on a shared 2-core machine, so they are left to the ordinary suite.
// properties.test.ts is left out too: it is half of these tests' time (fast-check runs of whole
// deployments) and would run for nearly every mutant; a rule it alone catches needs a unit test.
export default defineConfig({
  test: {
    include: ['test/sentinel/**/*.test.ts', 'test/redis/**/*.test.ts'],
    exclude: ['node_modules/**', '.stryker-tmp/**', 'test/sentinel/properties.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
