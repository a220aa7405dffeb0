import { describe, expect, it } from 'vitest';
import { deploy, threeByThree, type Deployment } from '../sentinel/harness.js';
import { crash, setLink } from '../../src/faults/index.js';
import type { SentinelState } from '../../src/sentinel/index.js';

const S = 1e6;

/**
 * redis/redis#5784 (and the same pattern in zkteco-home/redis-windows#17): the peers' logs show
 * +vote-for-leader for the candidate, yet the candidate logs -failover-abort-not-elected. The votes
 * count only once their is-master-down-by-addr replies arrive (sentinelReceiveIsMasterDownReply()),
 * and the candidate gives up min(10 s, failover-timeout) after it started (sentinelFailoverWaitStart()).
 * Here s3 is the only Sentinel that sees the master down (quorum 1, the others' down-after is long),
 * and its link to the other two Sentinels (on machines of their own) is 1.2 s each way.
 */
function slowVotes(latencyUs: number): ReturnType<typeof deploy> {
  const slow = ['sentinel down-after-milliseconds mymaster 600000'];
  const d: Deployment = threeByThree({ quorum: 1, failoverTimeoutMs: 1000 });
  d.hosts.push({ name: 'h4', ip: '10.0.0.4' }, { name: 'h5', ip: '10.0.0.5' });
  d.sentinels[0] = { name: 's1', host: 'h4', port: 26379, extra: slow };
  d.sentinels[1] = { name: 's2', host: 'h5', port: 26379, extra: slow };
  const r = deploy(d, 1);
  r.world.runUntil(15 * S);
  for (const h of ['h4', 'h5']) setLink(r.world, 'h3', h, { latencyUs, jitterUs: 0, loss: 0 });
  r.world.runUntil(20 * S);
  crash(r.world, 'r1');
  r.world.runUntil(40 * S);
  return r;
}

describe('redis/redis#5784: -failover-abort-not-elected though both peers voted for the same leader', () => {
  it('the vote replies arrive after the election timeout: each epoch the peers vote for s3, s3 aborts, then logs their votes', () => {
    const r = slowVotes(1_200_000);
    const s3 = r.world.stateOf<SentinelState>('s3').myid;
    expect(r.events({ event: '+elected-leader' })).toEqual([]);
    const aborts = r.events({ p: 's3', event: '-failover-abort-not-elected' });
    expect(aborts.length).toBeGreaterThanOrEqual(3);
    const voted = r.trace.records.filter((x) => x.k === 'log' && x.p === 's3' && / voted for /.test(String(x.text)));
    for (let epoch = 1; epoch <= 3; epoch++) {
      const tryAt = r.events({ p: 's3', event: '+try-failover' })[epoch - 1]!.t;
      const abortAt = aborts[epoch - 1]!.t;
      // Election timeout min(10 s, failover-timeout 1 s), plus up to 1 s of desync (SENTINEL_MAX_DESYNC).
      expect(abortAt - tryAt).toBeGreaterThan(1000);
      expect(abortAt - tryAt).toBeLessThanOrEqual(2100);
      for (const p of ['s1', 's2']) {
        const vote = r.events({ p, event: '+vote-for-leader' }).find((e) => e.text === `${s3} ${epoch}`);
        expect(vote, `${p} votes for s3 in epoch ${epoch}`).toBeDefined();
        expect(vote!.t).toBeLessThan(abortAt);
      }
      const replies = voted.filter((x) => String(x.text).endsWith(`voted for ${s3} ${epoch}`));
      expect(replies).toHaveLength(2);
      // Both votes were cast before the abort; s3 learns of them only after it (the replies' trip back).
      for (const x of replies) expect(x.t / 1000).toBeGreaterThan(abortAt);
    }
  });

  it('the same layout with a fast link: the votes are back in time and s3 is elected in epoch 1', () => {
    const r = slowVotes(200);
    expect(r.events({ p: 's3', event: '-failover-abort-not-elected' })).toEqual([]);
    expect(r.events({ p: 's3', event: '+elected-leader' })).toHaveLength(1);
    expect(r.lines('s3').filter((l) => l.startsWith('+switch-master mymaster 10.0.0.1 6379 10.0.0.'))).toHaveLength(1);
  });
});

describe('redis/redis#10621: 4 sentinels, quorum 2, no promotion; retries every 6 minutes', () => {
  it('2 of 4 Sentinels left: +odown (quorum 2) but never elected (majority of 4 is 3); the default failover-timeout of 3 min retries every 6 min', () => {
    const hosts = Array.from({ length: 4 }, (_, i) => ({ name: `h${i + 1}`, ip: `10.0.0.${i + 1}` }));
    const r = deploy({
      hosts,
      nodes: [
        { name: 'r1', host: 'h1', port: 6379 },
        { name: 'r2', host: 'h2', port: 6379, replicaOf: 'r1' },
      ],
      sentinels: hosts.map((h, i) => ({ name: `s${i + 1}`, host: h.name, port: 26379 })),
      quorum: 2,
      failoverTimeoutMs: 180_000,
    }, 1);
    r.world.runUntil(20 * S);
    crash(r.world, 's3');
    crash(r.world, 's4');
    crash(r.world, 'r1');
    r.world.runUntil(800 * S);
    expect(r.events({ event: '+odown' }).length).toBeGreaterThanOrEqual(2);
    expect(r.events({ event: '+elected-leader' })).toEqual([]);
    const tries = r.events({ event: '+try-failover' }).map((e) => e.t);
    expect(tries.length).toBeGreaterThanOrEqual(2);
    // sentinelStartFailoverIfNeeded(): no new attempt before 2 × failover-timeout (plus up to 1 s of desync).
    for (let i = 1; i < tries.length; i++) expect(tries[i]! - tries[i - 1]!).toBeGreaterThanOrEqual(360_000);
    expect(r.events({ event: '-failover-abort-not-elected' }).length).toBe(tries.length);
    // Each Sentinel's view: 4 known voters (itself included), majority 3, quorum 2.
    const st = r.world.stateOf<SentinelState>('s1');
    expect(st.masters[0]!.sentinels).toHaveLength(3);
  });
});
