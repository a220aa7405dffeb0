import { describe, expect, it } from 'vitest';
import { runCapped } from '../../src/scenario/runCapped.js';
import { RunStoppedError } from '../../src/scenario/limits.js';
import type { Behavior } from '../../src/sim/process.js';
import { SimulationError, World, ZeroDelayLoopError } from '../../src/sim/world.js';

/** Re-arms a zero-delay timer for ever once `spinAtMs` is reached: simulated time stops moving. */
const spinner = (spinAtMs: number): Behavior<{ n: number }> => ({
  kind: 'spinner',
  init: (ctx) => {
    ctx.timer('spin', spinAtMs);
    return { n: 0 };
  },
  listenPorts: () => [],
  onNet: () => {},
  onTimer: (d, _key, ctx) => {
    d.n++;
    ctx.timer('spin', 0);
  },
});

function world(spinAtMs: number): World {
  const w = new World({ seed: 1 });
  w.addHost('a', '10.0.0.1');
  w.addProcess('p', 'a', spinner(spinAtMs));
  return w;
}

describe('a model stuck at one instant', () => {
  it('stops the loop with a ZeroDelayLoopError that says where simulated time stood', () => {
    const w = world(250);
    let caught: unknown;
    try {
      w.runUntil(1_000_000);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ZeroDelayLoopError);
    expect(caught).toBeInstanceOf(SimulationError);
    const err = caught as ZeroDelayLoopError;
    expect(err.atUs).toBe(250_000);
    expect(err.events).toBe(1_000_000);
    expect(err.message).toBe('more than 1000000 events at t=250000 µs: the model is stuck in a zero-delay loop');
    // The loop stopped at the stuck instant: the first event there, then its cap of events more.
    expect(w.nowUs).toBe(250_000);
    expect(w.stateOf<{ n: number }>('p').n).toBe(1_000_001);
  });

  it('becomes a RunStoppedError (exit 3 in the CLI) through runCapped, naming the simulated time', () => {
    expect(() => runCapped(world(1500), 10_000_000, 100_000_000)).toThrow(RunStoppedError);
    expect(() => runCapped(world(1500), 10_000_000, 100_000_000)).toThrow(/^the run stopped at simulated time 1500ms: more than 1000000 events at t=1500000 µs/);
  });

  it('other SimulationErrors stay what they are (bugs, not a stopped run)', () => {
    const w = world(0);
    expect(() => w.addProcess('p', 'a', spinner(0))).toThrow(SimulationError);
    expect(() => w.addProcess('p', 'a', spinner(0))).not.toThrow(ZeroDelayLoopError);
  });
});
