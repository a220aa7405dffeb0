import { setFlagsFromString } from 'node:v8';

/**
 * V8's interrupt budget: how many bytes of bytecode a function runs between checks of whether to
 * queue it for TurboFan (Node 20's default: 67,584). V8 tunes this for long-lived programs. A
 * drill is short: the 90 s zato scenario runs ~11,000 events, and at the default budget V8 spent
 * about a quarter of the run's CPU compiling functions that then ran only a few more times.
 * - The program raises it 4x (main.ts); a simulated hour, long enough to repay TurboFan, cost the
 *   same within noise (+3 % CPU; 6x and 8x throughout cost +10 %).
 * - A `run` that will end within 10 simulated minutes raises it to 16x. From the start-up
 *   snapshot, the 90 s drill took 0.204 s of CPU at 16x against 0.234 s at 4x, and runs of 3 and
 *   10 simulated minutes of zato 7 % less; a 30-minute run lost 11 % and the hour 10 %. Lowering
 *   the flag again mid-run did not give that back (the hour still lost 11 %), so the choice is
 *   made once, from the run's planned end.
 * It changes how fast the model runs, never what it computes. Only the CLI's own process sets it:
 * tests and the bench that call main() keep their process's settings.
 */
export const PROGRAM_BUDGET_BYTES = 4 * 67_584;
export const SHORT_RUN_BUDGET_BYTES = 16 * 67_584;
export const SHORT_RUN_US = 10 * 60_000_000;

export function setInterruptBudget(bytes: number): void {
  setFlagsFromString(`--interrupt-budget=${bytes}`);
}

/** The budget for a run that ends at `endUs` of simulated time. */
export function budgetForRun(endUs: number): number {
  return endUs <= SHORT_RUN_US ? SHORT_RUN_BUDGET_BYTES : PROGRAM_BUDGET_BYTES;
}
