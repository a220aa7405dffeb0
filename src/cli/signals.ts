/**
 * SIGHUP (the terminal closed) / SIGINT / SIGTERM during `sentinel-sim run`. The simulation runs in this thread in slices of
 * simulated time (runScenarioSteps); between two slices the CLI gives the event loop a turn, where
 * Node runs the signal handlers below. They only note the signal: the run stops at the next slice
 * boundary, removes its `.partial` trace, says how far it got, and exits 128 + the signal number
 * (129, 130, 143), as a shell reports a process killed by it.
 */

export const SIGNAL_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_CODES;

/** Thrown at a slice boundary once a signal was caught; the run's cleanup sees it like any failure. */
export class StoppedBySignal extends Error {
  constructor(readonly signal: StopSignal, readonly reachedUs: number, readonly endUs: number) {
    super(`${signal}: stopped at simulated time ${howFar(reachedUs, endUs)}`);
  }
}

export interface SignalWatch {
  /** The first signal caught since watching began, if any. */
  caught(): StopSignal | undefined;
  /** Gives the default handlers back. */
  dispose(): void;
}

export function watchSignals(): SignalWatch {
  let caught: StopSignal | undefined;
  const handlers = (Object.keys(SIGNAL_CODES) as StopSignal[]).map((sig) => {
    const h = () => {
      caught ??= sig;
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    caught: () => caught,
    dispose: () => {
      for (const [sig, h] of handlers) process.off(sig, h);
    },
  };
}

/** One turn of the event loop (pending I/O and signal handlers run), then back to the run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `123.456s of 600s (20%)`. */
export function howFar(atUs: number, endUs: number): string {
  const s = (us: number) => `${(us / 1e6).toFixed(3).replace(/\.?0+$/, '')}s`;
  return endUs > 0 ? `${s(atUs)} of ${s(endUs)} (${Math.floor((100 * atUs) / endUs)}%)` : s(atUs);
}
