import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/scenario/model.js';
import { runScenario } from '../../src/scenario/runner.js';
import { parseScenario, type Scenario } from '../../src/scenario/scenario.js';
import type { NetWorld } from '../../src/net/world.js';
import { effectiveBacklogSize } from '../../src/redis/backlog.js';
import { REPL_BLOCK_BYTES, type RedisState } from '../../src/redis/state.js';

/**
 * Memory flat with simulated time (issue 12): what a run keeps must not grow with the simulated
 * time it covers, only with what happens in it (faults, failovers). Measured as counts, never as
 * RSS or time: the records the run keeps for its checks, the events queued in the loop, and every
 * object, array element and map entry reachable from the processes' states.
 *
 * zato with its Zato server writing through the Sentinels, as a register (`set-get`: one key
 * rewritten every second, so the dataset itself stays one key), a crash and restart of the master
 * in the first hour, then quiet: the 3-hour run must hold exactly what the 1-hour run holds.
 * The replication backlog is the one buffer that fills for hours (1 MB of commands at a few
 * hundred bytes a second): it is bounded by its configured size instead, checked on its own.
 */

function scenario(hours: number): Scenario {
  const zato = loadModel('models/zato');
  const model = { ...zato, clients: zato.clients.map((c) => ({ ...c, workload: 'set-get' as const })) };
  const text = `model: x\nseed: 3\nduration: ${hours}h\ntimeline:\n  - { at: 10m, crash: node1 }\n  - { at: 11m, restart: node1 }\n`;
  return parseScenario(text, 'flat-memory.yaml', { model });
}

/** Objects, array elements and map/set entries reachable from `x` (each counted once). */
function reachable(x: unknown, seen: Set<object>): number {
  if (x === null || typeof x !== 'object' || seen.has(x)) return 0;
  seen.add(x);
  let n = 1;
  if (x instanceof Map) for (const [k, v] of x) n += 1 + reachable(k, seen) + reachable(v, seen);
  else if (x instanceof Set) for (const v of x) n += 1 + reachable(v, seen);
  else for (const v of Object.values(x)) n += 1 + reachable(v, seen);
  return n;
}

interface Held {
  readonly records: number;
  readonly queued: number;
  readonly perProcess: Record<string, number>;
  readonly acked: number;
  readonly backlogOverBytes: number[];
}

function held(hours: number): Held {
  let world: NetWorld | undefined;
  const res = runScenario(scenario(hours), { keep: 'checks', onWorld: (w) => (world = w) });
  const perProcess: Record<string, Record<string, number>> = {};
  const backlogOverBytes: number[] = [];
  for (const pid of world!.processIds()) {
    if (world!.status(pid) === 'down') continue;
    const st = world!.stateOf<Record<string, unknown>>(pid);
    const seen = new Set<object>();
    const bl = (st as Partial<RedisState>).backlog;
    if (bl) {
      seen.add(bl);
      backlogOverBytes.push(bl.histlenBytes - (effectiveBacklogSize((st as unknown as RedisState).conf.replBacklogSizeBytes) + REPL_BLOCK_BYTES));
    }
    perProcess[pid] = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, reachable(v, seen)]));
  }
  return { records: res.records.length, queued: world!.pendingEvents(), perProcess, acked: res.acked.length, backlogOverBytes };
}

describe('a long run holds no more than a short one', () => {
  it('keeps the same number of records, queued events and state entries after 3 simulated hours as after 1', () => {
    const short = held(1);
    const long = held(3);
    for (const over of [...short.backlogOverBytes, ...long.backlogOverBytes]) expect(over).toBeLessThanOrEqual(0);
    expect(long.records).toBe(short.records);
    expect(long.queued).toBe(short.queued);
    expect(long.perProcess).toEqual(short.perProcess);
    // The one thing that grows is the lost-write accounting: one entry per acknowledged write.
    expect(long.acked).toBeGreaterThan(2.5 * short.acked);
  });
});
