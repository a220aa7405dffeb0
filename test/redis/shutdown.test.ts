import { describe, expect, it } from 'vitest';
import { redisView } from '../../src/redis/index.js';
import { exchanges } from './helpers/client.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, logs, redisWorld, S, state } from './helpers/world.js';
import { pause } from '../../src/faults/index.js';

const M = { ip: '10.0.0.1', port: 6379 };

function threeNodes(seed = 1) {
  return redisWorld(
    [
      { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({ savePoints: [] }) },
      { pid: 'r2', host: 'h2', ip: '10.0.0.2', cfg: redisConfig({ savePoints: [], replicaofAddr: [M.ip, 6379] }) },
      { pid: 'r3', host: 'h3', ip: '10.0.0.3', cfg: redisConfig({ savePoints: [], replicaofAddr: [M.ip, 6379] }) },
    ],
    { seed },
  );
}

describe('SHUTDOWN on a master with replicas (server.c prepareForShutdown, 7.0 shutdown-timeout)', () => {
  it('pauses writes, asks for an ACK, and exits at the replicas\' next ACK covering the stream: 0.1-2.2 s later, not at once', () => {
    for (const seed of [1, 2, 3, 4]) {
      const t = threeNodes(seed);
      addClient(t.world, 'c', 'h1', { a: M, b: M }, [
        // A write just before: the replicas have it but acknowledge it only at their next ACK.
        { atMs: 19_990, conn: 'a', argv: ['SET', 'before', '1'] },
        { atMs: 20_000, conn: 'a', argv: ['SHUTDOWN', 'NOSAVE'] },
        { atMs: 20_010, conn: 'b', argv: ['PING'] },
        { atMs: 20_020, conn: 'b', argv: ['SET', 'k', 'v'] },
      ]);
      t.world.runUntil(20 * S + 5000);
      expect(logs(t.trace!, 'r1')).toContain('Waiting for replicas before shutting down.');
      expect(t.world.status('r1')).toBe('running');
      t.world.runUntil(22 * S);
      expect(t.world.status('r1')).toBe('down');
      const exit = t.trace!.records.find((r) => r.k === 'fault' && r.what === 'exit' && r.p === 'r1')!;
      const waitedMs = exit.t / 1000 - 20_000;
      expect(waitedMs, `seed ${seed}`).toBeGreaterThan(100);
      // One ACK later when the master's own replicationCron PING (repl-ping-replica-period) falls
      // inside the wait: isReadyToShutdown() compares each ACK with master_repl_offset, which the PING
      // advanced. The PING's phase is seeded (the node's start phase), so some seeds wait ~2 s.
      expect(waitedMs, `seed ${seed}`).toBeLessThan(2200);
      const b = exchanges(clientState(t.world, 'c'), 'b');
      expect(b.find((x) => x.argv[0] === 'PING')!.reply).toBe('PONG');
      // Paused, never answered: the client only sees the connection close when the server exits.
      expect(b.find((x) => x.argv[0] === 'SET')!.reply).toEqual({ closed: 'closed' });
      // The write before the SHUTDOWN reached the replicas; the one after it never ran.
      expect(redisView(state(t.world, 'r2')).dbsize).toBe(1);
    }
  });

  it('with a replica that never answers, gives up after shutdown-timeout and names the lagging replica', () => {
    const t = threeNodes();
    addClient(t.world, 'c', 'h1', { a: M }, [
      { atMs: 19_500, conn: 'a', argv: ['SET', 'before', '1'] },
      { atMs: 20_000, conn: 'a', argv: ['SHUTDOWN'] },
    ]);
    t.world.runUntil(19 * S);
    pause(t.world, 'r3');
    t.world.runUntil(29.9 * S);
    expect(t.world.status('r1')).toBe('running');
    t.world.runUntil(30.2 * S);
    expect(t.world.status('r1')).toBe('down');
    expect(logs(t.trace!, 'r1').some((l) => /^Lagging replica 10\.0\.0\.3:6379 reported offset \d+ behind master, lag=\d+, state=online\.$/.test(l))).toBe(true);
  });

  it('SHUTDOWN NOW does not wait', () => {
    const t = threeNodes();
    addClient(t.world, 'c', 'h1', { a: M }, [{ atMs: 20_000, conn: 'a', argv: ['SHUTDOWN', 'NOW'] }]);
    t.world.runUntil(20 * S + 10_000);
    expect(t.world.status('r1')).toBe('down');
  });
});
