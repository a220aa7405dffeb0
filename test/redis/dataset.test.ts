import { describe, expect, it } from 'vitest';
import { crash } from '../../src/faults/index.js';
import { infoText } from '../../src/redis/info.js';
import { redisView } from '../../src/redis/index.js';
import type { RedisDisk } from '../../src/redis/state.js';
import type { NetWorld } from '../../src/net/world.js';
import { exchanges } from './helpers/client.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, redisWorld, S, state } from './helpers/world.js';

/**
 * The key count is kept as keys come and go (not counted at every INFO), and a save shares the
 * dataset until the next write (not copied at every save). These check that both stay exact
 * through every way the dataset changes, with handlers run in place and under immer.
 */

const M = { ip: '10.0.0.1', port: 6379 };
const R2 = { ip: '10.0.0.2', port: 6379 };

function keyspaceKeys(world: NetWorld, pid: string): number {
  const host = world.hostOfProcess(pid);
  const ctx = { nowMs: () => world.hostNowMs(host), nowUs: () => world.hostNowMs(host) * 1000 } as never;
  const text = infoText({ d: state(world, pid), ctx, cfg: { file: '' } as never }, ['keyspace']);
  const m = /db0:keys=(\d+),/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** What every view of the count says, against the keys actually in the dataset. */
function expectCountsRight(world: NetWorld, pid: string, keys: number): void {
  expect(Object.keys(state(world, pid).db)).toHaveLength(keys);
  expect(redisView(state(world, pid)).dbsize).toBe(keys);
  expect(keyspaceKeys(world, pid)).toBe(keys);
}

describe.each([false, true])('dataset bookkeeping (immer snapshots: %s)', (snapshots) => {
  it('the key count stays right through SET, INCR, DEL, FLUSHALL, a full sync and a restart', () => {
    const { world } = redisWorld(
      [
        { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig() },
        { pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ replicaofAddr: [M.ip, 6379] }) },
      ],
      { snapshots },
    );
    addClient(world, 'c', 'h1', { m: M, r: R2 }, [
      { atMs: 500, conn: 'm', argv: ['SET', 'a', '1'] },
      { atMs: 500, conn: 'm', argv: ['SET', 'b', '1'] },
      { atMs: 500, conn: 'm', argv: ['SET', 'a', '2'] }, // an overwrite adds no key
      { atMs: 500, conn: 'm', argv: ['INCR', 'n'] },
      { atMs: 500, conn: 'm', argv: ['INCR', 'n'] },
      { atMs: 7000, conn: 'm', argv: ['DEL', 'b', 'missing'] },
      { atMs: 7000, conn: 'm', argv: ['DBSIZE'] },
      { atMs: 7500, conn: 'r', argv: ['DBSIZE'] }, // after the DEL has reached the replica
      { atMs: 9000, conn: 'm', argv: ['FLUSHALL'] },
      { atMs: 9000, conn: 'm', argv: ['SET', 'c', '1'] },
      { atMs: 9000, conn: 'm', argv: ['SAVE'] },
      { atMs: 9000, conn: 'm', argv: ['SET', 'd', '1'] },
    ]);
    world.runUntil(1 * S);
    expectCountsRight(world, 'r1', 3);
    expectCountsRight(world, 'r2', 0); // not synced yet (repl-diskless-sync-delay)
    world.runUntil(6.5 * S);
    expectCountsRight(world, 'r2', 3); // loaded by the full sync
    world.runUntil(8 * S);
    expectCountsRight(world, 'r1', 2);
    expectCountsRight(world, 'r2', 2); // DEL through the replication stream
    const c = clientState(world, 'c');
    expect(exchanges(c, 'm', 'DBSIZE')[0]!.reply).toBe(2);
    expect(exchanges(c, 'r', 'DBSIZE')[0]!.reply).toBe(2);
    world.runUntil(10 * S);
    expectCountsRight(world, 'r1', 2);
    expectCountsRight(world, 'r2', 2);
    // The restart loads the RDB saved before `SET d`: one key.
    world.at(11 * S, 'crash r1', (w) => crash(w, 'r1'));
    world.at(12 * S, 'start r1', (w) => w.start('r1'));
    world.runUntil(12 * S + 1);
    expect(state(world, 'r1').db).toEqual({ c: '1' });
    expectCountsRight(world, 'r1', 1);
  });

  it('a saved RDB or AOF image keeps the dataset as it was, whatever is written after', () => {
    const { world } = redisWorld([{ pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({ appendonly: false }) }], { snapshots });
    addClient(world, 'c', 'h1', { m: M }, [
      { atMs: 500, conn: 'm', argv: ['SET', 'a', '1'] },
      { atMs: 500, conn: 'm', argv: ['SAVE'] },
      { atMs: 500, conn: 'm', argv: ['SET', 'a', '2'] },
      { atMs: 500, conn: 'm', argv: ['SET', 'b', '1'] },
      { atMs: 500, conn: 'm', argv: ['DEL', 'a'] },
    ]);
    world.runUntil(1 * S);
    expect(state(world, 'r1').db).toEqual({ b: '1' });
    expect((world.diskOf('r1') as RedisDisk).rdb!.db).toEqual({ a: '1' });
    expect(state(world, 'r1').diskRdb!.db).toEqual({ a: '1' });
  });

  it('the AOF image written each second is not changed by later writes', () => {
    const { world } = redisWorld([{ pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({ appendonly: true, savePoints: [] }) }], { snapshots });
    addClient(world, 'c', 'h1', { m: M }, [
      { atMs: 500, conn: 'm', argv: ['SET', 'a', '1'] },
      { atMs: 2500, conn: 'm', argv: ['SET', 'a', '2'] },
      { atMs: 2500, conn: 'm', argv: ['SET', 'b', '2'] },
    ]);
    // The once-a-second tick has a seeded phase in the first second: by 2.2 s one came after 500 ms.
    world.runUntil(2.2 * S);
    const image = (world.diskOf('r1') as RedisDisk).aof!.db;
    expect(image).toEqual({ a: '1' });
    world.runUntil(2.7 * S);
    expect(state(world, 'r1').db).toEqual({ a: '2', b: '2' });
    expect(image).toEqual({ a: '1' });
  });
});

