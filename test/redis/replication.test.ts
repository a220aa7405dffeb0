import { describe, expect, it } from 'vitest';
import { redisView } from '../../src/redis/index.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, infoFields, logs, MS, redisWorld, S, state, syncs } from './helpers/world.js';
import { exchanges } from './helpers/client.js';

const M = { ip: '10.0.0.1', port: 6379 };
const R2 = { ip: '10.0.0.2', port: 6379 };

function threeNodes(over: Parameters<typeof redisConfig>[0] = {}) {
  return redisWorld([
    { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig(over) },
    { pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ ...over, replicaofAddr: [M.ip, 6379] }) },
    { pid: 'r3', host: 'h3', ip: '10.0.0.3', cfg: redisConfig({ ...over, replicaofAddr: [M.ip, 6379] }) },
  ]);
}

describe('replication handshake and full sync', () => {
  it('replicas connect, wait for the diskless delay, full-sync and then follow the stream', () => {
    const { world, trace } = threeNodes();
    addClient(world, 'c', 'h1', { m: M }, [
      { atMs: 500, conn: 'm', argv: ['SET', 'before', '1'] },
      { atMs: 8000, conn: 'm', argv: ['SET', 'after', '2'] },
      { atMs: 8000, conn: 'm', argv: ['INCR', 'n'] },
    ]);
    world.runUntil(4 * S);
    expect(redisView(state(world, 'r2')).linkStatus).toBe('down');
    world.runUntil(9 * S);
    for (const pid of ['r2', 'r3']) {
      const v = redisView(state(world, pid));
      expect(v.linkStatus).toBe('up');
      expect(v.replid).toBe(redisView(state(world, 'r1')).replid);
      expect(v.masterReplOffset).toBe(redisView(state(world, 'r1')).masterReplOffset);
      expect(state(world, pid).db).toEqual({ before: '1', after: '2', n: '1' });
      expect(syncs(trace!, pid).map((r) => r.kind)).toEqual(['full']);
    }
    const l2 = logs(trace!, 'r2');
    expect(l2).toContain('MASTER <-> REPLICA sync: Flushing old data');
    expect(l2).toContain('MASTER <-> REPLICA sync: Finished with success');
    expect(logs(trace!, 'r1').filter((t) => t.startsWith('Full resync requested by replica'))).toHaveLength(2);
    const info = infoFields(world, 'r1');
    expect(info.connected_slaves).toBe('2');
    expect(info.slave0).toMatch(/^ip=10\.0\.0\.[23],port=6379,state=online,offset=\d+,lag=\d+$/);
    const c = clientState(world, 'c');
    expect(exchanges(c, 'm', 'INCR')[0]!.reply).toBe(1);
    // SELECT 0 (23) + SET after 2 (33) + INCR n (24) after the RDB point
    world.runUntil(10 * S);
  });
});
