import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sigterm } from '../../src/faults/index.js';
import { createWorld } from '../../src/net/world.js';
import { redisBehavior } from '../../src/redis/index.js';
import { rdbBytes } from '../../src/redis/persistence.js';
import { RDB_LOAD_BYTES_PER_MS, type RedisState } from '../../src/redis/state.js';
import { loadModel } from '../../src/scenario/model.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { redisConfig } from './helpers/config.js';
import { S } from './helpers/world.js';

function pair(datasetBytes: number, seed = 1) {
  const trace = new MemoryTrace();
  const w = createWorld({ seed, trace });
  w.addHost('h1', '10.0.0.1');
  w.addHost('h2', '10.0.0.2');
  w.addProcess('r1', 'h1', redisBehavior(redisConfig({ savePoints: [{ seconds: 3600, changes: 1 }] }), { datasetBytes }));
  w.addProcess('r2', 'h2', redisBehavior(redisConfig({ savePoints: [], replicaofAddr: ['10.0.0.1', 6379] }), { datasetBytes }));
  return { w, trace };
}
const fullSyncAt = (trace: MemoryTrace) => trace.records.find((r) => r.k === 'state' && r.p === 'r2' && r.what === 'sync' && r.kind === 'full')!.t;
const logAt = (trace: MemoryTrace, p: string, text: string) => trace.records.find((r) => r.k === 'log' && r.p === p && r.text === text)?.t;

describe('datasetBytes: the dataset a model stands for drives RDB durations', () => {
  it('a full sync of a 50 MB dataset ends 500 ms (the RDB child at 100 MB/s) plus the replica\'s load later than of an empty one', () => {
    for (const seed of [1, 2]) {
      const small = pair(0, seed);
      const big = pair(50_000_000, seed);
      small.w.runUntil(15 * S);
      big.w.runUntil(15 * S);
      const loadUs = ((50_000_000 + rdbBytes(big.w.stateOf<RedisState>('r1').db)) / RDB_LOAD_BYTES_PER_MS) * 1000;
      // Event times are whole µs.
      expect(Math.abs(fullSyncAt(big.trace) - fullSyncAt(small.trace) - (500_000 + loadUs))).toBeLessThanOrEqual(1);
    }
  });

  it('SIGTERM with save points: the final save of 30 MB blocks the exit for 300 ms', () => {
    const { w, trace } = pair(30_000_000);
    w.runUntil(15 * S);
    sigterm(w, 'r1');
    w.runUntil(25 * S);
    const saving = logAt(trace, 'r1', 'Saving the final RDB snapshot before exiting.')!;
    expect(logAt(trace, 'r1', 'DB saved on disk')! - saving).toBe(300_000);
    const exit = trace.records.find((r) => r.k === 'fault' && r.what === 'exit' && r.p === 'r1')!;
    expect(exit.t - saving).toBe(300_000);
    const tail = trace.records.filter((r) => r.k === 'log' && r.p === 'r1').map((r) => r.text).slice(-3);
    expect(tail).toEqual(['Saving the final RDB snapshot before exiting.', 'DB saved on disk', 'Redis is now ready to exit, bye bye...']);
  });

  it('is read from model.yaml options', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataset-'));
    cpSync('models/zato', dir, { recursive: true });
    writeFileSync(join(dir, 'model.yaml'), `${readFileSync('models/zato/model.yaml', 'utf8')}options:\n  datasetBytes: 1000000\n`);
    expect(loadModel(dir).options?.datasetBytes).toBe(1_000_000);
    writeFileSync(join(dir, 'model.yaml'), `${readFileSync('models/zato/model.yaml', 'utf8')}options:\n  datasetBytes: -1\n`);
    expect(() => loadModel(dir)).toThrow(/model\.yaml:\d+:/);
  });
});
