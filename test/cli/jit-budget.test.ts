import { describe, expect, it } from 'vitest';
import { budgetForRun, PROGRAM_BUDGET_BYTES, SHORT_RUN_BUDGET_BYTES } from '../../src/cli/jitBudget.js';
import { loadScenario } from '../../src/scenario/scenario.js';

/** Which V8 interrupt budget `run` picks (jitBudget.ts): the higher one only for runs that end within 10 simulated minutes. */
describe("run's interrupt budget", () => {
  it('the 90 s zato drill gets the short-run budget; the bench hour and the 24 h soak keep the program budget', () => {
    expect(budgetForRun(loadScenario('scenarios/zato-stop-master.yaml').durationUs)).toBe(SHORT_RUN_BUDGET_BYTES);
    expect(budgetForRun(loadScenario('bench/zato-hour.yaml').durationUs)).toBe(PROGRAM_BUDGET_BYTES);
    expect(budgetForRun(loadScenario('bench/zato-soak.yaml').durationUs)).toBe(PROGRAM_BUDGET_BYTES);
  });

  it('the boundary is 10 simulated minutes, inclusive', () => {
    expect(budgetForRun(600_000_000)).toBe(SHORT_RUN_BUDGET_BYTES);
    expect(budgetForRun(600_000_001)).toBe(PROGRAM_BUDGET_BYTES);
    expect(SHORT_RUN_BUDGET_BYTES).toBeGreaterThan(PROGRAM_BUDGET_BYTES);
  });
});