describe('a save shares the dataset instead of copying it', () => {
  it('writes after a SAVE go to the same dataset object, and the RDB still reads as it was, keys in their order', () => {
    const { world } = redisWorld([{ pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({ appendonly: false }) }]);
    addClient(world, 'c', 'h1', { m: M }, [
      { atMs: 500, conn: 'm', argv: ['SET', 'b', '1'] },
      { atMs: 500, conn: 'm', argv: ['SET', '7', 'x'] },
      { atMs: 500, conn: 'm', argv: ['SET', 'a', '1'] },
      { atMs: 500, conn: 'm', argv: ['SET', '3', 'y'] },
      { atMs: 600, conn: 'm', argv: ['SAVE'] },
      { atMs: 700, conn: 'm', argv: ['SET', 'a', '2'] }, // an overwrite
      { atMs: 700, conn: 'm', argv: ['SET', 'c', '1'] }, // a new key
      { atMs: 700, conn: 'm', argv: ['SET', '5', 'z'] }, // a new integer-like key (sorted first)
      { atMs: 700, conn: 'm', argv: ['INCR', 'b'] },
      { atMs: 800, conn: 'm', argv: ['SAVE'] },
      { atMs: 900, conn: 'm', argv: ['SET', 'b', '9'] },
    ]);
    world.runUntil(650_000);
    const live = state(world, 'r1').db;
    const first = (world.diskOf('r1') as RedisDisk).rdb!.db;
    world.runUntil(750_000);
    expect(state(world, 'r1').db).toBe(live);
    expect(live).toEqual({ 3: 'y', 5: 'z', 7: 'x', b: '2', a: '2', c: '1' });
    world.runUntil(1 * S);
    expect(state(world, 'r1').db).toBe(live);
    // Each RDB reads as the dataset at its SAVE, in the key order a copy made then would have.
    expect(Object.entries(first)).toEqual([['3', 'y'], ['7', 'x'], ['b', '1'], ['a', '1']]);
    const second = (world.diskOf('r1') as RedisDisk).rdb!.db;
    expect(Object.entries(second)).toEqual([['3', 'y'], ['5', 'z'], ['7', 'x'], ['b', '2'], ['a', '2'], ['c', '1']]);
    expect(JSON.stringify(second)).toBe('{"3":"y","5":"z","7":"x","b":"2","a":"2","c":"1"}');
    // A restart loads the last RDB: the write after it is gone.
    world.at(1.5 * S, 'crash r1', (w) => crash(w, 'r1'));
    world.at(2 * S, 'start r1', (w) => w.start('r1'));
    world.runUntil(2 * S + 1);
    expect(Object.entries(state(world, 'r1').db)).toEqual([['3', 'y'], ['5', 'z'], ['7', 'x'], ['b', '2'], ['a', '2'], ['c', '1']]);
    expectCountsRight(world, 'r1', 6);
  });
});
