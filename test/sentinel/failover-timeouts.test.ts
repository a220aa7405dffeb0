import { describe, expect, it } from 'vitest';
import { redisView, type RedisState } from '../../src/redis/index.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { crash, partition, pause } from '../../src/faults/index.js';
import { deploy, type Deployment, type NodeSpec, type Run } from './harness.js';

const S = 1e6;
/** Long enough for the master's INFO to have listed every replica (INFO every 10 s). */
const WARM_S = 20;
/** serverCron runs every 1000 / (10 + rand() % 10) ms: a timeout is seen by the first tick past it. */
const TICK_MS = 100;

/**
 * The timeouts of a failover after its election, each seen firing just after its threshold and not
 * before. Data nodes r1 (master) .. rN are on h1..hN and the three Sentinels on hosts of their own,
 * so a partition between data hosts spares the Sentinels. r2 has the best priority: it is promoted.
 */
function layout(opts: { replicas: number; failoverTimeoutMs: number; replicaExtra?: Record<string, string[]>; sentinelExtra?: string[]; tunables?: Deployment['tunables'] }): Deployment {
  const n = opts.replicas + 1;
  const hosts = Array.from({ length: n }, (_, i) => ({ name: `h${i + 1}`, ip: `10.0.0.${i + 1}` }));
  const shosts = [1, 2, 3].map((i) => ({ name: `hs${i}`, ip: `10.0.1.${i}` }));
  const nodes: NodeSpec[] = hosts.map((h, i) => ({
    name: `r${i + 1}`,
    host: h.name,
    port: 6379,
    ...(i > 0 ? { replicaOf: 'r1', extra: [...(i === 1 ? ['replica-priority 1'] : []), ...(opts.replicaExtra?.[`r${i + 1}`] ?? [])] } : {}),
  }));
  return {
    hosts: [...hosts, ...shosts],
    nodes,
    sentinels: shosts.map((h, i) => ({ name: `s${i + 1}`, host: h.name, port: 26379, extra: opts.sentinelExtra })),
    quorum: 2,
    downAfterMs: 1000,
    failoverTimeoutMs: opts.failoverTimeoutMs,
    tunables: opts.tunables,
  };
}

/** Calls `fn` once, right after the step in which the first `event` was traced. */
function onFirstEvent(r: Run, event: string, fn: (rec: TraceRecord) => void): void {
  let hit: TraceRecord | null = null;
  let done = false;
  r.world.onRecord((rec) => {
    if (hit === null && rec.k === 'event' && rec.event === event) hit = rec;
  });
  r.world.afterStep(() => {
    if (hit !== null && !done) {
      done = true;
      fn(hit);
    }
  });
}

const replica = (i: number) => `slave 10.0.0.${i}:6379 10.0.0.${i} 6379 @ mymaster 10.0.0.1 6379`;
const MASTER = 'master mymaster 10.0.0.1 6379';

/** The one leader elected, its lines, and the time (ms) at which it first logged a given line. */
function leaderOf(r: Run) {
  const elected = r.events({ event: '+elected-leader' });
  expect(elected).toHaveLength(1);
  const p = elected[0]!.p;
  const at = (line: string) => r.events({ p }).find((e) => `${e.event} ${e.text}` === line)?.t;
  return { p, at, lines: () => r.lines(p) };
}

