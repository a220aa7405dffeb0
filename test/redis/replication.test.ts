import { describe, expect, it } from 'vitest';
import { redisView } from '../../src/redis/index.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, infoFields, logs, MS, redisWorld, S, state, syncs } from './helpers/world.js';
import { exchanges } from './helpers/client.js';
import { crash, heal, partition } from '../../src/faults/index.js';

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

function twoNodes(m: Parameters<typeof redisConfig>[0] = {}, r: Parameters<typeof redisConfig>[0] = {}) {
  return redisWorld([
    { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig(m) },
    { pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ ...r, replicaofAddr: [M.ip, 6379] }) },
  ]);
}

function writes(conn: string, fromMs: number, count: number, everyMs: number, value = 'v'): { atMs: number; conn: string; argv: string[] }[] {
  return Array.from({ length: count }, (_, i) => ({ atMs: fromMs + i * everyMs, conn, argv: ['SET', `k${fromMs + i * everyMs}`, value] }));
}

describe('offsets move without client writes', () => {
  it('the master PINGs its replicas every repl-ping-replica-period seconds (14 bytes each) and replicas ACK', () => {
    const { world } = twoNodes();
    world.runUntil(7 * S);
    const o0 = state(world, 'r1').masterReplOffset;
    const perPing = 14; // *1\r\n$4\r\nPING\r\n
    world.runUntil(7 * S + 30 * S);
    // PINGs at cron loops 10, 20, 30 (t ≈ 10.001, 20.001, 30.001 s): three of them in the window.
    expect(state(world, 'r1').masterReplOffset - o0).toBe(3 * perPing);
    expect(state(world, 'r2').masterReplOffset).toBe(state(world, 'r1').masterReplOffset);
    world.runUntil(38 * S);
    const info = infoFields(world, 'r1');
    expect(info.slave0).toMatch(new RegExp(`^ip=10\\.0\\.0\\.2,port=6379,state=online,offset=${state(world, 'r1').masterReplOffset},lag=[01]$`));
    expect(infoFields(world, 'r2').slave_repl_offset).toBe(String(state(world, 'r1').masterReplOffset));
  });
});

describe('PSYNC after a replica partition', () => {
  it('a short partition (longer than repl-timeout) ends in a partial resync that replays the backlog', () => {
    const { world, trace } = twoNodes({ replTimeoutSec: 5 }, { replTimeoutSec: 5 });
    addClient(world, 'c', 'h1', { m: M }, [...writes('m', 8000, 5, 100), ...writes('m', 12000, 20, 100)]);
    world.at(10 * S, 'partition', (w) => partition(w, ['h1'], ['h2']));
    world.at(20 * S, 'heal', (w) => heal(w));
    world.runUntil(19 * S);
    expect(redisView(state(world, 'r2')).linkStatus).toBe('down');
    expect(logs(trace!, 'r2')).toContain('MASTER timeout: no data nor PING received...');
    expect(logs(trace!, 'r1').some((t) => t.startsWith('Disconnecting timedout replica (streaming sync): 10.0.0.2:6379'))).toBe(true);
    expect(infoFields(world, 'r2').master_link_down_since_seconds).toMatch(/^[1-9]\d*$/);
    world.runUntil(25 * S);
    expect(syncs(trace!, 'r2').map((r) => r.kind)).toEqual(['full', 'partial']);
    expect(logs(trace!, 'r1').some((t) => /^Partial resynchronization request from 10\.0\.0\.2:6379 accepted\. Sending \d+ bytes of backlog starting from offset \d+\.$/.test(t))).toBe(true);
    expect(state(world, 'r2').db).toEqual(state(world, 'r1').db);
    expect(Object.keys(state(world, 'r2').db)).toHaveLength(25);
    expect(state(world, 'r2').masterReplOffset).toBe(state(world, 'r1').masterReplOffset);
  });

  it('a backlog overrun during the partition forces a full resync that discards the replica’s own data', () => {
    const big = 'x'.repeat(400);
    const { world, trace } = twoNodes({ replTimeoutSec: 5, replBacklogSizeBytes: 16 * 1024 }, { replTimeoutSec: 5, replicaReadOnly: false });
    addClient(world, 'c', 'h1', { m: M }, writes('m', 12000, 120, 20, big));
    addClient(world, 'c2', 'h2', { r: R2 }, [{ atMs: 13000, conn: 'r', argv: ['SET', 'local-only', '1'] }]);
    world.at(10 * S, 'partition', (w) => partition(w, ['h1'], ['h2']));
    world.at(20 * S, 'heal', (w) => heal(w));
    world.runUntil(19 * S);
    expect(state(world, 'r2').db['local-only']).toBe('1');
    const bl = state(world, 'r1').backlog!;
    expect(bl.histlenBytes).toBeLessThanOrEqual(2 * 16 * 1024 + 1024);
    world.runUntil(30 * S);
    expect(syncs(trace!, 'r2').map((r) => r.kind)).toEqual(['full', 'full']);
    expect(logs(trace!, 'r1').some((t) => t.startsWith('Unable to partial resync with replica 10.0.0.2:6379 for lack of backlog'))).toBe(true);
    expect(state(world, 'r2').db['local-only']).toBeUndefined();
    expect(state(world, 'r2').db).toEqual(state(world, 'r1').db);
  });
});

