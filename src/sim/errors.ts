/** A model or a driver asked the loop for something impossible (unknown host, a port taken, a stuck instant). */
export class SimulationError extends Error {}

/**
 * The model is stuck at one instant: more than `events` events ran at simulated time `atUs` (a
 * handler that re-arms a zero-delay timer, or two processes answering each other with no delay).
 * Not a bug of the loop but of the model or its input, so callers stop the run with a message (the
 * CLI: exit 3, as for the event cap) instead of reporting an internal error.
 */
export class ZeroDelayLoopError extends SimulationError {
  constructor(
    readonly atUs: number,
    readonly events: number,
  ) {
    super(`more than ${events} events at t=${atUs} µs: the model is stuck in a zero-delay loop`);
    this.name = 'ZeroDelayLoopError';
  }
}
