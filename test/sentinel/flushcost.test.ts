import { describe, expect, it } from 'vitest';
import { array, bulk, type Resp } from '../../src/net/resp.js';
import { costFromQuantilesMs, FLUSH_CONFIG_MS_QUANTILES as Q } from '../../src/sentinel/flushcost.js';
import { F } from '../../src/sentinel/state.js';
import { crash } from '../../src/faults/index.js';
import { SentinelHarness } from './fakeCtx.js';
import { deploy, threeByThree } from './harness.js';

/**
 * sentinelFlushConfig() blocks the Sentinel's loop for a measured time (src/sentinel/flushcost.ts):
 * output queued in that handler leaves only when the flushes end, and serverCron waits for them.
 */
const S = 1e6;
const MIN_MS = Q[0]![1];
const MAX_MS = Q[Q.length - 1]![1];
const PEER = (i: number) => String(i).repeat(40).slice(0, 40);
const conf = [
  `sentinel myid ${'a'.repeat(40)}`,
  'sentinel monitor mymaster 10.0.0.5 6379 2',
  `sentinel known-sentinel mymaster 10.0.0.10 26379 ${PEER(1)}`,
  `sentinel known-sentinel mymaster 10.0.0.11 26379 ${PEER(2)}`,
].join('\n');

describe('the cost of one config flush', () => {
  it('is drawn from the measured quantiles: each point at its quantile, linear between, never outside', () => {
    for (const [q, ms] of Q) expect(costFromQuantilesMs(q)).toBeCloseTo(ms, 9);
    expect(costFromQuantilesMs(0.05)).toBeCloseTo((Q[0]![1] + Q[1]![1]) / 2, 9);
    expect(costFromQuantilesMs(0.97)).toBeCloseTo(Q[10]![1] + ((Q[11]![1] - Q[10]![1]) * 0.02) / 0.04, 9);
    const xs = Array.from({ length: 1001 }, (_, i) => costFromQuantilesMs(i / 1000));
    for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThanOrEqual(xs[i - 1]!);
    expect(Math.min(...xs)).toBe(MIN_MS);
    expect(Math.max(...xs)).toBe(MAX_MS);
  });
});

describe('a vote (SENTINEL IS-MASTER-DOWN-BY-ADDR with a run id) flushes twice before it answers', () => {
  function voteRequest(): SentinelHarness {
    const h = new SentinelHarness(conf);
    h.net({ k: 'accepted', conn: 900, local: { ip: '10.0.0.1', port: 26379 }, remote: { ip: '10.0.0.10', port: 40000 } });
    h.ctx.take();
    h.net({ k: 'data', conn: 900, msg: array(['SENTINEL', 'is-master-down-by-addr', '10.0.0.5', '6379', '1', PEER(1)].map(bulk)) });
    return h;
  }
  const repliesTo900 = (h: SentinelHarness): Resp[] => h.ctx.effects.flatMap((e) => (e.k === 'send' && e.conn === 900 ? [e.msg as Resp] : []));

  it('+new-epoch and +vote-for-leader, each after a flush; the reply waits for both', () => {
    const h = voteRequest();
    const flushes = h.ctx.effects.filter((e) => e.k === 'log' && e.text === 'Sentinel new configuration saved on disk');
    expect(flushes).toHaveLength(2);
    expect(repliesTo900(h)).toEqual([]);
    const write = h.ctx.effects.find((e) => e.k === 'timer' && e.key === 'write');
    expect(write?.k === 'timer' && write.delayMs).toBeGreaterThanOrEqual(2 * MIN_MS);
    expect(write?.k === 'timer' && write.delayMs).toBeLessThanOrEqual(2 * MAX_MS);
    h.settle();
    expect(repliesTo900(h)).toHaveLength(1);
  });

  it('a tick due meanwhile waits until the flushes end, then runs', () => {
    const h = voteRequest();
    const ticks = h.state.ticks;
    h.tick();
    expect(h.state.ticks).toBe(ticks);
    const rearm = h.ctx.effects.filter((e) => e.k === 'timer' && e.key === 'tick').pop();
    const write = h.ctx.effects.find((e) => e.k === 'timer' && e.key === 'write');
    expect(rearm?.k === 'timer' && rearm.delayMs).toBe(write?.k === 'timer' && write.delayMs);
    h.settle();
    h.tick();
    expect(h.state.ticks).toBe(ticks + 1);
  });

  it('a handler without a flush, while none is in progress, writes at once', () => {
    const h = new SentinelHarness(conf);
    h.net({ k: 'accepted', conn: 900, local: { ip: '10.0.0.1', port: 26379 }, remote: { ip: '10.0.0.10', port: 40000 } });
    h.net({ k: 'data', conn: 900, msg: array([bulk('PING')]) });
    expect(repliesTo900(h)).toHaveLength(1);
    expect(h.ctx.effects.some((e) => e.k === 'timer' && e.key === 'write')).toBe(false);
  });
});

describe('a candidate asks for votes only after its own vote is flushed', () => {
  it('each +vote-for-leader of a peer comes at least one flush after the candidate\'s +try-failover (seeds 1..8)', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const r = deploy(threeByThree({ downAfterMs: 2000, failoverTimeoutMs: 6000 }), seed);
      r.world.runUntil(20 * S);
      crash(r.world, 'r1');
      r.world.runUntil(40 * S);
      const tries = r.events({ event: '+try-failover' });
      expect(tries.length).toBeGreaterThan(0);
      const first = tries[0]!;
      const runid = r.world.stateOf<{ myid: string }>(first.p).myid;
      const votes = r.events({ event: '+vote-for-leader' }).filter((e) => e.p !== first.p && e.text.startsWith(runid));
      for (const v of votes) expect(v.t - first.t).toBeGreaterThanOrEqual(MIN_MS);
    }
  });

  it('the failover still completes: every Sentinel switches, none keeps the new master ODOWN', () => {
    const r = deploy(threeByThree({ downAfterMs: 2000, failoverTimeoutMs: 6000 }), 3);
    r.world.runUntil(20 * S);
    crash(r.world, 'r1');
    r.world.runUntil(60 * S);
    expect(r.events({ event: '+switch-master' }).length).toBe(3);
    for (const p of ['s1', 's2', 's3']) expect(r.world.stateOf<{ masters: { flags: number }[] }>(p).masters[0]!.flags & F.O_DOWN).toBe(0);
  });
});
