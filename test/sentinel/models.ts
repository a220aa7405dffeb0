import { redisBehavior } from '../../src/redis/index.js';
import { buildWorld } from '../../src/scenario/build.js';
import { loadModel } from '../../src/scenario/model.js';
import { sentinelBehavior } from '../../src/sentinel/index.js';
import { HashTrace, MemoryTrace, TeeTrace } from '../../src/sim/trace.js';
import type { NetWorld as World } from '../../src/net/world.js';

/** A World for one of the shipped models, with the real Redis and Sentinel models. */
export function modelWorld(name: string, seed: number): { world: World; trace: MemoryTrace; hash: HashTrace; lines: (p?: string) => { t: number; p: string; line: string }[] } {
  const trace = new MemoryTrace();
  const hash = new HashTrace();
  const world = buildWorld(loadModel(`models/${name}`), {
    seed,
    trace: new TeeTrace([trace, hash]),
    factories: { redis: (c) => redisBehavior(c), sentinel: (c) => sentinelBehavior(c) },
  });
  const lines = (p?: string) =>
    trace.records
      .filter((r) => r.k === 'event' && r.level !== 'verbose' && r.level !== 'debug' && (!p || r.p === p))
      .map((r) => ({ t: r.t / 1e6, p: r.p as string, line: `${r.event} ${r.text}` }));
  return { world, trace, hash, lines };
}
