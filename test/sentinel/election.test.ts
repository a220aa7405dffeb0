import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { compareSlavesForPromotion } from '../../src/sentinel/failover/select.js';
import { getLeader, voteLeader, ctime } from '../../src/sentinel/election.js';
import { ckquorum } from '../../src/sentinel/commands.js';
import { Out } from '../../src/sentinel/out.js';
import { F, type Instance, type SentinelState } from '../../src/sentinel/state.js';
import { respToString } from '../../src/net/resp.js';
import { SentinelHarness } from './fakeCtx.js';

const MYID = 'a'.repeat(40);
const conf = (extra: string[] = [], quorum = 2) =>
  [`sentinel myid ${MYID}`, `sentinel monitor mymaster 10.0.0.5 6379 ${quorum}`, ...extra].join('\n');
const peers = (n: number) =>
  Array.from({ length: n }, (_, i) => `sentinel known-sentinel mymaster 10.0.0.${10 + i} 26379 ${String(i + 1).repeat(40).slice(0, 40)}`);

function withMaster(h: SentinelHarness, fn: (s: SentinelState, m: Instance, out: Out) => void): void {
  h.state = produce(h.state, (d) => {
    const out = new Out(h.ctx);
    fn(d as SentinelState, (d as SentinelState).masters[0]!, out);
    out.flush();
  });
}

describe('sentinelVoteLeader()', () => {
  it('votes once per epoch: first come, first served', () => {
    const h = new SentinelHarness(conf(peers(2)));
    const votes: (string | null)[] = [];
    withMaster(h, (s, m, out) => {
      votes.push(voteLeader(s, h.ctx, out, m, 1, 'b'.repeat(40), h.ctx.nowMs()).leader);
      votes.push(voteLeader(s, h.ctx, out, m, 1, 'c'.repeat(40), h.ctx.nowMs()).leader);
    });
    expect(votes).toEqual(['b'.repeat(40), 'b'.repeat(40)]);
    expect(h.ctx.events().filter((e) => e.startsWith('+vote-for-leader'))).toEqual([`+vote-for-leader ${'b'.repeat(40)} 1`]);
    expect(h.ctx.events()).toContain('+new-epoch 1');
  });

  it('voting for another sentinel pushes back our own failover start by up to SENTINEL_MAX_DESYNC', () => {
    const h = new SentinelHarness(conf(peers(2)));
    withMaster(h, (s, m, out) => voteLeader(s, h.ctx, out, m, 3, 'b'.repeat(40), h.ctx.nowMs()));
    const m = h.state.masters[0]!;
    expect(m.failoverStartTime).toBeGreaterThanOrEqual(h.ctx.nowMs());
    expect(m.failoverStartTime).toBeLessThan(h.ctx.nowMs() + 1000);
    expect(h.state.currentEpoch).toBe(3);
  });

  it('never votes for an epoch older than its current epoch', () => {
    const h = new SentinelHarness(conf([...peers(2), 'sentinel current-epoch 5']));
    let r: { leader: string | null; leaderEpoch: number } | undefined;
    withMaster(h, (s, m, out) => (r = voteLeader(s, h.ctx, out, m, 4, 'b'.repeat(40), h.ctx.nowMs())));
    expect(r).toEqual({ leader: null, leaderEpoch: 0 });
    expect(h.ctx.events().some((e) => e.startsWith('+vote-for-leader'))).toBe(false);
  });
});

describe('sentinelGetLeader(): majority of all known sentinels and quorum', () => {
  function elect(nPeers: number, quorum: number, peerVotesForMe: number): string | null {
    const h = new SentinelHarness(conf(peers(nPeers), quorum));
    let winner: string | null = null;
    withMaster(h, (s, m, out) => {
      s.currentEpoch = 1;
      m.failoverEpoch = 1;
      m.flags |= F.FAILOVER_IN_PROGRESS;
      m.sentinels.slice(0, peerVotesForMe).forEach((x) => {
        x.leader = MYID;
        x.leaderEpoch = 1;
      });
      winner = getLeader(s, h.ctx, out, m, 1, h.ctx.nowMs());
    });
    return winner;
  }
  it('3 sentinels, quorum 2: one peer vote plus our own wins', () => expect(elect(2, 2, 1)).toBe(MYID));
  it('3 sentinels, quorum 2: our vote alone does not', () => expect(elect(2, 2, 0)).toBeNull());
  it('4 sentinels, quorum 2: two votes are not a majority of 4 (redis/redis#10621)', () => expect(elect(3, 2, 1)).toBeNull());
  it('4 sentinels, quorum 2: three votes win', () => expect(elect(3, 2, 2)).toBe(MYID));
  it('3 sentinels, quorum 3: a majority of 2 is not enough when quorum is larger', () => expect(elect(2, 3, 1)).toBeNull());
  it('2 sentinels, quorum 1: both votes are needed (redis/redis#2284)', () => {
    expect(elect(1, 1, 0)).toBeNull();
    expect(elect(1, 1, 1)).toBe(MYID);
  });
});

describe('compareSlavesForPromotion()', () => {
  const r = (priority: number, offset: number, runid: string | null) => ({ slavePriority: priority, slaveReplOffset: offset, runid }) as Instance;
  it('orders by lower priority, then higher offset, then smaller run id with NULL last', () => {
    const list = [r(100, 5, 'bb'), r(10, 1, 'zz'), r(100, 9, 'cc'), r(100, 5, 'AA'), r(100, 5, null)];
    const sorted = [...list].sort(compareSlavesForPromotion).map((x) => `${x.slavePriority}/${x.slaveReplOffset}/${x.runid}`);
    expect(sorted).toEqual(['10/1/zz', '100/9/cc', '100/5/AA', '100/5/bb', '100/5/null']);
  });
});

describe('SENTINEL CKQUORUM messages (sentinelIsQuorumReachable())', () => {
  it('reports quorum and majority problems in Redis words', () => {
    const h = new SentinelHarness(conf(peers(4), 3));
    let okReply = '';
    let badReply = '';
    withMaster(h, (s, m) => {
      okReply = respToString(ckquorum(m));
      m.sentinels.slice(0, 3).forEach((x) => (x.flags |= F.S_DOWN));
      badReply = respToString(ckquorum(m));
    });
    expect(okReply).toBe('+OK 5 usable Sentinels. Quorum and failover authorization can be reached');
    expect(badReply).toBe(
      '-NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover',
    );
  });
});

describe('startup', () => {
  it('logs +monitor with the instance identifier and quorum', () => {
    const h = new SentinelHarness(conf());
    expect(h.ctx.events()).toEqual(['+monitor master mymaster 10.0.0.5 6379 quorum 2']);
  });
  it('generates and saves a myid when the config has none', () => {
    const h = new SentinelHarness('sentinel monitor m 10.0.0.5 6379 1');
    expect(h.state.myid).toMatch(/^[0-9a-f]{40}$/);
    expect(h.ctx.effects.some((e) => e.k === 'persist')).toBe(true);
  });
});

describe('ctime()', () => {
  it('formats like C ctime without the newline', () => {
    expect(ctime(0)).toBe('Thu Jan  1 00:00:00 1970');
    expect(ctime(1_767_225_600 + 3600 * 24 * 40 + 61)).toBe('Tue Feb 10 00:01:01 2026');
  });
});
