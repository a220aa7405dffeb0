/**
 * sentinelVoteLeader(), sentinelGetLeader(), sentinelStartFailover() and
 * sentinelStartFailoverIfNeeded() (sentinel.c 7.0.15) driven directly: which votes count, ties,
 * majority and quorum on both sides, the failover delay after voting for someone else, and the
 * "Next failover delay" line. The tests StrykerJS showed missing for src/sentinel/election.ts.
 */
import { describe, expect, it } from 'vitest';
import { crand, ctime, getLeader, startFailover, startFailoverIfNeeded, voteLeader } from '../../../src/sentinel/election.js';
import { F, FS, type Instance, type SentinelState } from '../../../src/sentinel/state.js';
import { dictRank } from '../../../src/sentinel/dictorder.js';
import { SentinelHarness } from '../fakeCtx.js';
import { act } from './act.js';

const MYID = 'a'.repeat(40);
const PEER = (i: number) => String(i).repeat(40);
const FAILOVER_TIMEOUT = 10_000;

function harness(nPeers = 2, quorum = 2, extra: string[] = []): SentinelHarness {
  const h = new SentinelHarness(
    [
      `sentinel myid ${MYID}`,
      `sentinel monitor mymaster 10.0.0.5 6379 ${quorum}`,
      `sentinel failover-timeout mymaster ${FAILOVER_TIMEOUT}`,
      ...Array.from({ length: nPeers }, (_, i) => `sentinel known-sentinel mymaster 10.0.1.${i + 1} 26379 ${PEER(i + 1)}`),
      ...extra,
    ].join('\n'),
  );
  h.ctx.take();
  return h;
}


const logs = (h: SentinelHarness) => h.ctx.effects.filter((e) => e.k === 'log').map((e) => (e as { text: string }).text);

describe('sentinelVoteLeader()', () => {
  it('a newer epoch is adopted, flushed and announced before the vote', () => {
    const h = harness();
    const v = act(h, (s, m, out, now) => voteLeader(s, h.ctx, out, m, 4, PEER(1), now));
    expect(v).toEqual({ leader: PEER(1), leaderEpoch: 4 });
    expect(h.state.currentEpoch).toBe(4);
    expect(h.ctx.events()).toEqual(['+new-epoch 4', `+vote-for-leader ${PEER(1)} 4`]);
    expect(logs(h).filter((l) => l === 'Sentinel new configuration saved on disk')).toHaveLength(2);
  });

  it('the same epoch as the current one gets a vote if none was cast in it; no +new-epoch', () => {
    const h = harness(2, 2, ['sentinel current-epoch 4']);
    const v = act(h, (s, m, out, now) => voteLeader(s, h.ctx, out, m, 4, PEER(2), now));
    expect(v).toEqual({ leader: PEER(2), leaderEpoch: 4 });
    expect(h.ctx.events()).toEqual([`+vote-for-leader ${PEER(2)} 4`]);
  });

  it('a vote already cast in that epoch stands, and nothing is flushed again', () => {
    const h = harness();
    act(h, (s, m, out, now) => voteLeader(s, h.ctx, out, m, 2, PEER(1), now));
    h.ctx.take();
    const v = act(h, (s, m, out, now) => voteLeader(s, h.ctx, out, m, 2, PEER(2), now));
    expect(v).toEqual({ leader: PEER(1), leaderEpoch: 2 });
    expect(h.ctx.effects).toEqual([]);
  });

  it('voting for someone else holds back our own failover by rand() % 1000 ms; voting for ourselves does not', () => {
    const h = harness();
    act(h, (s, m, out, now) => voteLeader(s, h.ctx, out, m, 1, PEER(1), now));
    const t = h.state.masters[0]!.failoverStartTime - h.ctx.nowMs();
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThan(1000);
    const starts = new Set<number>();
    for (let e = 2; e < 12; e++) {
      act(h, (s, m, out, now) => voteLeader(s, h.ctx, out, m, e, PEER(1), now));
      starts.add(h.state.masters[0]!.failoverStartTime);
    }
    expect(starts.size).toBeGreaterThan(1);

    const me = harness();
    act(me, (s, m, out, now) => voteLeader(s, me.ctx, out, m, 1, MYID.toUpperCase(), now));
    expect(me.state.masters[0]!.leader).toBe(MYID.toUpperCase());
    expect(me.state.masters[0]!.failoverStartTime).toBe(0);
  });
});

