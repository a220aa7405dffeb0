/**
 * What stops a run that would otherwise go on without end: more events than a cap (a model that
 * keeps making work), or a model stuck at one instant (the World's zero-delay guard). Either way
 * the run stops with a RunStoppedError, which the CLI reports with its own exit code. (No imports:
 * the CLI loads this before it knows the command; runCapped.ts does the stopping.)
 */

/** The default event cap: about nine days of the zato drill (11 M events a simulated day). */
export const DEFAULT_MAX_EVENTS = 100_000_000;

export class RunStoppedError extends Error {}
