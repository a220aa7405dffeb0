import { describe, expect, it } from 'vitest';
import { cliBehavior, type CliJob } from '../../src/clients/cli.js';
import { redisView, type RedisState } from '../../src/redis/index.js';
import { deploy, type Deployment, type NodeSpec } from './harness.js';
import { crash, partition } from '../../src/faults/index.js';

const S = 1e6;

/** Master on h1, replicas r2..r4 on h2..h4, sentinels on their own hosts so cutting data links spares them. */
function fourNodes(replicaExtra: Record<string, string[]> = {}): Deployment {
  const hosts = [1, 2, 3, 4].map((i) => ({ name: `h${i}`, ip: `10.0.0.${i}` }));
  const shosts = [1, 2, 3].map((i) => ({ name: `hs${i}`, ip: `10.0.1.${i}` }));
  const nodes: NodeSpec[] = [
    { name: 'r1', host: 'h1', port: 6379 },
    ...[2, 3, 4].map((i) => ({ name: `r${i}`, host: `h${i}`, port: 6379, replicaOf: 'r1', extra: ['repl-timeout 5', ...(replicaExtra[`r${i}`] ?? [])] })),
  ];
  return {
    hosts: [...hosts, ...shosts, { name: 'hc', ip: '10.0.2.1' }],
    nodes,
    sentinels: shosts.map((h, i) => ({ name: `s${i + 1}`, host: h.name, port: 26379 })),
    quorum: 2,
    downAfterMs: 1000,
    failoverTimeoutMs: 30000,
  };
}

const selected = (r: ReturnType<typeof deploy>) => r.events({ event: '+selected-slave' }).map((e) => e.text);
const replica = (i: number) => `slave 10.0.0.${i}:6379 10.0.0.${i} 6379 @ mymaster 10.0.0.1 6379`;

describe('replica selection (sentinelSelectSlave())', () => {
  it('never chooses priority 0, and prefers the lowest non-zero priority', () => {
    const r = deploy(fourNodes({ r2: ['replica-priority 0'], r3: ['replica-priority 50'], r4: ['replica-priority 10'] }), 1);
    r.world.runUntil(20 * S);
    crash(r.world, 'r1');
    r.world.runUntil(40 * S);
    expect(selected(r)).toEqual([replica(4)]);
    expect(r.events({ event: '+switch-master' }).map((e) => e.text)).toContain('mymaster 10.0.0.1 6379 10.0.0.4 6379');
  });

  it('with no replica eligible: -failover-abort-no-good-slave, and the master stays as configured', () => {
    const r = deploy(fourNodes({ r2: ['replica-priority 0'], r3: ['replica-priority 0'], r4: ['replica-priority 0'] }), 1);
    r.world.runUntil(20 * S);
    crash(r.world, 'r1');
    r.world.runUntil(40 * S);
    expect(r.events({ event: '+elected-leader' })).toHaveLength(1);
    const leader = r.events({ event: '+elected-leader' })[0]!.p;
    const seq = r.lines(leader).filter((l) => !l.startsWith('+slave ') && !l.startsWith('+sentinel '));
    const i = seq.indexOf('+elected-leader master mymaster 10.0.0.1 6379');
    expect(seq.slice(i, i + 3)).toEqual([
      '+elected-leader master mymaster 10.0.0.1 6379',
      '+failover-state-select-slave master mymaster 10.0.0.1 6379',
      '-failover-abort-no-good-slave master mymaster 10.0.0.1 6379',
    ]);
    expect(selected(r)).toEqual([]);
    expect(r.events({ event: '+switch-master' })).toEqual([]);
  });

  it('with equal priorities, prefers the replica that processed more of the stream', () => {
    const r = deploy(fourNodes(), 5);
    const writes: CliJob[] = Array.from({ length: 10 }, (_, i) => ({ id: i, atMs: 20_000 + i * 50, argv: ['SET', `k${i}`, `v${i}`], to: { ip: '10.0.0.1', port: 6379 }, timeoutMs: 1000 }));
    r.world.addProcess('cli', 'hc', cliBehavior(writes));
    r.world.runUntil(19 * S);
    // r2 stops receiving the stream (only the master→r2 direction is cut), then the master dies.
    partition(r.world, ['h1'], ['h2'], true);
    r.world.runUntil(21 * S);
    crash(r.world, 'r1');
    r.world.runUntil(21.5 * S);
    // What each replica had processed when its master died (the failover later resyncs r2).
    const off = (n: string) => redisView(r.world.stateOf<RedisState>(n)).masterReplOffset;
    expect(off('r2')).toBeLessThan(off('r3'));
    expect(off('r3')).toBe(off('r4'));
    r.world.runUntil(40 * S);
    expect(selected(r)).toHaveLength(1);
    expect(selected(r)[0]).not.toBe(replica(2));
  });

  it('with equal priorities and offsets, prefers the smaller run id', () => {
    for (const seed of [11, 12, 13]) {
      const r = deploy(fourNodes(), seed);
      r.world.runUntil(20 * S);
      const ids = [2, 3, 4].map((i) => ({ i, runid: redisView(r.world.stateOf<RedisState>(`r${i}`)).runId }));
      crash(r.world, 'r1');
      r.world.runUntil(40 * S);
      const smallest = [...ids].sort((a, b) => (a.runid < b.runid ? -1 : 1))[0]!.i;
      expect(selected(r)).toEqual([replica(smallest)]);
    }
  });

  it('skips a replica whose master link has been down longer than 10 × down-after', () => {
    const r = deploy(fourNodes({ r3: ['replica-priority 1'] }), 2);
    r.world.runUntil(10 * S);
    // r3 (the preferred replica by priority) loses its master for good; the sentinels still reach it.
    partition(r.world, ['h1'], ['h3']);
    r.world.runUntil(40 * S);
    crash(r.world, 'r1');
    r.world.runUntil(60 * S);
    expect(selected(r)).toHaveLength(1);
    expect(selected(r)[0]).not.toBe(replica(3));
    // It was reachable and answering all along: only the link-down rule excluded it.
    expect(r.events({ event: '+sdown' }).filter((e) => e.text.includes('10.0.0.3:6379'))).toEqual([]);
  });
});