describe('-failover-abort-slave-timeout: the selected replica never becomes master', () => {
  const FT_MS = 15_000;

  it('replica killed at +selected-slave: SLAVEOF NO ONE cannot be sent; abort failover-timeout after the selection, not before', () => {
    const r = deploy(layout({ replicas: 3, failoverTimeoutMs: FT_MS }), 1);
    onFirstEvent(r, '+selected-slave', () => crash(r.world, 'r2'));
    r.world.runUntil(WARM_S * S);
    crash(r.world, 'r1');
    r.world.runUntil((WARM_S + 25) * S);
    const L = leaderOf(r);
    const selectedAt = L.at(`+selected-slave ${replica(2)}`)!;
    expect(selectedAt).toBeDefined();
    const abortAt = L.at(`-failover-abort-slave-timeout ${MASTER}`)!;
    expect(abortAt, L.lines().join('\n')).toBeDefined();
    // The state changed at +selected-slave; the abort needs more than failover-timeout after it.
    expect(abortAt - selectedAt).toBeGreaterThan(FT_MS);
    expect(abortAt - selectedAt).toBeLessThanOrEqual(FT_MS + TICK_MS);
    // It never got as far as sending SLAVEOF NO ONE, and nobody switched.
    expect(L.lines().filter((l) => l.startsWith('+failover-state-wait-promotion'))).toEqual([]);
    expect(r.events({ event: '+switch-master' }).filter((e) => e.t < abortAt)).toEqual([]);
  });

  it('replica stopped (SIGSTOP) at +selected-slave: SLAVEOF NO ONE is sent but never obeyed; abort failover-timeout after +failover-state-wait-promotion', () => {
    const r = deploy(layout({ replicas: 3, failoverTimeoutMs: FT_MS }), 1);
    onFirstEvent(r, '+selected-slave', () => pause(r.world, 'r2'));
    r.world.runUntil(WARM_S * S);
    crash(r.world, 'r1');
    r.world.runUntil((WARM_S + 25) * S);
    const L = leaderOf(r);
    const waitAt = L.at(`+failover-state-wait-promotion ${replica(2)}`)!;
    expect(waitAt, L.lines().join('\n')).toBeDefined();
    const abortAt = L.at(`-failover-abort-slave-timeout ${MASTER}`)!;
    expect(abortAt, L.lines().join('\n')).toBeDefined();
    expect(abortAt - waitAt).toBeGreaterThan(FT_MS);
    expect(abortAt - waitAt).toBeLessThanOrEqual(FT_MS + TICK_MS);
    expect(L.lines().filter((l) => l.startsWith('+promoted-slave'))).toEqual([]);
    expect(r.events({ event: '+switch-master' }).filter((e) => e.t < abortAt)).toEqual([]);
  });
});

describe('+failover-end-for-timeout: a replica that can never sync from the promoted one', () => {
  const FT_MS = 15_000;
  function run(cut: boolean) {
    const r = deploy(layout({ replicas: 3, failoverTimeoutMs: FT_MS }), 2);
    // r3 can reach the Sentinels and the old master, but never r2, the replica about to be promoted.
    if (cut) partition(r.world, ['h2'], ['h3']);
    r.world.runUntil(WARM_S * S);
    crash(r.world, 'r1');
    r.world.runUntil((WARM_S + 25) * S);
    return r;
  }

  it('cut off: r3 stays in reconf-inprog; the failover ends failover-timeout after +failover-state-reconf-slaves, not before', () => {
    const r = run(true);
    const L = leaderOf(r);
    const reconfAt = L.at(`+failover-state-reconf-slaves ${MASTER}`)!;
    expect(reconfAt, L.lines().join('\n')).toBeDefined();
    const timeoutAt = L.at(`+failover-end-for-timeout ${MASTER}`)!;
    expect(timeoutAt, L.lines().join('\n')).toBeDefined();
    expect(timeoutAt - reconfAt).toBeGreaterThan(FT_MS);
    expect(timeoutAt - reconfAt).toBeLessThanOrEqual(FT_MS + TICK_MS);
    // The end, and the switch, come in the same tick as the timeout.
    expect(L.at(`+failover-end ${MASTER}`)).toBe(timeoutAt);
    expect(L.at('+switch-master mymaster 10.0.0.1 6379 10.0.0.2 6379')).toBe(timeoutAt);
    expect(L.lines()).toContain(`+slave-reconf-inprog ${replica(3)}`);
    expect(L.lines()).not.toContain(`+slave-reconf-done ${replica(3)}`);
  });

  it('not cut off: every replica is reconfigured and the failover ends well inside failover-timeout', () => {
    const r = run(false);
    const L = leaderOf(r);
    const reconfAt = L.at(`+failover-state-reconf-slaves ${MASTER}`)!;
    const endAt = L.at(`+failover-end ${MASTER}`)!;
    expect(endAt - reconfAt).toBeLessThan(FT_MS);
    expect(L.lines().filter((l) => l.startsWith('+failover-end-for-timeout'))).toEqual([]);
    for (const i of [3, 4]) expect(L.lines()).toContain(`+slave-reconf-done ${replica(i)}`);
  });
});

