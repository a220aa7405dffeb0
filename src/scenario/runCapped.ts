import { ZeroDelayLoopError } from '../sim/world.js';
import { formatDurationUs } from './duration.js';
import { RunStoppedError } from './limits.js';

/**
 * How far the run goes between two looks at the event count: one simulated second, so a run
 * stops within a second of simulated time past the cap. The slices change no event.
 */
const CAP_SLICE_US = 1_000_000;

/** world.runUntil(untilUs), stopped by the event cap or a zero-delay loop. */
export function runCapped(world: { readonly nowUs: number; readonly eventsProcessed: number; runUntil(untilUs: number): void }, untilUs: number, maxEvents: number): void {
  try {
    for (let t = Math.min(world.nowUs + CAP_SLICE_US, untilUs); ; t = Math.min(t + CAP_SLICE_US, untilUs)) {
      world.runUntil(t);
      if (world.eventsProcessed > maxEvents) {
        throw new RunStoppedError(
          `the run stopped at simulated time ${formatDurationUs(world.nowUs)}: more than ${maxEvents} events ` +
            `(the event cap; raise it with --max-events if the scenario really needs more)`,
        );
      }
      if (t >= untilUs) return;
    }
  } catch (e) {
    // The World's guard against a model stuck at one instant; its other SimulationErrors are bugs.
    if (e instanceof ZeroDelayLoopError) throw new RunStoppedError(`the run stopped at simulated time ${formatDurationUs(world.nowUs)}: ${e.message}`);
    throw e;
  }
}