describe('sentinelGetLeader()', () => {
  /** Peers' votes (leader, epoch) in front of getLeader for `epoch`, with our current epoch `current`. */
  function leader(votes: [string | null, number][], opts: { epoch?: number; current?: number; quorum?: number; peers?: number } = {}) {
    const epoch = opts.epoch ?? 1;
    const h = harness(opts.peers ?? votes.length, opts.quorum ?? 2);
    const w = act(h, (s, m, out, now) => {
      s.currentEpoch = opts.current ?? epoch;
      votes.forEach(([l, e], i) => {
        m.sentinels[i]!.leader = l;
        m.sentinels[i]!.leaderEpoch = e;
      });
      return getLeader(s, h.ctx, out, m, epoch, now);
    });
    return { h, w };
  }

  it('votes from an older epoch do not count', () => {
    // Counted, the two epoch-1 votes for PEER(1) would make it the winner with ours; ignored, we
    // vote for ourselves and one vote of three wins nothing.
    const { h, w } = leader([[PEER(1), 1], [PEER(1), 1]], { epoch: 2, current: 2 });
    expect(w).toBeNull();
    expect(h.state.masters[0]!.leader).toBe(MYID);
  });

  it('votes of the current epoch count and we join the most voted candidate', () => {
    const { h, w } = leader([[PEER(1), 2], [PEER(1), 2]], { epoch: 2, current: 2 });
    expect(w).toBe(PEER(1));
    expect(h.state.masters[0]!.leader).toBe(PEER(1));
  });

  it('a peer without a vote counts for nobody', () => {
    expect(leader([[null, 1], [null, 1]], { quorum: 2 }).w).toBeNull();
  });

  it('majority of all voters (peers + me) and quorum, both needed', () => {
    // 5 voters: 3 needed.
    expect(leader([[PEER(1), 1], [PEER(1), 1], [null, 0], [null, 0]], { quorum: 2 }).w).toBe(PEER(1));
    expect(leader([[PEER(1), 1], [null, 0], [null, 0], [null, 0]], { quorum: 2 }).w).toBeNull();
    // 3 voters, quorum 3: 2 votes are a majority but not the quorum; 3 are both.
    expect(leader([[PEER(1), 1], [null, 0]], { quorum: 3 }).w).toBeNull();
    expect(leader([[PEER(1), 1], [PEER(1), 1]], { quorum: 3 }).w).toBe(PEER(1));
    // 6 voters: 4 needed, 3 are not (floor(6 / 2) + 1).
    expect(leader([[PEER(1), 1], [PEER(1), 1], [null, 0], [null, 0], [null, 0]], { quorum: 1 }).w).toBeNull();
    expect(leader([[PEER(1), 1], [PEER(1), 1], [PEER(1), 1], [null, 0], [null, 0]], { quorum: 1 }).w).toBe(PEER(1));
  });

  it('split votes: our vote goes to a most voted candidate and nobody wins without a majority', () => {
    const { h, w } = leader([[PEER(1), 1], [PEER(2), 1], [null, 0], [null, 0]], { quorum: 2 });
    expect(w).toBeNull();
    expect([PEER(1), PEER(2)]).toContain(h.state.masters[0]!.leader);
  });

  it('a tie in dict order (equal hashes) goes to the smaller run id, whatever order the votes came in', () => {
    const h0 = harness(2, 2);
    const seed = h0.state.dictSeed;
    // Two run ids with the same 32-bit dict hash under this process's seed (birthday search).
    const seen = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; pair === null; i++) {
      const id = i.toString(16).padStart(40, '0');
      const rank = dictRank(seed, id);
      const other = seen.get(rank);
      if (other !== undefined) pair = other < id ? [other, id] : [id, other];
      else seen.set(rank, id);
    }
    const [small, big] = pair;
    for (const order of [[big, small], [small, big]]) {
      const h = harness(2, 2);
      const w = act(h, (s, m, out, now) => {
        s.currentEpoch = 1;
        m.sentinels.forEach((p, i) => {
          p.leader = order[i]!;
          p.leaderEpoch = 1;
        });
        return getLeader(s, h.ctx, out, m, 1, now);
      });
      expect(w, `votes in order ${order.join(', ')}`).toBe(small);
    }
  });

  it('our own vote from an older epoch does not count for the asked epoch', () => {
    // We voted for PEER(1) in epoch 3 (current 3); asked about epoch 2, our vote is not in epoch 2.
    const h = harness(2, 2);
    const w = act(h, (s, m, out, now) => {
      s.currentEpoch = 3;
      m.leader = PEER(1);
      m.leaderEpoch = 3;
      m.sentinels[0]!.leader = PEER(1);
      m.sentinels[0]!.leaderEpoch = 3;
      return getLeader(s, h.ctx, out, m, 2, now);
    });
    expect(w).toBeNull();
  });
});