describe('-slave-reconf-sent-timeout (SENTINEL_SLAVE_RECONF_TIMEOUT): a replica that never obeys SLAVEOF', () => {
  // r3 refuses SLAVEOF/REPLICAOF (renamed away), so the Sentinel's MULTI ... EXEC is discarded and
  // r3 keeps reporting the old master: it stays in reconf-sent. parallel-syncs 2 so r4's slot frees
  // up and the loop reaches r3 again (with no free slot it would never look at r3's timer).
  const RENAMED = ['rename-command SLAVEOF ""', 'rename-command REPLICAOF ""'];
  function run(tunables?: Deployment['tunables']) {
    const d = layout({ replicas: 3, failoverTimeoutMs: 60_000, replicaExtra: { r3: RENAMED }, sentinelExtra: ['sentinel parallel-syncs mymaster 2'], tunables });
    const r = deploy(d, 3);
    r.world.runUntil(WARM_S * S);
    crash(r.world, 'r1');
    r.world.runUntil((WARM_S + 50) * S);
    return r;
  }

  for (const [label, timeoutMs] of [
    ['default 10 s', undefined],
    ['SENTINEL DEBUG slave-reconf-timeout 4000', 4000],
  ] as const) {
    it(`${label}: given up on just after the timeout, not before, and the failover then ends`, () => {
      const r = run(timeoutMs === undefined ? undefined : { slaveReconfTimeoutMs: timeoutMs });
      const L = leaderOf(r);
      const sentAt = L.at(`+slave-reconf-sent ${replica(3)}`)!;
      expect(sentAt, L.lines().join('\n')).toBeDefined();
      const giveUpAt = L.at(`-slave-reconf-sent-timeout ${replica(3)}`)!;
      expect(giveUpAt, L.lines().join('\n')).toBeDefined();
      const limitMs = timeoutMs ?? 10_000;
      expect(giveUpAt - sentAt).toBeGreaterThan(limitMs);
      expect(giveUpAt - sentAt).toBeLessThanOrEqual(limitMs + TICK_MS);
      // r4 was reconfigured normally; r3 never reached inprog; the failover ended right away, not by failover-timeout.
      expect(L.lines()).toContain(`+slave-reconf-done ${replica(4)}`);
      expect(L.lines()).not.toContain(`+slave-reconf-inprog ${replica(3)}`);
      expect(L.at(`+failover-end ${MASTER}`)).toBe(giveUpAt);
      expect(L.lines().filter((l) => l.startsWith('+failover-end-for-timeout'))).toEqual([]);
    });
  }
});

describe('parallel-syncs: how many replicas are reconfigured at once', () => {
  /** Replays the leader's +slave-reconf-sent / -done lines and returns the most replicas in flight at once. */
  function maxInFlight(parallelSyncs: number): { max: number; done: number } {
    const d = layout({ replicas: 4, failoverTimeoutMs: 60_000, sentinelExtra: [`sentinel parallel-syncs mymaster ${parallelSyncs}`] });
    const r = deploy(d, 4);
    r.world.runUntil(WARM_S * S);
    crash(r.world, 'r1');
    r.world.runUntil((WARM_S + 50) * S);
    const L = leaderOf(r);
    let inFlight = 0;
    let max = 0;
    let done = 0;
    for (const l of L.lines()) {
      if (l.startsWith('+slave-reconf-sent ')) max = Math.max(max, ++inFlight);
      if (l.startsWith('+slave-reconf-done ') || l.startsWith('-slave-reconf-sent-timeout ')) {
        inFlight--;
        done++;
      }
    }
    expect(L.lines().filter((l) => l.startsWith('+failover-end-for-timeout'))).toEqual([]);
    return { max, done };
  }
  // Three replicas to reconfigure (r3, r4, r5) after r2 is promoted.
  it('parallel-syncs 1: one at a time', () => expect(maxInFlight(1)).toEqual({ max: 1, done: 3 }));
  it('parallel-syncs 2: two at once, never three', () => expect(maxInFlight(2)).toEqual({ max: 2, done: 3 }));
  it('parallel-syncs 3: all three at once', () => expect(maxInFlight(3)).toEqual({ max: 3, done: 3 }));
});

describe('after the failover the nodes agree with the Sentinels', () => {
  it('the promoted replica is master and the others follow it (sanity for the layouts above)', () => {
    const r = deploy(layout({ replicas: 3, failoverTimeoutMs: 15_000 }), 2);
    r.world.runUntil(WARM_S * S);
    crash(r.world, 'r1');
    r.world.runUntil((WARM_S + 30) * S);
    const role = (n: string) => redisView(r.world.stateOf<RedisState>(n)).role;
    expect([role('r2'), role('r3'), role('r4')]).toEqual(['master', 'slave', 'slave']);
  });
});