describe('min-replicas-to-write', () => {
  it('refuses writes about min-replicas-max-lag seconds after the replica vanishes, accepts again when it is back', () => {
    const { world } = twoNodes({ minReplicasToWrite: 1, minReplicasMaxLagSec: 10 });
    const steps = writes('m', 15000, 160, 250);
    addClient(world, 'c', 'h1', { m: M }, steps);
    world.at(20 * S, 'partition', (w) => partition(w, ['h1'], ['h2']));
    world.at(40 * S, 'heal', (w) => heal(w));
    world.runUntil(56 * S);
    const log = clientState(world, 'c').log;
    const refused = log.filter((e) => (e.reply as { error?: string }).error !== undefined);
    expect(refused.length).toBeGreaterThan(0);
    for (const e of refused) expect(e.reply).toEqual({ error: 'NOREPLICAS Not enough good replicas to write.' });
    const firstRefusalMs = refused[0]!.sentMs;
    // The last ACK arrived just before 20 s; the replica stops being "good" once now - ack > 10 s,
    // noticed by the once-per-second refresh.
    expect(firstRefusalMs).toBeGreaterThan(20_000 + 9_000);
    expect(firstRefusalMs).toBeLessThanOrEqual(20_000 + 12_000);
    // Everything before the window was accepted...
    expect(log.filter((e) => e.sentMs < 29_000).every((e) => e.reply === 'OK')).toBe(true);
    // ...and writes are accepted again shortly after the heal.
    const lastRefusalMs = refused[refused.length - 1]!.sentMs;
    expect(lastRefusalMs).toBeGreaterThanOrEqual(39_000);
    expect(lastRefusalMs).toBeLessThan(42_000);
    expect(log.filter((e) => e.sentMs > 42_000).every((e) => e.reply === 'OK')).toBe(true);
  });
});

