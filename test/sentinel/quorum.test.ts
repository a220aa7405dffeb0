import { describe, expect, it } from 'vitest';
import { deploy, type Deployment } from './harness.js';
import { crash } from '../../src/faults/index.js';

const S = 1e6;

function nByN(n: number, quorum: number, over: Partial<Deployment> = {}): Deployment {
  const hosts = Array.from({ length: n }, (_, i) => ({ name: `h${i + 1}`, ip: `10.0.0.${i + 1}` }));
  return {
    hosts,
    nodes: [
      { name: 'r1', host: 'h1', port: 6379 },
      { name: 'r2', host: 'h2', port: 6379, replicaOf: 'r1' },
      { name: 'r3', host: 'h3', port: 6379, replicaOf: 'r1' },
    ],
    sentinels: hosts.map((h, i) => ({ name: `s${i + 1}`, host: h.name, port: 26379 })),
    quorum,
    downAfterMs: 5000,
    failoverTimeoutMs: 20000,
    ...over,
  };
}

describe('quorum choices (sentinelGetLeader(), sentinelCheckObjectivelyDown())', () => {
  it('3 sentinels, quorum 3, one sentinel down: +sdown but never +odown, no failover', () => {
    const r = deploy(nByN(3, 3), 1);
    r.world.runUntil(20 * S);
    crash(r.world, 's3');
    crash(r.world, 'r1');
    r.world.runUntil(120 * S);
    for (const p of ['s1', 's2']) {
      expect(r.lines(p)).toContain('+sdown master mymaster 10.0.0.1 6379');
      expect(r.events({ p, event: '+odown' })).toEqual([]);
    }
    expect(r.events({ event: '+try-failover' })).toEqual([]);
    expect(r.events({ event: '+switch-master' })).toEqual([]);
  });

  it('5 sentinels, quorum 2, 3 down: +odown but -failover-abort-not-elected, retried every 2 × failover-timeout', () => {
    const r = deploy(nByN(5, 2), 1);
    r.world.runUntil(20 * S);
    for (const p of ['s3', 's4', 's5']) crash(r.world, p);
    crash(r.world, 'r1');
    r.world.runUntil(200 * S);
    expect(r.events({ event: '+odown' }).length).toBeGreaterThanOrEqual(2);
    expect(r.events({ event: '+elected-leader' })).toEqual([]);
    expect(r.events({ event: '+switch-master' })).toEqual([]);
    for (const p of ['s1', 's2']) {
      const tries = r.events({ p, event: '+try-failover' }).map((e) => e.t);
      const aborts = r.events({ p, event: '-failover-abort-not-elected' }).map((e) => e.t);
      expect(aborts.length).toBeGreaterThanOrEqual(1);
      // Each abort comes min(10 s, failover-timeout) after its try (plus up to 1 s of desync).
      expect(aborts[0]! - tries[0]!).toBeGreaterThan(10_000);
      expect(aborts[0]! - tries[0]!).toBeLessThan(11_200);
      // Retries are at least 2 × failover-timeout (40 s) apart, at most one more second of desync
      // and a tick. A vote for the other sentinel also restarts the wait (sentinelVoteLeader).
      for (let i = 1; i < tries.length; i++) expect(tries[i]! - tries[i - 1]!).toBeGreaterThanOrEqual(40_000);
      expect(tries.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('4 sentinels, quorum 2, 2 down: the two left can never reach the majority of 3 (redis/redis#10621)', () => {
    const r = deploy(nByN(4, 2), 3);
    r.world.runUntil(20 * S);
    crash(r.world, 's3');
    crash(r.world, 's4');
    crash(r.world, 'r1');
    r.world.runUntil(300 * S);
    expect(r.events({ event: '+odown' }).length).toBeGreaterThanOrEqual(1);
    expect(r.events({ event: '+try-failover' }).length).toBeGreaterThanOrEqual(2);
    expect(r.events({ event: '+elected-leader' })).toEqual([]);
    expect(r.events({ event: '+switch-master' })).toEqual([]);
  });
});
