import type { NetWorld } from '../net/world.js';
import { masterAcceptsWrites, type RedisState } from '../redis/index.js';
import type { Model } from '../scenario/model.js';

/**
 * When each master refused writes for want of good replicas (min-replicas-to-write: -NOREPLICAS).
 * Redis logs nothing when its good-replica count crosses the bar, so the trace cannot tell; the
 * watcher reads each Redis node's state after every step of the run, as the player's recorder does.
 */

export interface WritabilityChange {
  readonly p: string;
  /** Simulated time, µs. */
  readonly t: number;
  readonly writable: boolean;
}

export interface WritabilityWatch {
  /** Pass as RunOptions.onWorld. */
  readonly attach: (w: NetWorld) => void;
  /** Changes in time order; a node not listed took writes whenever it was a master. */
  readonly changes: readonly WritabilityChange[];
}

export function watchWritability(model: Model): WritabilityWatch {
  const names = model.processes.filter((p) => p.kind === 'redis').map((p) => p.name);
  const changes: WritabilityChange[] = [];
  const last = new Map<string, boolean>(names.map((n) => [n, true]));
  const sample = (w: NetWorld): void => {
    for (const p of names) {
      const st = w.stateOf<RedisState | undefined>(p);
      if (st === undefined) continue;
      const writable = masterAcceptsWrites(st);
      if (writable === last.get(p)) continue;
      last.set(p, writable);
      changes.push({ p, t: w.nowUs, writable });
    }
  };
  // The processes have booted when the World is handed over: sample them before the first step.
  const attach = (w: NetWorld): void => {
    sample(w);
    w.afterStep(sample);
  };
  return { attach, changes };
}
