/** A model or a driver asked the loop for something impossible (unknown host, a port taken, a stuck instant). */
export class SimulationError extends Error {}