describe('REPLICAOF NO ONE and converting the old master', () => {
  function failover(oldMasterWritesAfterSplit: boolean) {
    const { world, trace } = twoNodes();
    addClient(world, 'c1', 'h1', { m: M }, [
      ...writes('m', 8000, 10, 100),
      ...(oldMasterWritesAfterSplit ? [{ atMs: 25050, conn: 'm', argv: ['SET', 'written-after-split', '1'] }] : []),
      { atMs: 25100, conn: 'm', argv: ['REPLICAOF', R2.ip, '6379'] },
    ]);
    addClient(world, 'c2', 'h2', { r: R2 }, [{ atMs: 25000, conn: 'r', argv: ['REPLICAOF', 'NO', 'ONE'] }]);
    world.runUntil(24 * S);
    const oldReplid = state(world, 'r1').replid;
    const oP = state(world, 'r2').masterReplOffset;
    world.runUntil(25050 * MS);
    const p = state(world, 'r2');
    expect(p.repl).toBeNull();
    expect(p.replid2).toBe(oldReplid);
    expect(p.secondReplidOffset).toBe(oP + 1);
    expect(logs(trace!, 'r2').some((t) => t.startsWith(`Setting secondary replication ID to ${oldReplid}, valid up to offset: ${oP + 1}. New replication ID is `))).toBe(true);
    expect(logs(trace!, 'r2').some((t) => t.startsWith("MASTER MODE enabled (user request from 'id="))).toBe(true);
    world.runUntil(35 * S);
    return { world, trace, oP };
  }

  it('partial resync when the old master took nothing after the split', () => {
    const { world, trace } = failover(false);
    expect(logs(trace!, 'r1')).toContain(
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    );
    expect(syncs(trace!, 'r1').filter((r) => r.side === 'replica').map((r) => r.kind)).toEqual(['partial']);
    expect(redisView(state(world, 'r1')).linkStatus).toBe('up');
    expect(Object.keys(state(world, 'r1').db)).toHaveLength(10);
    expect(state(world, 'r1').replid).toBe(state(world, 'r2').replid);
  });

  it('full resync, losing the write, when the old master accepted a write after the split', () => {
    const { world, trace, oP } = failover(true);
    expect(logs(trace!, 'r2').some((t) => t.startsWith(`Partial resynchronization not accepted: Requested offset for second ID was ${oP + 1 + 46}, but I can reply up to ${oP + 1}`))).toBe(true);
    expect(syncs(trace!, 'r1').filter((r) => r.side === 'replica').map((r) => r.kind)).toEqual(['full']);
    expect(state(world, 'r1').db['written-after-split']).toBeUndefined();
    expect(Object.keys(state(world, 'r1').db)).toHaveLength(10);
  });
});

describe('restarts and persistence', () => {
  it('without save points or AOF a restarted master is empty, with a new run id and replid, and its replica full-syncs to empty', () => {
    const { world, trace } = twoNodes({ savePoints: [] }, { savePoints: [] });
    addClient(world, 'c', 'h1', { m: M }, writes('m', 7000, 5, 10));
    world.runUntil(9 * S);
    const before = state(world, 'r1');
    expect(Object.keys(state(world, 'r2').db)).toHaveLength(5);
    crash(world, 'r1');
    world.runUntil(10 * S);
    world.start('r1');
    const after = state(world, 'r1');
    expect(after.db).toEqual({});
    expect(after.runId).not.toBe(before.runId);
    expect(after.replid).not.toBe(before.replid);
    expect(after.replid2).toBe('0'.repeat(40));
    world.runUntil(20 * S);
    expect(logs(trace!, 'r2')).toContain('Connection with master lost.');
    expect(syncs(trace!, 'r2').map((r) => r.kind)).toEqual(['full', 'full']);
    expect(state(world, 'r2').db).toEqual({});
  });

  it('SHUTDOWN with save points saves; the restarted master has its data back and offers the old history as replid2', () => {
    const { world } = twoNodes();
    addClient(world, 'c', 'h1', { m: M }, [...writes('m', 7000, 5, 10), { atMs: 9000, conn: 'm', argv: ['SHUTDOWN'] }]);
    world.runUntil(8 * S);
    const replid = state(world, 'r1').replid;
    const offset = state(world, 'r1').masterReplOffset;
    world.runUntil(10 * S);
    expect(world.status('r1')).toBe('down');
    world.start('r1');
    const s = state(world, 'r1');
    expect(Object.keys(s.db)).toHaveLength(5);
    expect(s.replid2).toBe(replid);
    expect(s.secondReplidOffset).toBe(offset + 1);
    expect(s.masterReplOffset).toBe(offset);
    // The replica reconnects and continues partially with the restarted master (same history).
    world.runUntil(15 * S);
    expect(redisView(state(world, 'r2')).linkStatus).toBe('up');
  });

  it('CONFIG REWRITE persists replicaof: a restarted node is still a replica of the same master', () => {
    const { world } = redisWorld([
      { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig() },
      { pid: 'r3', host: 'h3', ip: '10.0.0.3', cfg: redisConfig({ savePoints: [] }) },
    ]);
    addClient(world, 'c', 'h3', { r: { ip: '10.0.0.3', port: 6379 } }, [
      { atMs: 1000, conn: 'r', argv: ['REPLICAOF', M.ip, '6379'] },
      { atMs: 1001, conn: 'r', argv: ['CONFIG', 'REWRITE'] },
    ]);
    world.runUntil(2 * S);
    crash(world, 'r3');
    world.start('r3');
    expect(redisView(state(world, 'r3')).role).toBe('slave');
    expect(redisView(state(world, 'r3')).masterHost).toBe(M.ip);
    world.runUntil(10 * S);
    expect(redisView(state(world, 'r3')).linkStatus).toBe('up');
  });
});