describe('sentinelStartFailover() and sentinelStartFailoverIfNeeded()', () => {
  function tryStart(setup: (s: SentinelState, m: Instance, now: number) => void) {
    const h = harness();
    const started = act(h, (s, m, _out, now) => {
      setup(s, m, now);
      return startFailoverIfNeeded(s, h.ctx, m, now);
    });
    return { h, started, m: h.state.masters[0]! };
  }
  const odown = (_s: SentinelState, m: Instance) => void (m.flags |= F.O_DOWN);

  it('starts: next epoch, WAIT_START, in progress, desynchronised start time, events', () => {
    const { h, started, m } = tryStart(odown);
    expect(started).toBe(true);
    expect(h.state.currentEpoch).toBe(1);
    expect(m.failoverEpoch).toBe(1);
    expect(m.failoverState).toBe(FS.WAIT_START);
    expect(m.flags & F.FAILOVER_IN_PROGRESS).toBe(F.FAILOVER_IN_PROGRESS);
    expect(m.failoverStateChangeTime).toBe(h.ctx.nowMs());
    expect(m.failoverStartTime - h.ctx.nowMs()).toBeGreaterThanOrEqual(0);
    expect(m.failoverStartTime - h.ctx.nowMs()).toBeLessThan(1000);
    expect(h.ctx.events()).toEqual(['+new-epoch 1', '+try-failover master mymaster 10.0.0.5 6379']);
  });

  it('not without ODOWN, not while one is in progress', () => {
    expect(tryStart(() => {}).started).toBe(false);
    expect(tryStart((s, m) => void (m.flags |= F.O_DOWN | F.FAILOVER_IN_PROGRESS)).started).toBe(false);
  });

  it('not within 2 × failover-timeout of the last start; exactly then it starts', () => {
    const early = tryStart((s, m, now) => {
      odown(s, m);
      m.failoverStartTime = now - 2 * FAILOVER_TIMEOUT + 1;
    });
    expect(early.started).toBe(false);
    expect(early.h.ctx.events()).toEqual([]);
    const start = early.h.ctx.nowMs() - 2 * FAILOVER_TIMEOUT + 1;
    expect(logs(early.h)).toEqual([`Next failover delay: I will not start a failover before ${ctime(Math.floor((start + 2 * FAILOVER_TIMEOUT) / 1000))}`]);
    expect(early.m.failoverDelayLogged).toBe(start);
    const onTime = tryStart((s, m, now) => {
      odown(s, m);
      m.failoverStartTime = now - 2 * FAILOVER_TIMEOUT;
    });
    expect(onTime.started).toBe(true);
  });

  it('the delay line is logged once per start time', () => {
    const h = harness();
    for (let i = 0; i < 3; i++) {
      act(h, (s, m, _out, now) => {
        m.flags |= F.O_DOWN;
        if (i === 0) m.failoverStartTime = now;
        return startFailoverIfNeeded(s, h.ctx, m, now);
      });
      h.advance(100);
    }
    expect(logs(h).filter((l) => l.startsWith('Next failover delay'))).toHaveLength(1);
  });

  it('startFailover itself always takes the next epoch', () => {
    const h = harness(2, 2, ['sentinel current-epoch 6']);
    act(h, (s, m, _out, now) => startFailover(s, h.ctx, m, now));
    expect(h.state.currentEpoch).toBe(7);
    expect(h.state.masters[0]!.failoverEpoch).toBe(7);
  });
});

describe('crand() and ctime()', () => {
  it('crand is a non-negative 31-bit integer stream', () => {
    const h = harness();
    const xs = Array.from({ length: 50 }, () => crand(h.ctx));
    for (const x of xs) {
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(0x7fffffff);
    }
    expect(new Set(xs).size).toBeGreaterThan(40);
  });

  it('ctime names every weekday and month as C does (checked against the UTC calendar)', () => {
    // 2024-01-01 .. 2024-12-01 (each month), and 2024-01-01 .. 2024-01-07 (each weekday).
    const starts = [...Array.from({ length: 12 }, (_, m) => Date.UTC(2024, m, 1)), ...Array.from({ length: 7 }, (_, d) => Date.UTC(2024, 0, 1 + d))];
    for (const ms of starts) {
      const [wd, day, mon, year] = new Date(ms).toUTCString().replace(',', '').split(' ');
      expect(ctime(ms / 1000)).toBe(`${wd} ${mon} ${day!.replace(/^0/, ' ')} 00:00:00 ${year}`);
    }
  });

  it('ctime pads the day with a space and the time with zeros', () => {
    expect(ctime(1_700_000_000)).toBe('Tue Nov 14 22:13:20 2023');
    expect(ctime(1_700_000_000 - 13 * 86_400 - 22 * 3600 - 13 * 60 - 18)).toBe('Wed Nov  1 00:00:02 2023');
    expect(ctime(1_709_251_199)).toBe('Thu Feb 29 23:59:59 2024');
    expect(ctime(1_733_011_200)).toBe('Sun Dec  1 00:00:00 2024');
    expect(ctime(1_718_409_600)).toBe('Sat Jun 15 00:00:00 2024');
  });
});