describe('more replication rules', () => {
  it('a chained replica gets the identical stream from its replica (same replid and offsets)', () => {
    const { world } = redisWorld([
      { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig() },
      { pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ replicaofAddr: [M.ip, 6379] }) },
      { pid: 'r3', host: 'h3', ip: '10.0.0.3', cfg: redisConfig({ replicaofAddr: [R2.ip, 6379] }) },
    ]);
    addClient(world, 'c', 'h1', { m: M }, writes('m', 15000, 5, 10));
    world.runUntil(25 * S);
    const [a, b, c] = ['r1', 'r2', 'r3'].map((p) => state(world, p));
    expect(c!.db).toEqual(a!.db);
    expect(Object.keys(c!.db)).toHaveLength(5);
    expect(c!.replid).toBe(a!.replid);
    expect(b!.masterReplOffset).toBe(a!.masterReplOffset);
    expect(c!.masterReplOffset).toBe(a!.masterReplOffset);
    expect(infoFields(world, 'r2').slave0).toMatch(/^ip=10\.0\.0\.3,port=6379,state=online/);
  });

  it('replica-announce-ip/port are what the master lists', () => {
    const { world } = twoNodes({}, { replicaAnnounceIp: '192.168.7.2', replicaAnnouncePort: 7002 });
    world.runUntil(7 * S);
    expect(infoFields(world, 'r1').slave0).toMatch(/^ip=192\.168\.7\.2,port=7002,state=online,/);
  });

  it('the backlog is freed repl-backlog-ttl seconds after the last replica left, with a new replid', () => {
    const { world, trace } = twoNodes({ replBacklogTtlSec: 10 });
    world.runUntil(7 * S);
    const replid = state(world, 'r1').replid;
    crash(world, 'r2');
    world.runUntil(17 * S);
    expect(state(world, 'r1').backlog).not.toBeNull();
    world.runUntil(19 * S);
    expect(state(world, 'r1').backlog).toBeNull();
    expect(state(world, 'r1').replid).not.toBe(replid);
    expect(logs(trace!, 'r1')).toContain('Replication backlog freed after 10 seconds without connected replicas.');
  });

  it('save points snapshot on schedule, so data survives a kill -9', () => {
    const { world } = redisWorld([{ pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({ savePoints: [{ seconds: 5, changes: 1 }] }) }]);
    addClient(world, 'c', 'h1', { m: M }, [...writes('m', 1000, 3, 10), { atMs: 9000, conn: 'm', argv: ['SET', 'late', '1'] }]);
    world.runUntil(9500 * MS);
    crash(world, 'r1');
    world.start('r1');
    expect(Object.keys(state(world, 'r1').db).sort()).toEqual(['k1000', 'k1010', 'k1020']);
  });

  it('appendonly yes: a restart reloads the AOF (at most ~1 s behind) but gets a fresh replid', () => {
    const { world } = redisWorld([{ pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({ savePoints: [], appendonly: true }) }]);
    addClient(world, 'c', 'h1', { m: M }, writes('m', 1000, 3, 10));
    world.runUntil(3 * S);
    const replid = state(world, 'r1').replid;
    crash(world, 'r1');
    world.start('r1');
    expect(Object.keys(state(world, 'r1').db)).toHaveLength(3);
    expect(state(world, 'r1').replid).not.toBe(replid);
  });
});
